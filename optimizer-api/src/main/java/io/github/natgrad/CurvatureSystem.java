package io.github.natgrad;

import java.util.Optional;

/**
 * One step's curvature C (a symmetric D × D operator) together with the solver that factorises it:
 * what a {@link DampingPolicy} works on to choose λ and obtain (C + λI)⁻¹.
 */
public interface CurvatureSystem {

    /** The name of the curvature kind that built this system, for messages. */
    String kind();

    /** The dimension D. */
    int dimension();

    /** {@code out} = C v. */
    void multiply(double[] v, double[] out);

    /** Factorises C + λI, or returns empty if it is not (numerically) positive definite. */
    Optional<Factorization> factor(double lambda);

    /** The eigen-decomposition of C (computed on the first call, then reused within the step). */
    Spectrum spectrum();

    /**
     * diag(C), when it costs no more than a product (O(D) for a dense matrix, O(nnz) for a generalised linear
     * model's operator); empty when the system cannot give it cheaply. A damping policy reads the curvature's
     * scale from it (see {@code Damping.auto()}).
     */
    default Optional<double[]> diagonal() {
        return Optional.empty();
    }

    /** A copy of C as a dense row-major D × D array (for inspection and tests; costs D² memory). */
    double[] toDense();
}
