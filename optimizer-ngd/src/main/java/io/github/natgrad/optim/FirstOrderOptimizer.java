package io.github.natgrad.optim;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepReport;
import io.github.natgrad.linalg.Vectors;

/**
 * The shared step of the first-order baselines: one forward pass, the gradient g on the batch (one BLAS-3
 * backward pass for a network), then the subclass's update of θ from g and its own buffers (momentum,
 * moment estimates). State: the step count and the subclass's buffers.
 */
abstract class FirstOrderOptimizer extends AbstractOptimizer {
    private final MinibatchObjective objective;
    private final double[] gradient;

    FirstOrderOptimizer(Model model, L2Prior prior, double stepSize, String kind) {
        super(new OptimizerRun(model, kind, stepSize));
        this.objective = new MinibatchObjective(model, prior);
        this.gradient = new double[model.parameterCount()];
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
    public StepReport step(double[] theta, Batch batch) {
        objective.check(theta, batch);
        Linearization lin = model().linearize(theta, batch);
        double loss = objective.lossAndGradient(theta, lin, batch, gradient);
        double gradientNorm = Vectors.norm(gradient);
        long index = run.steps();
        if (!Double.isFinite(loss) || !Double.isFinite(gradientNorm)) {
            run.advance();
            return OptimizerRun.notFinite(index, loss, gradientNorm, Double.NaN);
        }
        double eta = run.stepSize(index);
        run.advance();
        double directionNorm = update(theta, gradient, eta, run.steps());
        return new StepReport(index, loss, gradientNorm, directionNorm, Double.NaN, 0.0, Double.NaN, run.kind(), true);
    }

    @Override
    public void reset() {
        run.reset();
        clearBuffers();
    }

    @Override
    public double loss(double[] theta, Batch batch) {
        return objective.checkedLoss(theta, batch);
    }

    @Override
    public OptimizerState state() {
        OptimizerState.Builder out = run.stateBuilder();
        writeBuffers(out);
        return out.build();
    }

    @Override
    public void restore(OptimizerState state) {
        long restored = run.stepsOf(state);
        readBuffers(state);
        run.restoreSteps(restored);
    }
}
