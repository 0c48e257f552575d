package io.github.natgrad.solve;

import io.github.natgrad.Factorization;

/**
 * A solve of the damped Newton system kept within a trust region ‖x‖ ≤ Δ: the approximate minimiser of the
 * quadratic model Q(x) = ½xᵀCx − gᵀx over the ball, as a trust-region method needs it (Conn, Gould and Toint
 * 2000, ch. 7). {@link #solve} writes x; the accessors describe the last solve. Made by
 * {@link ConjugateGradient#withinRadius} (Steihaug–Toint CG, in the preconditioner's norm ‖x‖_M) or by the
 * trust-region damping's λ(Δ) search for a system that factorises (the Euclidean norm). The subclass's
 * {@link #solve} updates the radius (when it chooses it), the boundary flag and the step's norm.
 */
public abstract class TrustRegionSolve implements Factorization {
    private final String norm;
    /** The radius Δ of the next solve (NaN: chosen by the first solve, which writes it here). */
    protected double radius;
    /** Whether the last solve stopped on the boundary. */
    protected boolean boundary;
    /** ‖x‖ of the last solve in the region's norm (NaN before the first). */
    protected double stepNorm = Double.NaN;

    /**
     * A solve within {@code radius} measured in the norm named {@code norm} ({@code "M"} or {@code "2"}).
     */
    protected TrustRegionSolve(String norm, double radius) {
        this.norm = norm;
        this.radius = radius;
    }

    /** The radius Δ the last solve used (the initial radius, when it was chosen from the gradient). */
    public final double radius() {
        return radius;
    }

    /** Whether the last solve stopped on the boundary ‖x‖ = Δ (a truncated Newton step). */
    public final boolean reachedBoundary() {
        return boundary;
    }

    /** ‖x‖ of the last solve, in the region's norm. */
    public final double stepNorm() {
        return stepNorm;
    }

    /** The region's norm, for reports: {@code "M"} (the preconditioner's) or {@code "2"}. */
    public final String norm() {
        return norm;
    }
}
