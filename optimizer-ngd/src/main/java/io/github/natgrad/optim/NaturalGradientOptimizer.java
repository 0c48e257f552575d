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
import io.github.natgrad.MatrixFreeSolver;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.NegativeCurvatureException;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.ProblemShape;
import io.github.natgrad.SolveStats;
import io.github.natgrad.Solver;
import io.github.natgrad.StepEvent;
import io.github.natgrad.StepListener;
import io.github.natgrad.StepListeners;
import io.github.natgrad.StepReport;
import io.github.natgrad.StepSizeSchedule;
import java.util.Arrays;

/**
 * One training run of {@link NaturalGradient}: the step θ ← θ − η (C + λI)⁻¹ g with its buffers and
 * state. A step is one forward pass, one pass over the per-example loss derivatives (loss and residual
 * together), one vector-Jacobian product for the gradient, then either the dense curvature build (one
 * BLAS-3 call) and a factorisation, or — with a matrix-free solver — the curvature operator and its
 * solve (CG products or the Woodbury factorisation); with an adaptive damping, one more forward pass for
 * ρ; with a line search, its trials; with step rejection, one forward pass per try.
 *
 * <p>Every step checks what costs O(1) of the model's oracle: the linearization's N, K and D and the
 * length of its outputs. The first step on each batch (a new {@link Batch} object) also checks that the
 * vector-Jacobian product wrote every entry of the gradient (its output is pre-filled with NaN, so a product
 * that adds to or skips entries shows up): an O(N·K + D) pass, a few percent of a small step, so it runs
 * once per batch, as the column and label checks do. Deeper checks are
 * {@code io.github.natgrad.check.OracleChecker}'s.
 *
 * <p>State ({@link #state()}): the step count, the damping's λ and memory, the curvature's random stream
 * and the previous direction (the warm start of a conjugate-gradient solve). The curvature itself is
 * rebuilt on every batch (no averages), so nothing else carries over.
 */
final class NaturalGradientOptimizer implements Optimizer {
    private static final int MAX_REPAIRS = 60;

    private final Model model;
    private final Curvature initialCurvature;
    private final DampingPolicy initialDamping;
    private final Solver solver;
    private final L2Prior prior;
    private final PriorTerm priorTerms;
    private final ArmijoLineSearch lineSearch;
    private final int rejectionRetries;
    private final String kind;
    private final int d;
    private final boolean matrixFreeCapable;
    private final StepListeners listeners = new StepListeners();
    private StepSizeSchedule schedule;
    private double lastLambda = Double.NaN;

    private Curvature curvature;
    private DampingPolicy damping;
    private long steps;
    private Batch checkedBatch;
    private double[] residual = new double[0];
    private double[] trial = new double[0];
    private final double[] gradient;
    private final double[] direction;
    private final double[] work;

    NaturalGradientOptimizer(Model model, Curvature curvature, double stepSize, DampingPolicy damping,
            Solver solver, L2Prior prior, ArmijoLineSearch lineSearch, int rejectionRetries, String kind) {
        this.model = model;
        this.initialCurvature = curvature;
        this.curvature = curvature.copy();
        this.schedule = StepSizeSchedule.constant(stepSize);
        this.initialDamping = damping;
        this.damping = damping.copy();
        this.solver = solver;
        this.priorTerms = PriorTerm.of(prior, model);
        this.prior = priorTerms.scaled() ? null : prior; // the isotropic prior's scalar path; a scaled one: priorTerms
        this.lineSearch = lineSearch;
        this.rejectionRetries = rejectionRetries;
        this.kind = kind;
        this.d = model.parameterCount();
        this.gradient = new double[d];
        this.direction = new double[d];
        this.work = new double[d];
        this.matrixFreeCapable = model.capabilities().containsAll(curvature.requiresMatrixFree());
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
        Arrays.fill(direction, 0.0);
        lastLambda = Double.NaN;
    }

    @Override
    public OptimizerState state() {
        OptimizerState.Builder out = OptimizerState.builder(kind, model).putLong("steps", steps)
                .putDouble("lastLambda", lastLambda).putDoubles("direction", direction.clone());
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
        double[] restoredDirection = state.has("direction") ? state.getDoubles("direction") : new double[d];
        if (restoredDirection.length != d) {
            throw new IllegalArgumentException("the state's direction has " + restoredDirection.length
                    + " entries but the model has " + d + " parameters");
        }
        DampingPolicy newDamping = initialDamping.copy();
        newDamping.readState(state, "damping.");
        Curvature newCurvature = initialCurvature.copy();
        newCurvature.readState(state, "curvature.");
        steps = restoredSteps;
        lastLambda = restoredLambda;
        damping = newDamping;
        curvature = newCurvature;
        System.arraycopy(restoredDirection, 0, direction, 0, d);
    }

    @Override
    public void addListener(StepListener listener) {
        listeners.add(listener);
    }

    @Override
    public void setSchedule(StepSizeSchedule stepSizes) {
        schedule = Checks.notNull(stepSizes, "schedule");
    }

    @Override
    public StepReport step(double[] theta, Batch batch) {
        check(theta, batch);
        return step(theta, new LocalTarget(batch));
    }

    /** A step on a {@link ShardedObjective}: the same step, its sums coming from the shards. */
    StepReport step(double[] theta, ShardedObjective objective) {
        Checks.notNull(theta, "theta");
        Checks.length(theta, d, "theta", model.describe());
        Checks.finite(theta, "theta");
        return step(theta, new ShardedTarget(objective));
    }

    /** The objective (mean NLL plus prior) at θ on a {@link ShardedObjective}. */
    double loss(double[] theta, ShardedObjective objective) {
        return new ShardedTarget(objective).objective(theta);
    }

    private StepReport step(double[] theta, Target target) {
        Likelihood likelihood = model.likelihood();
        int n = target.rows();
        double priorPrecision = prior == null ? 0.0 : prior.precision(n);
        Arrays.fill(gradient, Double.NaN);
        double loss = target.lossAndGradient(theta, gradient) / n + 0.5 * priorPrecision * dot(theta, theta)
                + priorTerms.penalty(theta, n);
        for (int i = 0; i < d; i++) {
            gradient[i] = gradient[i] / n + priorPrecision * theta[i];
        }
        priorTerms.addGradient(theta, n, gradient);
        double gradientNorm = Math.sqrt(dot(gradient, gradient));
        double stepSize = StepSizeSchedule.checked(schedule, steps); // a bad schedule leaves the state as it was
        long index = steps++;
        if (!Double.isFinite(loss) || !Double.isFinite(gradientNorm)) {
            return new StepReport(index, loss, gradientNorm, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    "not stepped: loss or gradient not finite", false);
        }

        double kindPrior = curvature.includesPrior() ? priorPrecision : 0.0;
        double[] kindDiagonal = curvature.includesPrior() ? priorTerms.diagonal(n) : null;
        Solver chosen = target.choose();
        CurvatureSystem system = target.system(chosen, kindPrior, kindDiagonal);
        listeners.emit(new StepEvent.CurvatureRefreshed(index, "estimate"));
        boolean adaptive = damping.needsReductionRatio();
        boolean rejecting = rejectionRetries > 0;
        double tryStepSize = stepSize;
        for (int attempt = 0;; attempt++) {
            Damped damped = damping.damp(system);
            String action = damped.action();
            for (int repairs = 0;; repairs++) {
                try {
                    damped.factorization().solve(gradient, direction);
                    break;
                } catch (NegativeCurvatureException e) {
                    if (repairs >= MAX_REPAIRS) {
                        throw e;
                    }
                    damped = damping.repair(system, e);
                    action = damped.action();
                }
            }
            if (Double.compare(damped.lambda(), lastLambda) != 0) {
                if (!Double.isNaN(lastLambda)) {
                    listeners.emit(new StepEvent.DampingChanged(index, lastLambda, damped.lambda(), action));
                }
                lastLambda = damped.lambda();
            }
            SolveStats solve = damped.factorization().lastSolve();
            if (solve == SolveStats.DIRECT) {
                solve = new SolveStats(chosen.name(), 0, 0, false, Double.NaN);
            }
            if (solve.capReached()) {
                action += "; cg cap reached (" + solve.iterations() + " iterations)";
                listeners.emit(new StepEvent.SolverCapReached(index, solve.method(), solve.iterations()));
            }
            double gd = dot(gradient, direction);
            double directionNorm = Math.sqrt(dot(direction, direction));
            if (!Double.isFinite(directionNorm)) {
                return new StepReport(index, loss, gradientNorm, directionNorm, Double.NaN, damped.lambda(),
                        Double.NaN, "not stepped: direction not finite", false, false, 0.0, solve);
            }
            double cosine = gradientNorm == 0 || directionNorm == 0 ? 1.0 : gd / (gradientNorm * directionNorm);

            double eta = tryStepSize;
            double newLoss = Double.NaN;
            long extraProducts = 0;
            if (lineSearch != null && gradientNorm > 0) {
                double[] searched = search(theta, target, loss, gd, priorPrecision, tryStepSize);
                eta = searched[0];
                newLoss = searched[1];
                extraProducts += (long) searched[2];
                if (eta == 0) {
                    action += gd <= 0 ? "; not a descent direction: not stepped" : "; line search failed: not stepped";
                } else if (eta != tryStepSize) {
                    action += String.format("; line search: step %.3g", eta);
                }
            }

            double rho = Double.NaN;
            double actual = Double.NaN;
            double predicted = Double.NaN;
            if ((adaptive || rejecting) && eta > 0) {
                // dᵀCd from the solver when it has it ((C + λI) form minus λ‖d‖²), else one product
                double dad = damped.factorization().lastQuadraticForm();
                double dcd;
                if (Double.isFinite(dad)) {
                    dcd = dad - damped.lambda() * directionNorm * directionNorm;
                } else {
                    system.multiply(direction, work);
                    extraProducts++;
                    dcd = dot(direction, work);
                }
                predicted = eta * gd - 0.5 * eta * eta * dcd;
                if (Double.isNaN(newLoss)) {
                    for (int i = 0; i < d; i++) {
                        work[i] = theta[i] - eta * direction[i];
                    }
                    newLoss = objective(work, target);
                }
                actual = loss - newLoss;
                rho = predicted > 0 ? actual / predicted : Double.NaN;
                if (adaptive) {
                    damping.observe(rho);
                }
            }
            if (extraProducts > 0 && !solve.method().equals("direct")) {
                solve = new SolveStats(solve.method(), solve.iterations(), solve.products() + extraProducts,
                        solve.capReached(), solve.relativeResidual());
            }
            if (rejecting && eta > 0 && !(actual >= 0)) {
                String how = adaptive ? "damping raised" : "step size halved";
                listeners.emit(new StepEvent.StepRejected(index, actual, predicted, "objective would grow; " + how));
                if (attempt >= rejectionRetries) {
                    listeners.emit(new StepEvent.SolverCapReached(index, "step rejection", rejectionRetries));
                    return new StepReport(index, loss, gradientNorm, directionNorm, cosine, damped.lambda(), rho,
                            "rejected after " + (attempt + 1) + " tries", false, true, 0.0, solve);
                }
                if (!adaptive) {
                    tryStepSize *= 0.5;
                }
                continue;
            }
            for (int i = 0; i < d; i++) {
                theta[i] -= eta * direction[i];
            }
            if (attempt > 0) {
                action += "; accepted after " + attempt + " rejected tries";
            }
            return new StepReport(index, loss, gradientNorm, directionNorm, cosine, damped.lambda(), rho, action,
                    true, false, eta, solve);
        }
    }

    /**
     * Where a step's sums come from: one batch held here ({@link LocalTarget}) or a {@link ShardedObjective}
     * ({@link ShardedTarget}). The step itself — damping, solve, line search, rejection — is the same code.
     */
    private interface Target {
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
    }

    /** The step's sums from one batch held in memory: the model's linearization on it. */
    private final class LocalTarget implements Target {
        private final Batch batch;
        private final int n;
        private final int k;
        private Linearization lin;

        LocalTarget(Batch batch) {
            this.batch = batch;
            this.n = batch.rows();
            this.k = model.likelihood().outputsPerExample();
        }

        @Override
        public int rows() {
            return n;
        }

        @Override
        public double lossAndGradient(double[] theta, double[] out) {
            if (residual.length < n * k) {
                residual = new double[n * k];
            }
            lin = model.linearize(theta, batch);
            checkLinearization(lin, n, k);
            double lossSum = model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, residual);
            lin.vectorJacobianProduct(residual, out);
            checkGradientWritten(lossSum, n * k);
            return lossSum;
        }

        @Override
        public Solver choose() {
            return solver.choose(new ProblemShape(n, k, d, batch.nonZeros(),
                    !(curvature.requiresMatrixFree().contains(ModelCapability.SECOND_ORDER_PRODUCT)
                            && !lin.linearInParameters()) && !(priorTerms.scaled() && curvature.includesPrior()),
                    matrixFreeCapable));
        }

        @Override
        public CurvatureSystem system(Solver chosen, double kindPrior, double[] kindDiagonal) {
            Likelihood likelihood = model.likelihood();
            if (kindDiagonal != null) {
                return chosen instanceof MatrixFreeSolver mf
                        ? mf.system(curvature.operator(lin, batch, likelihood, residual, kindDiagonal))
                        : curvature.build(lin, batch, likelihood, residual, kindDiagonal, chosen);
            }
            return chosen instanceof MatrixFreeSolver mf
                    ? mf.system(curvature.operator(lin, batch, likelihood, residual, kindPrior))
                    : curvature.build(lin, batch, likelihood, residual, kindPrior, chosen);
        }

        @Override
        public double objective(double[] point) {
            return loss(point, batch);
        }

        @Override
        public double[] line(double[] dir) {
            if (!(lin.linearInParameters() && model.capabilities().contains(ModelCapability.JACOBIAN_VECTOR_PRODUCT))) {
                return null;
            }
            int nk = lin.outputs().length;
            double[] jd = new double[nk];
            lin.jacobianVectorProduct(dir, jd);
            if (trial.length < nk) {
                trial = new double[nk];
            }
            return jd;
        }

        @Override
        public double lineObjective(double[] jd, double eta, double priorTerm) {
            double[] f = lin.outputs();
            for (int i = 0; i < jd.length; i++) {
                trial[i] = f[i] - eta * jd[i];
            }
            return model.likelihood().lossAndResidual(trial, batch.y(), n, null) / n + priorTerm;
        }
    }

    /** The step's sums from a {@link ShardedObjective}; the solve is matrix-free (CG). */
    private final class ShardedTarget implements Target {
        private final ShardedObjective objective;

        ShardedTarget(ShardedObjective objective) {
            this.objective = Checks.notNull(objective, "objective");
            if (objective.model().parameterCount() != d) {
                throw new IllegalArgumentException("the sharded objective's model has "
                        + objective.model().parameterCount() + " parameters but this optimizer's has " + d);
            }
            if (priorTerms.scaled()) {
                throw new IllegalArgumentException("a prior with a per-parameter scale is not supported on a sharded "
                        + "objective yet: use an isotropic L2Prior (no withScale) there, or train on one batch");
            }
        }

        @Override
        public int rows() {
            return objective.rows();
        }

        @Override
        public double lossAndGradient(double[] theta, double[] out) {
            return objective.lossAndGradient(theta, out);
        }

        @Override
        public Solver choose() {
            return solver;
        }

        @Override
        public CurvatureSystem system(Solver chosen, double kindPrior, double[] kindDiagonal) {
            return ((MatrixFreeSolver) chosen).system(objective.curvature(curvature, kindPrior));
        }

        @Override
        public double objective(double[] point) {
            for (double v : point) {
                if (!Double.isFinite(v)) {
                    return Double.POSITIVE_INFINITY;
                }
            }
            double priorPrecision = prior == null ? 0.0 : prior.precision(objective.rows());
            return objective.loss(point) / objective.rows() + 0.5 * priorPrecision * dot(point, point);
        }

        @Override
        public double[] line(double[] dir) {
            return null;
        }

        @Override
        public double lineObjective(double[] jd, double eta, double priorTerm) {
            throw new IllegalStateException("no cheap line on a sharded objective");
        }
    }

    /**
     * Armijo backtracking along −d from {@code eta0}; returns {η (0 when none accepted), L(θ − ηd), products
     * used}. For a model linear in θ the outputs along the line are f − η·Jd (one product); otherwise a
     * forward pass per trial.
     */
    private double[] search(double[] theta, Target target, double loss, double gd, double priorPrecision,
            double eta0) {
        if (!(gd > 0)) {
            return new double[] {0.0, Double.NaN, 0};
        }
        double[] jd = target.line(direction);
        boolean linear = jd != null;
        double tt = dot(theta, theta);
        double td = dot(theta, direction);
        double dd = dot(direction, direction);
        int n = target.rows();
        double ptt = priorTerms.quadratic(theta, theta, n);
        double ptd = priorTerms.quadratic(theta, direction, n);
        double pdd = priorTerms.quadratic(direction, direction, n);
        double eta = eta0;
        for (int t = 0; t < lineSearch.maxTrials(); t++) {
            double value;
            if (linear) {
                value = target.lineObjective(jd, eta, 0.5 * priorPrecision * (tt - 2 * eta * td + eta * eta * dd)
                        + 0.5 * (ptt - 2 * eta * ptd + eta * eta * pdd));
            } else {
                for (int i = 0; i < d; i++) {
                    work[i] = theta[i] - eta * direction[i];
                }
                value = objective(work, target);
            }
            if (value - loss <= -lineSearch.sufficientDecrease() * eta * gd) {
                return new double[] {eta, value, linear ? 1 : 0};
            }
            eta *= lineSearch.shrink();
        }
        return new double[] {0.0, Double.NaN, linear ? 1 : 0};
    }

    private void checkLinearization(Linearization lin, int n, int k) {
        if (lin.rows() != n || lin.outputsPerExample() != k || lin.parameterCount() != d) {
            throw new IllegalStateException("the model's linearization reports N = " + lin.rows() + ", K = "
                    + lin.outputsPerExample() + ", D = " + lin.parameterCount() + " but the batch has N = " + n
                    + ", the likelihood reads K = " + k + " and the model declares D = " + d + ": fix "
                    + model.describe() + " (run OracleChecker on it)");
        }
        double[] f = lin.outputs();
        if (f == null || f.length != n * k) {
            throw new IllegalStateException("the model's outputs() has " + (f == null ? "no array" : f.length
                    + " entries") + " but N*K = " + n + "*" + k + " = " + n * k + " are needed (one row of K "
                    + "outputs per example): fix " + model.describe() + " (run OracleChecker on it)");
        }
    }

    private void checkGradientWritten(double loss, int nk) {
        if (!Double.isFinite(loss)) {
            return;
        }
        for (int i = 0; i < nk; i++) {
            if (!Double.isFinite(residual[i])) {
                return;
            }
        }
        for (int j = 0; j < d; j++) {
            if (Double.isNaN(gradient[j])) {
                throw new IllegalStateException("the model's vectorJacobianProduct left out[" + j + "] NaN although "
                        + "the loss and residual are finite: it must overwrite all D = " + d + " entries of out "
                        + "(not add to them, not skip any): fix " + model.describe() + " (run OracleChecker on it)");
            }
        }
    }

    @Override
    public double loss(double[] theta, Batch batch) {
        check(theta, batch);
        int n = batch.rows();
        double priorPrecision = prior == null ? 0.0 : prior.precision(n);
        Linearization lin = model.linearize(theta, batch);
        return model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, null) / n
                + 0.5 * priorPrecision * dot(theta, theta) + priorTerms.penalty(theta, n);
    }

    /** The objective at a trial point, +∞ when the point is not finite (an overlong step). */
    private double objective(double[] point, Target target) {
        for (double v : point) {
            if (!Double.isFinite(v)) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return target.objective(point);
    }

    private void check(double[] theta, Batch batch) {
        Checks.notNull(theta, "theta");
        Checks.notNull(batch, "batch");
        if (theta.length != d) {
            Checks.length(theta, d, "theta", model.describe()); // the message (and describe()) only on failure
        }
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
