package io.github.natgrad.bench.problems;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;

/**
 * One problem of the reproduction: a batch and the generalised linear model fitted to it, with the
 * conventions of Kunstner, Balles and Hennig's code: linear regression has unit noise and loss ½ · mean
 * squared residual; logistic regression clips σ(f) and σ(−f) to [1e-8, 1 − 1e-8] in the loss, the
 * gradient and the Fisher ({@link Likelihoods#bernoulli(double)}); the bias, if any, is the last
 * parameter; no normalisation of features or targets.
 *
 * @param name          the name used in outputs, e.g. {@code breast-cancer}
 * @param batch         the examples (inputs without the bias column)
 * @param logistic      true for logistic regression (0/1 labels), false for linear regression
 * @param bias          whether the model appends a bias (last parameter)
 * @param priorVariance σ² of the L2 prior ‖θ‖²/(2σ²N), or 0 for none
 */
public record Problem(String name, Batch batch, boolean logistic, boolean bias, double priorVariance) {

    /** The probability clip of the authors' logistic regression. */
    public static final double CLIP = 1e-8;

    /** The model: linear or clipped logistic regression, with the bias last when {@link #bias()}. */
    public GeneralizedLinearModel model() {
        int p = batch.columns();
        GeneralizedLinearModel m = logistic
                ? GeneralizedLinearModel.logisticRegression(p).withLikelihood(Likelihoods.bernoulli(CLIP))
                : GeneralizedLinearModel.linearRegression(p);
        return bias ? m.withBias() : m;
    }

    /** The prior, or null. */
    public L2Prior prior() {
        return priorVariance > 0 ? L2Prior.ofVariance(priorVariance) : null;
    }

    /** The number of parameters D. */
    public int parameters() {
        return batch.columns() + (bias ? 1 : 0);
    }

    /** The design matrix N × D (row-major): the inputs with a column of ones appended when {@link #bias()}. */
    public double[] design() {
        int n = batch.rows();
        int p = batch.columns();
        int d = parameters();
        double[] x = batch.x();
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * p, out, i * d, p);
            if (bias) {
                out[i * d + p] = 1.0;
            }
        }
        return out;
    }
}
