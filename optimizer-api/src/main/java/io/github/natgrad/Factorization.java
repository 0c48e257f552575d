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
}
