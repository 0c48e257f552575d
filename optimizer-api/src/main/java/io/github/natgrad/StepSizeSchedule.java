package io.github.natgrad;

/**
 * The step size η (learning rate) as a function of the step index t = 0, 1, …: set on a running
 * optimizer with {@link Optimizer#setSchedule}, which changes η and keeps everything else (λ, the
 * curvature averages, momentum).
 */
@FunctionalInterface
public interface StepSizeSchedule {

    /** η for step t (t counts from 0); must be positive and finite. */
    double stepSize(long step);

    /** η constant. */
    static StepSizeSchedule constant(double eta) {
        Require.positive(eta, "step size");
        return t -> eta;
    }

    /** η₀ · γ^⌊t / every⌋: multiplied by γ ∈ (0, 1] every {@code every} steps. */
    static StepSizeSchedule exponential(double eta0, double gamma, long every) {
        Require.positive(eta0, "step size");
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("decay factor gamma must be in (0, 1], got " + gamma);
        }
        if (every < 1) {
            throw new IllegalArgumentException("decay period must be at least one step, got " + every);
        }
        return t -> eta0 * Math.pow(gamma, t / every);
    }

    /** η rising linearly from η₀/warm-up to η₀ over the first {@code warmup} steps, then constant. */
    static StepSizeSchedule linearWarmup(double eta0, long warmup) {
        Require.positive(eta0, "step size");
        if (warmup < 1) {
            throw new IllegalArgumentException("warm-up must be at least one step, got " + warmup);
        }
        return t -> t < warmup ? eta0 * (t + 1) / warmup : eta0;
    }

    /** Checks η for step t. */
    static double checked(StepSizeSchedule schedule, long step) {
        double eta = schedule.stepSize(step);
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("the step-size schedule gave eta = " + eta + " at step " + step
                    + "; a step size must be positive and finite");
        }
        return eta;
    }
}
