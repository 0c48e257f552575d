package io.github.natgrad.optim;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepListener;
import io.github.natgrad.StepReport;
import io.github.natgrad.StepSizeSchedule;

/**
 * The shared step of the first-order baselines: one forward pass, the gradient g on the batch (one BLAS-3
 * backward pass for a network), then the subclass's update of θ from g and its own buffers (momentum,
 * moment estimates). State: the step count and the subclass's buffers.
 */
abstract class FirstOrderOptimizer implements Optimizer {
    private final MinibatchObjective objective;
    private final String kind;
    private final double[] gradient;
    private final io.github.natgrad.StepListeners listeners = new io.github.natgrad.StepListeners();
    private StepSizeSchedule schedule;
    private long steps;

    FirstOrderOptimizer(Model model, L2Prior prior, double stepSize, String kind) {
        this.objective = new MinibatchObjective(model, prior);
        this.kind = kind;
        this.gradient = new double[model.parameterCount()];
        this.schedule = StepSizeSchedule.constant(stepSize);
    }

    /** Moves θ in place from the gradient g at step t (from 1), with step size η; returns ‖Δθ‖/η. */
    abstract double update(double[] theta, double[] g, double eta, long t);

    /** Writes the subclass's buffers. */
    abstract void writeBuffers(OptimizerState.Builder out);

    /** Reads the subclass's buffers. */
    abstract void readBuffers(OptimizerState in);

    /** Zeroes the subclass's buffers. */
    abstract void clearBuffers();

    @Override
    public Model model() {
        return objective.model();
    }

    @Override
    public StepReport step(double[] theta, Batch batch) {
        objective.check(theta, batch);
        Linearization lin = model().linearize(theta, batch);
        double loss = objective.lossAndGradient(theta, lin, batch, gradient);
        double gradientNorm = Math.sqrt(dot(gradient, gradient));
        long index = steps;
        if (!Double.isFinite(loss) || !Double.isFinite(gradientNorm)) {
            steps++;
            return new StepReport(index, loss, gradientNorm, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    "not stepped: loss or gradient not finite", false);
        }
        double eta = StepSizeSchedule.checked(schedule, index);
        steps++;
        double directionNorm = update(theta, gradient, eta, steps);
        return new StepReport(index, loss, gradientNorm, directionNorm, Double.NaN, 0.0, Double.NaN, kind, true);
    }

    @Override
    public void reset() {
        steps = 0;
        clearBuffers();
    }

    @Override
    public double loss(double[] theta, Batch batch) {
        objective.check(theta, batch);
        return objective.loss(theta, batch);
    }

    @Override
    public OptimizerState state() {
        OptimizerState.Builder out = OptimizerState.builder(kind, model()).putLong("steps", steps);
        writeBuffers(out);
        return out.build();
    }

    @Override
    public void restore(OptimizerState state) {
        Checks.notNull(state, "state");
        state.requireCompatible(kind, model());
        long restored = state.getLong("steps");
        readBuffers(state);
        steps = restored;
    }

    @Override
    public void addListener(StepListener listener) {
        // Registered, but a first-order step emits no events: it refreshes no curvature, changes no damping and
        // rejects no step (see Optimizer.addListener). Kept so that a later event type reaches it.
        listeners.add(listener);
    }

    @Override
    public void setSchedule(StepSizeSchedule stepSizes) {
        schedule = Checks.notNull(stepSizes, "schedule");
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double[] restoreBuffer(OptimizerState in, String name, int length) {
        double[] v = in.getDoubles(name);
        if (v.length != length) {
            throw new IllegalArgumentException("state entry '" + name + "' holds " + v.length + " values, the model has "
                    + length + " parameters");
        }
        return v;
    }
}
