package io.github.natgrad.optim;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.Solver;
import io.github.natgrad.StepEvent;
import io.github.natgrad.StepListener;
import io.github.natgrad.StepReport;
import io.github.natgrad.StepSizeSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * One training run of {@link NaturalGradient}: the step θ ← θ − η (C + λI)⁻¹ g with its buffers and
 * state. A step is one forward pass, one pass over the per-example loss derivatives (loss and residual
 * together), one matrix-vector product for the gradient, the curvature build (one BLAS-3 call), the
 * damping's factorisation and one solve; with an adaptive damping, one more forward pass for ρ; with
 * step rejection, one forward pass per try.
 *
 * <p>State ({@link #state()}): the step count, the damping's λ and the curvature's random stream. The
 * curvature itself is rebuilt on every batch (no averages), so nothing else carries over.
 */
final class NaturalGradientOptimizer implements Optimizer {
    private final Model model;
    private final Curvature initialCurvature;
    private final DampingPolicy initialDamping;
    private final Solver solver;
    private final L2Prior prior;
    private final int d;
    private final int rejectionRetries;
    private final String kind;
    private final List<StepListener> listeners = new ArrayList<>();
    private StepSizeSchedule schedule;
    private double lastLambda = Double.NaN;

    private Curvature curvature;
    private DampingPolicy damping;
    private long steps;
    private Batch checkedBatch;
    private double[] residual = new double[0];
    private final double[] gradient;
    private final double[] direction;
    private final double[] work;

    NaturalGradientOptimizer(Model model, Curvature curvature, double stepSize, DampingPolicy damping,
            Solver solver, L2Prior prior, int rejectionRetries, String kind) {
        this.model = model;
        this.rejectionRetries = rejectionRetries;
        this.kind = kind;
        this.schedule = StepSizeSchedule.constant(stepSize);
        this.initialCurvature = curvature;
        this.curvature = curvature.copy();
        this.initialDamping = damping;
        this.damping = damping.copy();
        this.solver = solver;
        this.prior = prior;
        this.d = model.parameterCount();
        this.gradient = new double[d];
        this.direction = new double[d];
        this.work = new double[d];
    }

    @Override
    public Model model() {
        return model;
    }

    @Override
    public void reset() {
        steps = 0;
        damping = initialDamping.copy();
        curvature = initialCurvature.copy();
        lastLambda = Double.NaN;
    }

    @Override
    public OptimizerState state() {
        OptimizerState.Builder out = OptimizerState.builder(kind, model).putLong("steps", steps)
                .putDouble("lastLambda", lastLambda);
        damping.writeState(out, "damping.");
        curvature.writeState(out, "curvature.");
        return out.build();
    }

    @Override
    public void restore(OptimizerState state) {
        Checks.notNull(state, "state");
        state.requireCompatible(kind, model);
        long restoredSteps = state.getLong("steps");
        double restoredLambda = state.getDouble("lastLambda");
        DampingPolicy newDamping = initialDamping.copy();
        newDamping.readState(state, "damping.");
        Curvature newCurvature = initialCurvature.copy();
        newCurvature.readState(state, "curvature.");
        steps = restoredSteps;
        lastLambda = restoredLambda;
        damping = newDamping;
        curvature = newCurvature;
    }

    @Override
    public void addListener(StepListener listener) {
        listeners.add(Checks.notNull(listener, "listener"));
    }

    @Override
    public void setSchedule(StepSizeSchedule stepSizes) {
        schedule = Checks.notNull(stepSizes, "schedule");
    }

    private void emit(StepEvent event) {
        for (StepListener l : listeners) {
            l.onEvent(event);
        }
    }

    @Override
    public StepReport step(double[] theta, Batch batch) {
        check(theta, batch);
        Likelihood likelihood = model.likelihood();
        int n = batch.rows();
        int k = likelihood.outputsPerExample();
        if (residual.length < n * k) {
            residual = new double[n * k];
        }
        Linearization lin = model.linearize(theta, batch);
        double priorPrecision = prior == null ? 0.0 : prior.precision(n);
        double loss = likelihood.lossAndResidual(lin.outputs(), batch.y(), n, residual) / n
                + 0.5 * priorPrecision * dot(theta, theta);

        lin.vectorJacobianProduct(residual, gradient);
        for (int i = 0; i < d; i++) {
            gradient[i] = gradient[i] / n + priorPrecision * theta[i];
        }
        double gradientNorm = Math.sqrt(dot(gradient, gradient));
        double stepSize = StepSizeSchedule.checked(schedule, steps); // a bad schedule leaves the state as it was
        long index = steps++;
        if (!Double.isFinite(loss) || !Double.isFinite(gradientNorm)) {
            return new StepReport(index, loss, gradientNorm, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    "not stepped: loss or gradient not finite", false);
        }

        CurvatureSystem system = curvature.build(lin, batch, likelihood, residual,
                curvature.includesPrior() ? priorPrecision : 0.0, solver);
        emit(new StepEvent.CurvatureRefreshed(index, "estimate"));
        boolean adaptive = damping.needsReductionRatio();
        boolean rejecting = rejectionRetries > 0;
        double eta = stepSize;
        for (int attempt = 0; ; attempt++) {
            Damped damped = damping.damp(system);
            if (Double.compare(damped.lambda(), lastLambda) != 0) {
                if (!Double.isNaN(lastLambda)) {
                    emit(new StepEvent.DampingChanged(index, lastLambda, damped.lambda(), damped.action()));
                }
                lastLambda = damped.lambda();
            }
            damped.factorization().solve(gradient, direction);
            double gd = dot(gradient, direction);
            double directionNorm = Math.sqrt(dot(direction, direction));
            if (!Double.isFinite(directionNorm)) {
                return new StepReport(index, loss, gradientNorm, directionNorm, Double.NaN, damped.lambda(),
                        Double.NaN, "not stepped: direction not finite", false);
            }
            double cosine = gradientNorm == 0 || directionNorm == 0 ? 1.0 : gd / (gradientNorm * directionNorm);

            double rho = Double.NaN;
            double actual = Double.NaN;
            double predicted = Double.NaN;
            if (adaptive || rejecting) {
                system.multiply(direction, work);
                predicted = eta * gd - 0.5 * eta * eta * dot(direction, work);
                for (int i = 0; i < d; i++) {
                    work[i] = theta[i] - eta * direction[i];
                }
                actual = loss - objective(work, batch);
                rho = predicted > 0 ? actual / predicted : Double.NaN;
                if (adaptive) {
                    damping.observe(rho);
                }
            }
            if (rejecting && !(actual >= 0)) {
                String how = adaptive ? "damping raised" : "step size halved";
                emit(new StepEvent.StepRejected(index, actual, predicted, "objective would grow; " + how));
                if (attempt >= rejectionRetries) {
                    emit(new StepEvent.SolverCapReached(index, "step rejection", rejectionRetries));
                    return new StepReport(index, loss, gradientNorm, directionNorm, cosine, damped.lambda(), rho,
                            "rejected after " + (attempt + 1) + " tries", false, true);
                }
                if (!adaptive) {
                    eta *= 0.5;
                }
                continue;
            }
            for (int i = 0; i < d; i++) {
                theta[i] -= eta * direction[i];
            }
            String action = attempt == 0 ? damped.action()
                    : damped.action() + "; accepted after " + attempt + " rejected tries";
            return new StepReport(index, loss, gradientNorm, directionNorm, cosine, damped.lambda(), rho,
                    action, true);
        }
    }

    @Override
    public double loss(double[] theta, Batch batch) {
        check(theta, batch);
        int n = batch.rows();
        double priorPrecision = prior == null ? 0.0 : prior.precision(n);
        Linearization lin = model.linearize(theta, batch);
        return model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, null) / n
                + 0.5 * priorPrecision * dot(theta, theta);
    }

    /** The objective at a trial point, +∞ when the point is not finite (an overlong step). */
    private double objective(double[] point, Batch batch) {
        for (double v : point) {
            if (!Double.isFinite(v)) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return loss(point, batch);
    }

    private void check(double[] theta, Batch batch) {
        Checks.notNull(theta, "theta");
        Checks.notNull(batch, "batch");
        Checks.length(theta, d, "theta", model.describe());
        Checks.finite(theta, "theta");
        if (batch != checkedBatch) {
            Checks.columns(model, batch);
            model.likelihood().checkLabels(batch.y(), batch.rows());
            checkedBatch = batch;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
