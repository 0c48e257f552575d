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
import io.github.natgrad.Solver;
import io.github.natgrad.StepReport;

/**
 * One training run of {@link NaturalGradient}: the step θ ← θ − η (C + λI)⁻¹ g with its buffers and
 * state. A step is one forward pass, one pass over the per-example loss derivatives (loss and residual
 * together), one matrix-vector product for the gradient, the curvature build (one BLAS-3 call), the
 * damping's factorisation and one solve; with an adaptive damping, one more forward pass for ρ.
 */
final class NaturalGradientOptimizer implements Optimizer {
    private final Model model;
    private final double stepSize;
    private final DampingPolicy initialDamping;
    private final Solver solver;
    private final L2Prior prior;
    private final int d;

    private Curvature curvature;
    private DampingPolicy damping;
    private long steps;
    private Batch checkedBatch;
    private double[] residual = new double[0];
    private final double[] gradient;
    private final double[] direction;
    private final double[] work;

    NaturalGradientOptimizer(Model model, Curvature curvature, double stepSize, DampingPolicy damping,
            Solver solver, L2Prior prior) {
        this.model = model;
        this.curvature = curvature.copy();
        this.stepSize = stepSize;
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
        curvature = curvature.reset(); // keeps the curvature's buffers (direct ones included)
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
        long index = steps++;
        if (!Double.isFinite(loss) || !Double.isFinite(gradientNorm)) {
            return new StepReport(index, loss, gradientNorm, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    "not stepped: loss or gradient not finite", false);
        }

        CurvatureSystem system = curvature.build(lin, batch, likelihood, residual,
                curvature.includesPrior() ? priorPrecision : 0.0, solver);
        Damped damped = damping.damp(system);
        damped.factorization().solve(gradient, direction);
        double gd = dot(gradient, direction);
        double directionNorm = Math.sqrt(dot(direction, direction));
        if (!Double.isFinite(directionNorm)) {
            return new StepReport(index, loss, gradientNorm, directionNorm, Double.NaN, damped.lambda(), Double.NaN,
                    "not stepped: direction not finite", false);
        }
        double cosine = gradientNorm == 0 || directionNorm == 0 ? 1.0 : gd / (gradientNorm * directionNorm);

        double rho = Double.NaN;
        if (damping.needsReductionRatio()) {
            system.multiply(direction, work);
            double predicted = stepSize * gd - 0.5 * stepSize * stepSize * dot(direction, work);
            for (int i = 0; i < d; i++) {
                work[i] = theta[i] - stepSize * direction[i];
            }
            double actual = loss - loss(work, batch);
            rho = predicted > 0 ? actual / predicted : Double.NaN;
            damping.observe(rho);
        }
        for (int i = 0; i < d; i++) {
            theta[i] -= stepSize * direction[i];
        }
        return new StepReport(index, loss, gradientNorm, directionNorm, cosine, damped.lambda(), rho,
                damped.action(), true);
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
