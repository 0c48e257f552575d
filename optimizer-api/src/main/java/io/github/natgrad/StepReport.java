package io.github.natgrad;

/**
 * What one step did, with the figures an ablation study records.
 *
 * @param step           the step's index, from 0 since the optimizer was built or reset
 * @param loss           the objective at θ before the step (mean NLL plus prior)
 * @param gradientNorm   ‖g‖₂
 * @param directionNorm  ‖d‖₂ for the direction d = (C + λI)⁻¹ g
 * @param cosine         cos∠(g, d) = gᵀd / (‖g‖‖d‖); 1 for gradient descent
 * @param damping        the λ the damping policy used
 * @param reductionRatio ρ = (actual decrease) / (predicted decrease), NaN unless the damping policy or
 *                       step rejection asked for it
 * @param dampingAction  what the damping policy did, e.g. {@code "fixed"}
 * @param stepped        false when θ was left unchanged (a diverged run, or a rejected step)
 * @param rejected       true when the step was refused because it did not decrease the objective
 *                       (see {@code NaturalGradient.withStepRejection}); θ was then left unchanged
 * @param stepSize       the step size η actually taken (a schedule, a line search or backtracking may
 *                       change it; 0 when no step was taken; NaN when the optimizer does not say)
 * @param solve          what the linear solve did (CG iterations, products, cap reached); never null
 */
public record StepReport(long step, double loss, double gradientNorm, double directionNorm, double cosine,
        double damping, double reductionRatio, String dampingAction, boolean stepped, boolean rejected,
        double stepSize, SolveStats solve) {

    /** Validates that {@code solve} is not null. */
    public StepReport {
        Require.notNull(solve, "solve statistics");
    }

    /** A report without solve statistics or line search (a direct solve, step size NaN), not rejected. */
    public StepReport(long step, double loss, double gradientNorm, double directionNorm, double cosine,
            double damping, double reductionRatio, String dampingAction, boolean stepped) {
        this(step, loss, gradientNorm, directionNorm, cosine, damping, reductionRatio, dampingAction, stepped,
                false, Double.NaN, SolveStats.DIRECT);
    }

    /** A report without solve statistics (a direct solve, step size NaN) that may be a rejected step. */
    public StepReport(long step, double loss, double gradientNorm, double directionNorm, double cosine,
            double damping, double reductionRatio, String dampingAction, boolean stepped, boolean rejected) {
        this(step, loss, gradientNorm, directionNorm, cosine, damping, reductionRatio, dampingAction, stepped,
                rejected, Double.NaN, SolveStats.DIRECT);
    }

    /** A report of a step that was not rejected, with its step size and solve statistics. */
    public StepReport(long step, double loss, double gradientNorm, double directionNorm, double cosine,
            double damping, double reductionRatio, String dampingAction, boolean stepped, double stepSize,
            SolveStats solve) {
        this(step, loss, gradientNorm, directionNorm, cosine, damping, reductionRatio, dampingAction, stepped,
                false, stepSize, solve);
    }

    /**
     * True when the loss or gradient at θ was not finite, so the run has diverged and θ was not changed
     * (a rejected step has not diverged).
     */
    public boolean diverged() {
        return !stepped && !rejected;
    }

    @Override
    public String toString() {
        return String.format("step %d: loss %.6g |g| %.3g |d| %.3g cos %.3f lambda %.3g rho %.3g (%s)%s", step, loss,
                gradientNorm, directionNorm, cosine, damping, reductionRatio, dampingAction,
                solve.iterations() == 0 ? "" : " " + solve);
    }
}
