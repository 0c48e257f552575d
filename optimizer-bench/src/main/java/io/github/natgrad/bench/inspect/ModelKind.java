package io.github.natgrad.bench.inspect;

import java.util.Locale;

/** The models {@code inspect --model} builds: the GLMs with a bias, softmax regression, an MLP. */
public enum ModelKind {
    /** Linear regression, Gaussian likelihood. */
    LINEAR,
    /** Logistic regression, Bernoulli likelihood with the logit link. */
    LOGISTIC,
    /** Softmax regression over the dataset's classes. */
    SOFTMAX,
    /** Bernoulli likelihood with the probit link. */
    PROBIT,
    /** A multilayer perceptron (see {@code --hidden}, {@code --activation}, {@code --likelihood}). */
    MLP;

    /** The name users type: lower case. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The synthetic dataset inspected when none is named: the model's own problem (logistic for an MLP). */
    public String syntheticDataset() {
        return this == MLP ? "synthetic-logistic" : "synthetic-" + this;
    }
}
