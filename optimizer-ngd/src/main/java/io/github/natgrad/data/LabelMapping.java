package io.github.natgrad.data;

/** How the labels of a data file become the labels a likelihood reads. */
public enum LabelMapping {
    /**
     * Two classes for the Bernoulli and probit likelihoods: +1 (or 1) becomes 1, −1 (or 0) becomes 0, as
     * LIBLINEAR reads a two-class file; any other value is an error naming its line.
     */
    BINARY,
    /**
     * K classes for the categorical likelihood: integer labels, mapped in ascending order to 0…K−1 (a test
     * file uses its training file's mapping).
     */
    CLASSES,
    /** Real-valued targets (regression), kept as written. */
    REAL
}
