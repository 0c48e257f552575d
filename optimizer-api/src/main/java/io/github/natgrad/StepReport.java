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
 * @param reductionRatio ρ = (actual decrease) / (predicted decrease), NaN unless the damping policy asked
 *                       for it
 * @param dampingAction  what the damping policy did, e.g. {@code "fixed"}
 * @param stepped        false when θ was left unchanged (a diverged run, or a rejected step)
 * @param rejected       true when the step was refused because it did not decrease the objective
 *                       (see {@code NaturalGradient.withStepRejection}); θ was then left unchanged
 */
public record StepReport(long step, double loss, double gradientNorm, double directionNorm, double cosine,
        double damping, double reductionRatio, String dampingAction, boolean stepped, boolean rejected) {

    /** A report of a step that was not rejected (the form before step rejection existed). */
    public StepReport(long step, double loss, double gradientNorm, double directionNorm, double cosine,
            double damping, double reductionRatio, String dampingAction, boolean stepped) {
        this(step, loss, gradientNorm, directionNorm, cosine, damping, reductionRatio, dampingAction, stepped, false);
    }

    /** True when the loss or gradient at θ was not finite, so the run has diverged and θ was not changed. */
    public boolean diverged() {
        return !stepped && !rejected;
    }

    @Override
    public String toString() {
        return String.format("step %d: loss %.6g |g| %.3g |d| %.3g cos %.3f lambda %.3g rho %.3g (%s)", step, loss,
                gradientNorm, directionNorm, cosine, damping, reductionRatio, dampingAction);
    }
}
