package io.github.natgrad;

/**
 * The sizes of one step's linear system, from which a solver strategy may choose an implementation
 * ({@link Solver#choose}).
 *
 * @param rows         examples N
 * @param factorRank   columns m of each example's curvature factor (K for the Fisher, 1 for the empirical Fisher)
 * @param parameters   parameters D
 * @param nonZeros     stored input values (N·p dense, nnz sparse)
 * @param lowRank      whether the kind is a low-rank update of a multiple of the identity (false for the
 *                     exact Hessian of a network)
 * @param matrixFree   whether the model and kind support matrix-free products
 */
public record ProblemShape(int rows, int factorRank, int parameters, long nonZeros, boolean lowRank,
        boolean matrixFree) {
}
