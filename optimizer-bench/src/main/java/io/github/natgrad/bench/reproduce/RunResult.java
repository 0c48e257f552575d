package io.github.natgrad.bench.reproduce;

/**
 * The outcome of one run of the grid.
 *
 * @param iterations the steps taken: the full budget, or the iteration t at which the run stopped
 * @param finalLoss  the objective at θ_t for that t (NaN when θ_t is not finite)
 * @param diverged   true when the run stopped early: its loss exceeded {@value Grid#DIVERGENCE_FACTOR} ×
 *                   the initial loss (or was not finite), or C + λI was numerically not positive definite
 * @param curve      the objective at θ_0 … θ_t (length iterations + 1) when the curve was recorded, else
 *                   the initial and the final objective only
 */
public record RunResult(int iterations, double finalLoss, boolean diverged, double[] curve) {

    /** The objective at θ_0. */
    public double initialLoss() {
        return curve[0];
    }
}
