package io.github.natgrad.solve;

import io.github.natgrad.Solver;

/**
 * Factories for the dense {@link Solver} strategies (after EJML's {@code LinearSolverFactory}).
 *
 * <ul>
 *   <li>{@link #cholesky()}: C + λI = UᵀU by LAPACK {@code dpotrf}, about D³/3 flops; the default.
 *       Fails (empty) on a matrix that is not positive definite.</li>
 *   <li>{@link #eigen()}: C = V diag(w) Vᵀ by LAPACK {@code dsyevd}, about 4D³ flops once, after which
 *       any λ (and the saddle-free |w|) costs only two matrix-vector products: a curvature system
 *       ({@code CurvatureSystem.factor}) decomposes C once per step and answers every λ from that one
 *       spectrum ({@link Solver#factorsFromSpectrum()}).</li>
 * </ul>
 */
public final class Solvers {
    private Solvers() {
    }

    /** The Cholesky solver. */
    public static Solver cholesky() {
        return CholeskySolver.INSTANCE;
    }

    /** The symmetric eigen-decomposition solver. */
    public static Solver eigen() {
        return EigenSolver.INSTANCE;
    }
}
