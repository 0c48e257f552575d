package io.github.natgrad.bench.reproduce;

/**
 * The three optimizers of the optimisation figure of Kunstner, Balles and Hennig (2019), with the names
 * used in the outputs: gradient descent θ ← θ − η g, and θ ← θ − η (C + λI)⁻¹ g with C the Fisher (NGD)
 * or the empirical Fisher (EFGD) of the data term, plus the prior's curvature where a prior is on.
 */
public enum Method {
    /** Gradient descent (step sizes only). */
    GD,
    /** Natural gradient descent with the true Fisher. */
    NGD,
    /** Preconditioning with the empirical Fisher. */
    EFGD;

    /** Whether the method has a damping λ. */
    public boolean damped() {
        return this != GD;
    }
}
