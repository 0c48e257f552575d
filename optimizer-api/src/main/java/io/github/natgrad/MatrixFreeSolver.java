package io.github.natgrad;

import java.util.Set;

/**
 * A solver strategy that works from a {@link CurvatureOperator} rather than a dense D × D matrix
 * (conjugate gradients, the Woodbury identity). It is also a {@link Solver}, so it plugs into the same
 * {@code withSolver} of an optimizer configuration; its dense {@code factor} runs the same algorithm on
 * a dense matrix (for the contract tests). Stateless and thread-safe.
 */
public interface MatrixFreeSolver extends Solver {

    /** The system (C + λI) d = g solved through the operator's products or structure. */
    CurvatureSystem system(CurvatureOperator operator);

    /** The model capabilities this solver needs with the given curvature kind. */
    Set<ModelCapability> requires(Curvature curvature);
}
