package io.github.natgrad.models;

/**
 * Factories for the likelihoods natgrad ships: Gaussian (regression), Bernoulli with the logit link,
 * Bernoulli with the probit link, and categorical (softmax) over K classes.
 */
public final class Likelihoods {
    private Likelihoods() {
    }

    /** Gaussian with unit noise variance: ℓ = (f − y)²/2. */
    public static GaussianLikelihood gaussian() {
        return new GaussianLikelihood(1.0);
    }

    /** Gaussian with known noise variance σ²: ℓ = (f − y)²/(2σ²). */
    public static GaussianLikelihood gaussian(double variance) {
        return new GaussianLikelihood(variance);
    }

    /** Bernoulli with the logit link: p(y = 1 | f) = σ(f), no clipping. */
    public static BernoulliLikelihood bernoulli() {
        return new BernoulliLikelihood(0.0);
    }

    /** Bernoulli with the logit link and probabilities clipped to [ε, 1 − ε]. */
    public static BernoulliLikelihood bernoulli(double clip) {
        return new BernoulliLikelihood(clip);
    }

    /** Bernoulli with the probit link: p(y = 1 | f) = Φ(f), the standard normal CDF. */
    public static ProbitLikelihood probit() {
        return ProbitLikelihood.INSTANCE;
    }

    /** Categorical over K ≥ 2 classes with the softmax link: p(y = k | f) = e^{f_k} / Σ_j e^{f_j}. */
    public static CategoricalLikelihood categorical(int classes) {
        return new CategoricalLikelihood(classes);
    }
}
