package io.github.natgrad.optim;

import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Solver;

/**
 * Where a {@link NaturalGradientOptimizer} step's sums come from: one batch held in memory or a
 * {@link ShardedObjective}. The stages of the step ({@link GradientStage}, {@link DirectionStage},
 * {@link AcceptanceStage}) read the problem only through this interface, so the step itself — damping, solve,
 * line search, rejection — is the same code for both.
 */
interface StepTarget {
    /** N. */
    int rows();

    /** Σ ℓ_i at θ, Σ J_iᵀ r_i into {@code gradient} (pre-filled with NaN). */
    double lossAndGradient(double[] theta, double[] gradient);

    /** The solver for this step. */
    Solver choose();

    /**
     * The curvature at the θ of the last {@link #lossAndGradient}, for the chosen solver, with the isotropic
     * prior's precision or a scaled prior's per-parameter precisions ({@code kindDiagonal}, else null).
     */
    CurvatureSystem system(Solver chosen, double kindPrior, double[] kindDiagonal);

    /** The objective (mean NLL plus prior) at a point. */
    double objective(double[] point);

    /**
     * For a model linear in θ with a cheap line, the outputs' change along −d ({@code jd} = J d, N × K):
     * the line search then evaluates f − η·Jd; null when each trial needs a forward pass.
     */
    double[] line(double[] direction);

    /** The mean NLL plus prior at the outputs {@code f − η·jd}; only after a non-null {@link #line}. */
    double lineObjective(double[] jd, double eta, double priorTerm);

    /** The objective at a trial point, +∞ when the point is not finite (an overlong step). */
    default double trialObjective(double[] point) {
        for (double v : point) {
            if (!Double.isFinite(v)) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return objective(point);
    }
}
