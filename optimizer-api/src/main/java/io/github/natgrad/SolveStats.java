package io.github.natgrad;

/**
 * What one linear solve (C + λI) d = g did, for the step report and the trace.
 *
 * @param method            the solver, e.g. {@code "cholesky"}, {@code "cg"}, {@code "woodbury"}
 * @param iterations        iterations of an iterative solver (0 for a direct one)
 * @param products          curvature-vector products C v used by the solve
 * @param capReached        true when an iterative solver stopped at its iteration cap rather than by its
 *                          stopping rule: the direction is then only approximate
 * @param relativeResidual  ‖(C + λI)d − g‖ / ‖g‖ at the end (NaN when not tracked)
 */
public record SolveStats(String method, int iterations, long products, boolean capReached,
        double relativeResidual) {

    /** A direct factorization: no iterations, no products. */
    public static final SolveStats DIRECT = new SolveStats("direct", 0, 0, false, Double.NaN);

    @Override
    public String toString() {
        return method + (iterations > 0 ? ": " + iterations + " iterations, " + products + " products"
                + (capReached ? ", CAP REACHED" : "") : "");
    }
}
