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
     * Whether this solver factorises C + λI from C's {@link Spectrum}, so that one decomposition serves
     * every λ: a {@link CurvatureSystem} then decomposes C once (on the first {@code factor} or
     * {@code spectrum} call) and answers every later λ from it with {@link #factor(Spectrum, double)}.
     */
    default boolean factorsFromSpectrum() {
        return false;
    }

    /**
     * (C + λI)⁻¹ from the spectrum of C, or empty if C + λI is not numerically positive definite. Only for
     * solvers that {@link #factorsFromSpectrum()}.
     *
     * @throws UnsupportedOperationException for a solver that factorises C + λI itself
     */
    default Optional<Factorization> factor(Spectrum spectrum, double lambda) {
        throw new UnsupportedOperationException("the " + name() + " solver factorises C + lambda I itself");
    }

    /**
     * The solver to use for a problem of this shape: itself, except for a selecting strategy such as
     * {@code Solvers.auto()}, which picks a dense, Woodbury or conjugate-gradient solver.
     */
    default Solver choose(ProblemShape shape) {
        return this;
    }
}
