package io.github.natgrad.optim;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.MatrixFreeSolver;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.ProblemShape;
import io.github.natgrad.SolveStats;
import io.github.natgrad.Solver;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.DenseCurvatureSystem;
import io.github.natgrad.linalg.StepDesign;
import io.github.natgrad.linalg.Vectors;
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
 * <p>The step runs in stages, each a package-private class named by its job: {@link GradientStage} (L(θ)
 * and g), the curvature system from the {@link StepTarget} (one batch, or a {@link ShardedObjective}),
 * {@link DirectionStage} (damp, solve, repair on negative curvature), {@link AcceptanceStage} (Armijo line
 * search, ρ, rejection) and {@link StepEvents} (the listeners' events, in the order the stages run). A step
 * rule that shapes or judges the direction differently (a trust region) replaces the direction or the
 * acceptance stage and leaves the rest.
 *
 * <p>State ({@link #state()}): the step count, the damping's λ and memory, the curvature's random stream
 * and the previous direction (the warm start of a conjugate-gradient solve). The curvature itself is
 * rebuilt on every batch (no averages), so nothing else carries over.
 */
final class NaturalGradientOptimizer extends AbstractOptimizer {
    private final Model model;
    private final Curvature initialCurvature;
    private final DampingPolicy initialDamping;
    private final Solver solver;
    private final L2Prior prior;
    private final AcceptanceStage acceptance;
    private final PriorTerm priorTerms;
    private final int d;
    private final boolean matrixFreeCapable;
    private final StepEvents events;

    private Curvature curvature;
    private DampingPolicy damping;
    private Batch checkedBatch;
    private Batch gradientCheckedBatch;
    private double[] residual = new double[0];
    private double[] trialOutputs = new double[0];
    /** f of the step's linearization through a design (reused: the steady state allocates no N-vector). */
    private double[] stepOutputs = new double[0];
    private final double[] gradient;
    private final double[] direction;
    /** The batch of the last linearization, and the model prepared for it ({@link Model#forBatch}; null: not yet). */
    private Batch preparedBatch;
    private boolean preparePending;
    private Model.OnBatch prepared;

    NaturalGradientOptimizer(Model model, Curvature curvature, double stepSize, DampingPolicy damping,
            Solver solver, L2Prior prior, ArmijoLineSearch lineSearch, int rejectionRetries, String kind) {
        super(new OptimizerRun(model, kind, stepSize));
        this.model = model;
        this.events = new StepEvents(run.listeners());
        this.initialCurvature = curvature;
        this.curvature = curvature.copy();
        this.initialDamping = damping;
        this.damping = damping.copy();
        this.solver = solver;
        this.priorTerms = PriorTerm.of(prior, model);
        this.prior = priorTerms.scaled() ? null : prior; // the isotropic prior's scalar path; a scaled one: priorTerms
        this.d = model.parameterCount();
        this.gradient = new double[d];
        this.direction = new double[d];
        this.acceptance = new AcceptanceStage(lineSearch, rejectionRetries, d, priorTerms);
        this.matrixFreeCapable = model.capabilities().containsAll(curvature.requiresMatrixFree());
    }

    @Override
    public void reset() {
        run.reset();
        damping = initialDamping.copy();
        curvature = curvature.reset(); // keeps the curvature's buffers (direct ones included)
        Arrays.fill(direction, 0.0);
        events.lastLambda(Double.NaN);
    }

    @Override
    public OptimizerState state() {
        OptimizerState.Builder out = run.stateBuilder()
                .putDouble("lastLambda", events.lastLambda()).putDoubles("direction", direction.clone());
        damping.writeState(out, "damping.");
        curvature.writeState(out, "curvature.");
        return out.build();
    }

    @Override
    public void restore(OptimizerState state) {
        long restoredSteps = run.stepsOf(state);
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
        run.restoreSteps(restoredSteps);
        events.lastLambda(restoredLambda);
        damping = newDamping;
        curvature = newCurvature;
        System.arraycopy(restoredDirection, 0, direction, 0, d);
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

    /**
     * The step, stage by stage: {@link GradientStage} (L(θ), g), the curvature system, then per try
     * {@link DirectionStage} (d = (C + λI)⁻¹ g with its repair) and {@link AcceptanceStage} (line search, ρ,
     * rejection); {@link StepEvents} emits the events between them.
     */
    private StepReport step(double[] theta, StepTarget target) {
        int n = target.rows();
        double priorPrecision = prior == null ? 0.0 : prior.precision(n);
        GradientStage.Evaluated evaluated = GradientStage.evaluate(target, theta, priorPrecision, priorTerms, gradient);
        double loss = evaluated.loss();
        double gradientNorm = evaluated.gradientNorm();
        double stepSize = run.stepSize(run.steps()); // a bad schedule leaves the state as it was
        long index = run.advance();
        if (!evaluated.finite()) {
            return OptimizerRun.notFinite(index, loss, gradientNorm, Double.NaN);
        }

        double kindPrior = curvature.includesPrior() ? priorPrecision : 0.0;
        double[] kindDiagonal = curvature.includesPrior() ? priorTerms.diagonal(n) : null;
        Solver chosen = target.choose();
        CurvatureSystem system = target.system(chosen, kindPrior, kindDiagonal);
        events.curvatureRefreshed(index);
        double tryStepSize = stepSize;
        for (int attempt = 0;; attempt++) {
            DirectionStage.Solved solved = DirectionStage.solve(damping, system, chosen.name(), gradient, direction);
            events.solved(index, solved.lambda(), solved.damped().action());
            events.solveStats(index, solved.solve());
            double gd = dot(gradient, direction);
            double directionNorm = Vectors.norm(direction);
            if (!Double.isFinite(directionNorm)) {
                return new StepReport(index, loss, gradientNorm, directionNorm, Double.NaN, solved.lambda(),
                        Double.NaN, "not stepped: direction not finite", false, false, 0.0, solved.solve());
            }
            double cosine = gradientNorm == 0 || directionNorm == 0 ? 1.0 : gd / (gradientNorm * directionNorm);

            AcceptanceStage.Trial trial = acceptance.judge(theta, direction, target, loss, gd, gradientNorm,
                    directionNorm, priorPrecision, tryStepSize, solved.damped().factorization().lastQuadraticForm(),
                    solved.lambda(), system, damping);
            String action = solved.action() + trial.note();
            SolveStats solve = solved.solve();
            if (trial.extraProducts() > 0 && !solve.method().equals("direct")) {
                solve = new SolveStats(solve.method(), solve.iterations(), solve.products() + trial.extraProducts(),
                        solve.capReached(), solve.relativeResidual());
            }
            if (trial.rejected()) {
                boolean adaptive = damping.needsReductionRatio();
                events.rejected(index, trial.actual(), trial.predicted(), adaptive);
                if (attempt >= acceptance.rejectionRetries(damping)) {
                    events.rejectionCapReached(index, acceptance.rejectionRetries(damping));
                    return new StepReport(index, loss, gradientNorm, directionNorm, cosine, solved.lambda(),
                            trial.rho(), "rejected after " + (attempt + 1) + " tries", false, true, 0.0, solve);
                }
                if (!adaptive) {
                    tryStepSize *= 0.5;
                }
                continue;
            }
            double eta = trial.eta();
            for (int i = 0; i < d; i++) {
                theta[i] -= eta * direction[i];
            }
            if (attempt > 0) {
                action += "; accepted after " + attempt + " rejected tries";
            }
            return new StepReport(index, loss, gradientNorm, directionNorm, cosine, solved.lambda(), trial.rho(),
                    action, true, false, eta, solve);
        }
    }

    /** The step's sums from one batch held in memory: the model's linearization on it. */
    private final class LocalTarget implements StepTarget {
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
            if (stepOutputs.length != n) {
                stepOutputs = new double[n];
            }
            lin = linearize(theta, batch, stepOutputs);
            checkLinearization(lin, n, k);
            double lossSum = model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, residual);
            lin.vectorJacobianProduct(residual, out);
            if (batch != gradientCheckedBatch && checkGradientWritten(lossSum, n * k)) {
                gradientCheckedBatch = batch; // once per batch: O(N·K + D), a few percent of a small step
            }
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
            if (trialOutputs.length < nk) {
                trialOutputs = new double[nk];
            }
            return jd;
        }

        @Override
        public double lineObjective(double[] jd, double eta, double priorTerm) {
            double[] f = lin.outputs();
            for (int i = 0; i < jd.length; i++) {
                trialOutputs[i] = f[i] - eta * jd[i];
            }
            return model.likelihood().lossAndResidual(trialOutputs, batch.y(), n, null) / n + priorTerm;
        }
    }

    /**
     * The step's sums from a {@link ShardedObjective}; the solve is matrix-free (CG), or, when the objective sums
     * the dense matrix, by the solver's choice for the shape (auto: Cholesky for D ≤ 1024) on that matrix.
     */
    private final class ShardedTarget implements StepTarget {
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
            if (!objective.sumsCurvatureMatrix()) {
                return solver;
            }
            return solver.choose(new ProblemShape(objective.rows(), model.likelihood().outputsPerExample(), d,
                    objective.nonZeros(), false, matrixFreeCapable));
        }

        @Override
        public CurvatureSystem system(Solver chosen, double kindPrior, double[] kindDiagonal) {
            if (objective.sumsCurvatureMatrix()) {
                // the dense structure: C = (1/N) Σ_s n_s C_s + τI, factorised here by the chosen solver
                double[] c = objective.curvatureMatrix(curvature);
                double inv = 1.0 / objective.rows();
                for (int i = 0; i < c.length; i++) {
                    c[i] *= inv;
                }
                for (int i = 0; i < d; i++) {
                    c[i * d + i] += kindPrior;
                }
                return new DenseCurvatureSystem(curvature.name(), c, d, chosen);
            }
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

    /**
     * Throws when the vector-Jacobian product left an entry of the gradient NaN although the loss and the
     * residual are finite; false when the check could not tell (a loss or residual not finite).
     */
    private boolean checkGradientWritten(double loss, int nk) {
        if (!Double.isFinite(loss)) {
            return false;
        }
        for (int i = 0; i < nk; i++) {
            if (!Double.isFinite(residual[i])) {
                return false;
            }
        }
        for (int j = 0; j < d; j++) {
            if (Double.isNaN(gradient[j])) {
                throw new IllegalStateException("the model's vectorJacobianProduct left out[" + j + "] NaN although "
                        + "the loss and residual are finite: it must overwrite all D = " + d + " entries of out "
                        + "(not add to them, not skip any): fix " + model.describe() + " (run OracleChecker on it)");
            }
        }
        return true;
    }

    @Override
    public double loss(double[] theta, Batch batch) {
        check(theta, batch);
        int n = batch.rows();
        double priorPrecision = prior == null ? 0.0 : prior.precision(n);
        Linearization lin = linearize(theta, batch, null);
        return model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, null) / n
                + 0.5 * priorPrecision * dot(theta, theta) + priorTerms.penalty(theta, n);
    }

    /**
     * The model at θ on the batch. From the second linearization on the same batch object (a batch is
     * immutable) until the next batch, the model prepared for it ({@link Model#forBatch}: a generalised linear
     * model on a dense batch reads its {@link StepDesign}): preparing costs a few steps' worth of copies, which a
     * batch seen once (a fresh minibatch per step) would not earn back. The prepared path has the bits of the plain
     * one, so when it starts does not change a result. Through the prepared model, f goes into {@code outputs}
     * where the model can ({@link Model.OnBatch#linearize(double[], double[])}: the step's reused array; null for
     * a new one: the trial objective's, so the step's f stays intact for its line search).
     */
    private Linearization linearize(double[] theta, Batch batch, double[] outputs) {
        if (batch != preparedBatch) {
            prepared = null; // the old preparation is garbage now
            preparedBatch = batch;
            preparePending = true;
            return model.linearize(theta, batch);
        }
        if (preparePending) {
            preparePending = false;
            prepared = model.forBatch(batch);
        }
        return outputs == null ? prepared.linearize(theta) : prepared.linearize(theta, outputs);
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

    /** Σ a_i b_i in index order ({@link Vectors#dot}: the step's one dot product, so its bits stay as they were). */
    static double dot(double[] a, double[] b) {
        return Vectors.dot(a, b);
    }
}
