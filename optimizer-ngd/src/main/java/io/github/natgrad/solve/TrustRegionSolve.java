package io.github.natgrad.solve;

import io.github.natgrad.Factorization;

/**
 * A solve of the damped Newton system kept within a trust region ‖x‖ ≤ Δ: the approximate minimiser of the
 * quadratic model Q(x) = ½xᵀCx − gᵀx over the ball, as a trust-region method needs it (Conn, Gould and Toint
 * 2000, ch. 7). {@link #solve} writes x; the accessors describe the last solve. Made by
 * {@link ConjugateGradient#withinRadius} (Steihaug–Toint CG, in the preconditioner's norm ‖x‖_M) or by the
 * trust-region damping's λ(Δ) search for a system that factorises (the Euclidean norm).
 */
public interface TrustRegionSolve extends Factorization {

    /** The radius Δ the last solve used (the initial radius, when it was chosen from the gradient). */
    double radius();

    /** Whether the last solve stopped on the boundary ‖x‖ = Δ (a truncated Newton step). */
    boolean reachedBoundary();

    /** ‖x‖ of the last solve, in the region's norm. */
    double stepNorm();

    /** The region's norm, for reports: {@code "M"} (the preconditioner's) or {@code "2"}. */
    String norm();
}
