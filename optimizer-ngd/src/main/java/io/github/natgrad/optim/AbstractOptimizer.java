package io.github.natgrad.optim;

import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepListener;
import io.github.natgrad.StepSizeSchedule;

/**
 * The {@link Optimizer} operations every natgrad optimizer answers from its {@link OptimizerRun} alone, written
 * once: {@link #model()}, {@link #addListener} and {@link #setSchedule}. The natural-gradient, the layer-wise and
 * the first-order optimizers extend it and add their step, loss, reset and state. A listener is registered by
 * every optimizer, also by one whose steps emit no events (first-order steps refresh no curvature, change no
 * damping and reject no step), so that a later event type reaches it.
 *
 * <p>Public only because the layer-wise optimizer lives in another package; plumbing for {@link Optimizer}
 * implementations, not a user type.
 */
public abstract class AbstractOptimizer implements Optimizer {
    /** The model, kind, step count, schedule and listeners of this optimizer's run. */
    protected final OptimizerRun run;

    /** An optimizer whose plumbing is {@code run}. */
    protected AbstractOptimizer(OptimizerRun run) {
        this.run = run;
    }

    @Override
    public final Model model() {
        return run.model();
    }

    @Override
    public final void addListener(StepListener listener) {
        run.addListener(listener);
    }

    @Override
    public final void setSchedule(StepSizeSchedule stepSizes) {
        run.setSchedule(stepSizes);
    }
}
