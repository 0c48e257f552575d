package io.github.natgrad;

import java.util.Optional;

/**
 * A strategy for the dense linear algebra of a step: factorise C + λI, or decompose C. Implementations
 * (in {@code io.github.natgrad.solve.Solvers}) are Cholesky and the symmetric eigen-decomposition.
 * Stateless and thread-safe.
 */
public interface Solver {

    /** A short name, e.g. {@code "cholesky"}. */
    String name();

    /**
     * Factorises C + λI for the dense row-major symmetric {@code c} (D × D), which is not modified;
     * empty if the matrix is not numerically positive definite.
     */
    Optional<Factorization> factor(double[] c, int d, double lambda);

    /** The eigen-decomposition of the dense symmetric {@code c} (D × D), which is not modified. */
    Spectrum decompose(double[] c, int d);

    /**
     * The solver to use for a problem of this shape: itself, except for a selecting strategy such as
     * {@code Solvers.auto()}, which picks a dense, Woodbury or conjugate-gradient solver.
     */
    default Solver choose(ProblemShape shape) {
        return this;
    }
}
