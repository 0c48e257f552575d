package io.github.natgrad.damping;

/**
 * A damping policy whose λ is one number that changes only with the reduction ratio ρ, never with the
 * curvature's spectrum: {@link Damping#fixed(double)} and {@link Damping#levenbergMarquardt()}. These are the
 * policies the layer-wise optimizers (K-FAC, block-diagonal, diagonal) take, since they damp every layer's
 * block with the same λ and never factorise the whole curvature; the dense optimizer takes them too.
 */
public interface ScalarDamping {

    /** The λ the first step uses. */
    double initialLambda();

    /** Whether λ changes with ρ (Levenberg-Marquardt) or stays at {@link #initialLambda()} (fixed). */
    boolean adapts();

    /**
     * The λ after {@code steps} ≥ 1 steps (since λ was last adapted) whose reduction ratio is {@code rho}
     * (NaN when the predicted decrease was not positive); a pure function of its arguments.
     */
    double next(double lambda, double rho, int steps);
}
