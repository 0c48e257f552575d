package io.github.natgrad.solve;

import io.github.natgrad.MatrixFreeSolver;
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
 *   <li>{@link #conjugateGradient()}: preconditioned CG through curvature-vector products, never forming C
 *       (memory O(nnz + N·K + D)).</li>
 *   <li>{@link #woodbury()}: the exact sample-space solve for C = τI + UᵀU/N when N·m &lt; D.</li>
 *   <li>{@link #auto()}: dense, Woodbury or CG per step from N, m, D and a memory budget.</li>
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

    /**
     * Preconditioned conjugate gradients with the defaults of {@link ConjugateGradient} (Martens' stop, Jacobi);
     * to change its settings start from {@link ConjugateGradient#defaults()}.
     */
    public static MatrixFreeSolver conjugateGradient() {
        return ConjugateGradient.DEFAULT;
    }

    /** The Woodbury (sample-space) solve. */
    public static MatrixFreeSolver woodbury() {
        return Woodbury.INSTANCE;
    }

    /**
     * The automatic choice with a budget of a quarter of the maximum heap; to change its budget or its
     * conjugate-gradient settings start from {@link AutoSolver#defaults()}.
     */
    public static MatrixFreeSolver auto() {
        return AutoSolver.defaults();
    }

    /** The solver with the given name: cholesky, eigen, cg, woodbury or auto. */
    public static Solver byName(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "cholesky":
                return cholesky();
            case "eigen":
                return eigen();
            case "cg":
                return conjugateGradient();
            case "woodbury":
                return woodbury();
            case "auto":
                return auto();
            default:
                throw new IllegalArgumentException("unknown solver '" + name
                        + "'; choose one of cholesky, eigen, cg, woodbury, auto");
        }
    }
}
