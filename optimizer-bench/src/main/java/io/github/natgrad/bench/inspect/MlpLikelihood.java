package io.github.natgrad.bench.inspect;

import io.github.natgrad.Likelihood;
import io.github.natgrad.datasets.Dataset;
import io.github.natgrad.models.Likelihoods;
import java.util.Locale;

/** The output likelihoods {@code inspect --likelihood} gives an MLP; {@link #AUTO} chooses by the labels. */
public enum MlpLikelihood {
    /** Gaussian for real labels, Bernoulli for two classes, categorical for more. */
    AUTO,
    /** Gaussian with unit variance. */
    GAUSSIAN,
    /** Bernoulli with the logit link. */
    BERNOULLI,
    /** Bernoulli with the probit link. */
    PROBIT,
    /** Categorical over the dataset's classes. */
    CATEGORICAL;

    /** The name users type: lower case. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The likelihood for {@code data}. */
    Likelihood of(Dataset data) {
        switch (this) {
            case AUTO:
                return data.classes() == 0 ? Likelihoods.gaussian() : data.classes() == 2 ? Likelihoods.bernoulli()
                        : Likelihoods.categorical(InspectModels.classes(data));
            case GAUSSIAN:
                return Likelihoods.gaussian();
            case BERNOULLI:
                return Likelihoods.bernoulli();
            case PROBIT:
                return Likelihoods.probit();
            default:
                return Likelihoods.categorical(InspectModels.classes(data));
        }
    }
}
