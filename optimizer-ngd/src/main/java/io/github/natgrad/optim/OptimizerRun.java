package io.github.natgrad.optim;

import io.github.natgrad.Checks;
import io.github.natgrad.Model;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepEvent;
import io.github.natgrad.StepListener;
import io.github.natgrad.StepListeners;
import io.github.natgrad.StepReport;
import io.github.natgrad.StepSizeSchedule;

/**
 * What every natgrad optimizer carries besides its own math, written once: the model, the kind (the
 * fingerprint its {@link OptimizerState} carries), the step count, the step-size schedule and the listeners.
 * The natural-gradient, the layer-wise and the first-order optimizers each hold one (through
 * {@link AbstractOptimizer}, which answers {@link io.github.natgrad.Optimizer}'s {@code model()},
 * {@code addListener} and {@code setSchedule} from it) and write the common part of {@code state()}/{@code restore}
 * through it, so every optimizer honours every operation the same way.
 *
 * <p>Public only because the layer-wise optimizer lives in another package; it is plumbing for
 * {@link io.github.natgrad.Optimizer} implementations, not a user type. Not thread-safe, like its optimizer.
 */
public final class OptimizerRun {
    private final Model model;
    private final String kind;
    private final StepListeners listeners = new StepListeners();
    private StepSizeSchedule schedule;
    private long steps;

    /** A new run of {@code kind} on {@code model} with a constant step size η until a schedule is set. */
    public OptimizerRun(Model model, String kind, double stepSize) {
        this.model = Checks.notNull(model, "model");
        this.kind = Checks.notNull(kind, "kind");
        this.schedule = StepSizeSchedule.constant(stepSize);
    }

    /** The model. */
    public Model model() {
        return model;
    }

    /** The kind: the optimizer's configuration as its state's fingerprint names it. */
    public String kind() {
        return kind;
    }

    /** Registers a listener ({@code Optimizer.addListener}). */
    public void addListener(StepListener listener) {
        listeners.add(listener);
    }

    /** Hands {@code event} to every listener, in the order they were added. */
    public void emit(StepEvent event) {
        listeners.emit(event);
    }

    /** The listeners, for a class that emits a step's events on the optimizer's behalf. */
    public StepListeners listeners() {
        return listeners;
    }

    /** Sets the step-size schedule from the next step on ({@code Optimizer.setSchedule}). */
    public void setSchedule(StepSizeSchedule stepSizes) {
        schedule = Checks.notNull(stepSizes, "schedule");
    }

    /**
     * η of step {@code index}, checked ({@link StepSizeSchedule#checked}): a schedule that gives no positive
     * finite η throws before anything changes.
     */
    public double stepSize(long index) {
        return StepSizeSchedule.checked(schedule, index);
    }

    /** The number of steps taken (the index of the next step). */
    public long steps() {
        return steps;
    }

    /** Counts one step; returns its index (the count before). */
    public long advance() {
        return steps++;
    }

    /** Sets the step count back to zero ({@code Optimizer.reset}). */
    public void reset() {
        steps = 0;
    }

    /** A state builder for this kind and model, with the step count in its {@code "steps"} entry. */
    public OptimizerState.Builder stateBuilder() {
        return OptimizerState.builder(kind, model).putLong("steps", steps);
    }

    /**
     * Checks that {@code state} is one of this kind and model and returns its step count, changing nothing:
     * the optimizer reads its own entries, then sets the count with {@link #restoreSteps} once all of them are
     * read.
     *
     * @throws IllegalArgumentException if the state belongs to another model or configuration, or has no step count
     */
    public long stepsOf(OptimizerState state) {
        Checks.notNull(state, "state");
        state.requireCompatible(kind, model);
        return state.getLong("steps");
    }

    /** Sets the step count read by {@link #stepsOf}. */
    public void restoreSteps(long restored) {
        steps = restored;
    }

    /**
     * The state's entry {@code name}, which must hold {@code length} values (one per parameter).
     *
     * @throws IllegalArgumentException if the entry is missing or of another length
     */
    public static double[] buffer(OptimizerState in, String name, int length) {
        double[] v = in.getDoubles(name);
        if (v.length != length) {
            throw new IllegalArgumentException("state entry '" + name + "' holds " + v.length + " values, the model has "
                    + length + " parameters");
        }
        return v;
    }

    /** The report of step {@code index} not taken because the loss or the gradient at θ is not finite. */
    public static StepReport notFinite(long index, double loss, double gradientNorm, double lambda) {
        return new StepReport(index, loss, gradientNorm, Double.NaN, Double.NaN, lambda, Double.NaN,
                "not stepped: loss or gradient not finite", false);
    }
}
