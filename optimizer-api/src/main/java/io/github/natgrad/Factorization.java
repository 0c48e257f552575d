package io.github.natgrad;

/** A factorised symmetric positive definite matrix A, ready to solve A x = b. */
public interface Factorization {

    /** Writes x = A⁻¹ b; {@code b} is left unchanged, {@code x} may be {@code b}. */
    void solve(double[] b, double[] x);

    /**
     * What the last {@link #solve} did: for an iterative solver its iterations, products and whether it
     * stopped at its cap; {@link SolveStats#DIRECT} for a direct factorization.
     */
    default SolveStats lastSolve() {
        return SolveStats.DIRECT;
    }

    /**
     * xᵀAx for the x of the last {@link #solve}, when the solver has it without another product with A (conjugate
     * gradients: bᵀx − rᵀx from its residual r = b − Ax); NaN otherwise. The optimizer uses it for the decrease
     * its quadratic model predicts, saving one curvature product per step.
     */
    default double lastQuadraticForm() {
        return Double.NaN;
    }
}
