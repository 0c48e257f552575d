package io.github.natgrad.optim;

import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.L2Prior;
import io.github.natgrad.MatrixFreeSolver;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.Optimizer;
import io.github.natgrad.Solver;
import io.github.natgrad.StepAcceptingPolicy;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.solve.Solvers;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration of a natural-gradient optimizer: θ ← θ − η (C + λI)⁻¹ g, composed of four
 * independent choices — the curvature kind C, the damping policy choosing λ, the solver, and an optional
 * L2 prior — plus the step size η (Amari 1998; Martens 2020). Immutable, configured with
 * {@code with...} copies in the style of Commons Math's least-squares builders; {@link #build(Model)}
 * checks the choices against a model and returns a stateful {@link Optimizer} for one training run.
 *
 * <pre>{@code
 * Optimizer opt = NaturalGradient.of(Curvatures.fisher())
 *         .withStepSize(1.0)
 *         .withDamping(Damping.fixed(1e-4))
 *         .build(GeneralizedLinearModel.logisticRegression(30).withBias());
 * StepReport report = opt.step(theta, batch);
 * }</pre>
 *
 * Defaults of {@link #of}: η = 1, {@link Damping#auto()} (Levenberg-Marquardt from λ₀ = 10⁻³ × the smallest diagonal entry of C with Nielsen's
 * update from the reduction ratio: nearly Newton's step from the first one, raised when the quadratic model
 * fails; it costs one forward pass a step for ρ), Cholesky solver, no prior, no step rejection. For the plain
 * undamped step pass {@code withDamping(Damping.none())}, for a constant λ {@code Damping.fixed(λ)}.
 * {@link #trustRegionNewton} is {@code natgrad train}'s configuration: TRON's trust region for L2-regularised GLMs
 * (with {@code withPrior(L2Prior.ofVariance(C))} it takes {@code train}'s default steps bit for bit).
 *
 * <p>Why {@link #of} keeps Levenberg–Marquardt and Cholesky rather than {@code train}'s trust region: {@code of} serves
 * every model — networks, minibatches, models without a prior, line searches — and the trust region fits only part
 * of them: it refuses a line search (a default that failed {@code withLineSearch} would break existing code), its
 * first radius comes from the gradient's size, which on a minibatch or a non-convex model can be far off (each
 * rejected try costs a whole solve, where λ adapts from one forward pass), and on small dense problems Cholesky
 * with λ₀ = 10⁻³ min diag(C) already takes Newton's steps from the first one (a1a, australian, diabetes: the same
 * iterations as TRON to LIBLINEAR's objective, docs/train-defaults.md). For an L2-regularised GLM trained to
 * convergence, use {@link #trustRegionNewton}.
 */
public final class NaturalGradient implements io.github.natgrad.OptimizerFactory {
    private final Curvature curvature;
    private final double stepSize;
    private final DampingPolicy damping;
    private final Solver solver;
    private final L2Prior prior;
    private final ArmijoLineSearch lineSearch;
    private final int rejectionRetries;

    private NaturalGradient(Curvature curvature, double stepSize, DampingPolicy damping, Solver solver,
            L2Prior prior) {
        this(curvature, stepSize, damping, solver, prior, null, 0);
    }

    private NaturalGradient(Curvature curvature, double stepSize, DampingPolicy damping, Solver solver,
            L2Prior prior, ArmijoLineSearch lineSearch, int rejectionRetries) {
        this.curvature = curvature;
        this.stepSize = stepSize;
        this.damping = damping;
        this.solver = solver;
        this.prior = prior;
        this.lineSearch = lineSearch;
        this.rejectionRetries = rejectionRetries;
    }

    /**
     * A copy with an Armijo backtracking line search from the step size η (or none, for {@code null}); for
     * full-batch convex problems, as LIBLINEAR's Newton method.
     */
    public NaturalGradient withLineSearch(ArmijoLineSearch search) {
        return new NaturalGradient(curvature, stepSize, damping, solver, prior, search, rejectionRetries);
    }

    /** The line search, if any. */
    public Optional<ArmijoLineSearch> lineSearch() {
        return Optional.ofNullable(lineSearch);
    }

    /** An optimizer configuration preconditioned by {@code curvature}. */
    public static NaturalGradient of(Curvature curvature) {
        return new NaturalGradient(Checks.notNull(curvature, "curvature"), 1.0, Damping.auto(),
                Solvers.cholesky(), null);
    }

    /**
     * LIBLINEAR's trust-region Newton method (TRON; Lin, Weng and Keerthi 2008) on natgrad's axes, the defaults of
     * {@code natgrad train}: {@link Damping#trustRegion()} with the auto solver, whose CG (picked when the D × D
     * matrix is too large) is {@link io.github.natgrad.solve.ConjugateGradient#tron()} — Steihaug–Toint CG with
     * TRON's stopping rule and LIBLINEAR's preconditioner — and whose dense solves search λ(Δ). On an
     * L2-regularised GLM (add the prior with {@link #withPrior}) it takes TRON's iterations and CG products.
     * Not the default of {@link #of}: without a prior, on minibatches or on non-convex models a first radius from
     * the gradient can be far off and each rejected try costs a solve; Levenberg–Marquardt
     * ({@link Damping#auto()}) adapts more cheaply there.
     */
    public static NaturalGradient trustRegionNewton(Curvature curvature) {
        return of(curvature).withDamping(Damping.trustRegion())
                .withSolver(io.github.natgrad.solve.AutoSolver.defaults().withConjugateGradient(io.github.natgrad.solve.ConjugateGradient.tron()));
    }

    /** Plain gradient descent θ ← θ − η g (the identity curvature, no damping). */
    public static NaturalGradient gradientDescent(double stepSize) {
        return of(Curvatures.identity()).withStepSize(stepSize).withDamping(Damping.none());
    }

    /** A copy with step size η &gt; 0. */
    public NaturalGradient withStepSize(double eta) {
        return new NaturalGradient(curvature, Checks.positive(eta, "step size"), damping, solver, prior, lineSearch,
                rejectionRetries);
    }

    /** A copy with another damping policy. */
    public NaturalGradient withDamping(DampingPolicy policy) {
        return new NaturalGradient(curvature, stepSize, Checks.notNull(policy, "damping policy"), solver, prior,
                lineSearch, rejectionRetries);
    }

    /** A copy with another solver strategy. */
    public NaturalGradient withSolver(Solver strategy) {
        return new NaturalGradient(curvature, stepSize, damping, Checks.notNull(strategy, "solver"), prior,
                lineSearch, rejectionRetries);
    }

    /** A copy with an L2 prior (or none, for {@code null}). */
    public NaturalGradient withPrior(L2Prior l2Prior) {
        return new NaturalGradient(curvature, stepSize, damping, solver, l2Prior, lineSearch, rejectionRetries);
    }

    /**
     * A copy that refuses steps that do not decrease the objective on the batch. After computing the
     * direction d, the optimizer evaluates the loss at θ − η d; if it is not lower (actual reduction
     * negative, or the loss not finite) the step is rejected: with an adaptive damping (Levenberg-Marquardt)
     * the policy is told the failed ρ, raises λ and the step is re-solved; with any other damping η is
     * halved (backtracking). After {@code maxRetries} failed tries θ is left unchanged and the report says
     * {@link io.github.natgrad.StepReport#rejected() rejected}. Each try costs one forward pass.
     *
     * <p>Guidance for minibatches: a natural-gradient step with η = 1 and a small λ is the Newton-like step
     * of the batch's own quadratic model; on a minibatch of 64 that model is noisy and the step can be
     * far too long (the loss of breast-cancer logistic regression went from 0.69 to 344 in one epoch at
     * λ = 1e-3). Use η between 0.1 and 0.5, λ of 1e-2 to 1 relative to the curvature's scale, and step
     * rejection or Levenberg-Marquardt with rejection, which keeps only steps that help on the batch.
     *
     * @param maxRetries tries after the first before giving up, at least 1; 0 turns rejection off (the default)
     */
    public NaturalGradient withStepRejection(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("step rejection retries must be >= 0 (0 = off), got " + maxRetries);
        }
        return new NaturalGradient(curvature, stepSize, damping, solver, prior, lineSearch, maxRetries);
    }

    /** The number of retries of a rejected step (0: rejection off). */
    public int stepRejectionRetries() {
        return rejectionRetries;
    }

    /** A copy with another curvature kind. */
    public NaturalGradient withCurvature(Curvature kind) {
        return new NaturalGradient(Checks.notNull(kind, "curvature"), stepSize, damping, solver, prior, lineSearch,
                rejectionRetries);
    }

    /** The curvature kind. */
    public Curvature curvature() {
        return curvature;
    }

    /** The step size η. */
    public double stepSize() {
        return stepSize;
    }

    /** The damping policy. */
    public DampingPolicy damping() {
        return damping;
    }

    /** The solver strategy. */
    public Solver solver() {
        return solver;
    }

    /** The prior, if any. */
    public Optional<L2Prior> prior() {
        return Optional.ofNullable(prior);
    }

    /**
     * An optimizer for one training run of {@code model}.
     *
     * @throws IllegalArgumentException if the model cannot give what the curvature kind needs
     */
    @Override
    public Optimizer build(Model model) {
        Checks.notNull(model, "model");
        checkStepLengthControl();
        Set<ModelCapability> missing = EnumSet.noneOf(ModelCapability.class);
        missing.addAll(solver instanceof MatrixFreeSolver mf ? mf.requires(curvature) : curvature.requires());
        missing.removeAll(model.capabilities());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the " + curvature.name() + " curvature needs " + missing
                    + " from the model, but " + model.describe() + " provides only " + model.capabilities()
                    + (missing.contains(ModelCapability.SECOND_ORDER_TERM)
                            ? "; use the gauss-newton kind, which drops the second-order term, or implement "
                                    + "Linearization.addSecondOrderTerm"
                            : missing.contains(ModelCapability.SECOND_ORDER_PRODUCT)
                            ? "; use the gauss-newton kind or implement Linearization.secondOrderTermProduct"
                            : missing.contains(ModelCapability.JACOBIAN_VECTOR_PRODUCT)
                                    ? "; implement Linearization.jacobianVectorProduct or use a dense solver"
                                    : "; implement Linearization.jacobianRows or use the identity kind"));
        }
        if (curvature.requiresSampling() && !model.likelihood().canSample()) {
            throw new IllegalArgumentException("the " + curvature.name() + " curvature samples labels from the "
                    + "model, but the likelihood " + model.likelihood().name() + " cannot sample; use the exact "
                    + "fisher kind");
        }
        return new NaturalGradientOptimizer(model, curvature.copy(), stepSize, damping.copy(), solver, prior,
                lineSearch, rejectionRetries, toString());
    }

    /**
     * An optimizer for one training run on a {@link ShardedObjective} — data held in shards (on a cluster),
     * answered as sums: the same step as {@link #build(Model)}'s, solved matrix-free, or, when the objective
     * {@linkplain ShardedObjective#sumsCurvatureMatrix() sums the dense matrix}, by this solver on that matrix.
     *
     * @throws IllegalArgumentException if a matrix-free objective's solver is not conjugate gradients (or auto,
     *                                  which then uses its CG), the solver is Woodbury, the kind samples labels,
     *                                  or the model cannot give the products (or the Jacobian rows)
     */
    public ShardedOptimizer build(ShardedObjective objective) {
        Checks.notNull(objective, "objective");
        checkStepLengthControl();
        Model model = objective.model();
        boolean dense = objective.sumsCurvatureMatrix();
        if ((!dense && !(solver instanceof MatrixFreeSolver)) || solver.name().equals("woodbury")) {
            throw new IllegalArgumentException(dense
                    ? "a sharded objective's dense curvature is factorised by cholesky, eigen, cg or auto, not "
                            + solver.name()
                    : "a sharded objective is solved by conjugate gradients (one pass over the shards per product): "
                            + "use the cg or auto solver, not " + solver.name() + " (or sum the dense matrix: the "
                            + "dense structure)");
        }
        if (curvature.requiresSampling()) {
            throw new IllegalArgumentException("the " + curvature.name() + " curvature samples labels from one "
                    + "random stream, which a sharded objective does not share: use the exact fisher kind");
        }
        Set<ModelCapability> missing = EnumSet.noneOf(ModelCapability.class);
        missing.addAll(dense ? curvature.requires() : curvature.requiresMatrixFree());
        missing.removeAll(model.capabilities());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the " + (dense ? "dense " : "matrix-free ") + curvature.name()
                    + " curvature needs " + missing + " from the model, but " + model.describe() + " provides only "
                    + model.capabilities());
        }
        return new ShardedOptimizer(new NaturalGradientOptimizer(model, curvature.copy(), stepSize, damping.copy(),
                solver, prior, lineSearch, rejectionRetries, toString()), objective);
    }

    /**
     * A damping that judges its own steps (a trust region) chooses the step's length itself: it does not compose
     * with a line search.
     */
    private void checkStepLengthControl() {
        if (damping instanceof StepAcceptingPolicy && lineSearch != null) {
            throw new IllegalArgumentException("the " + damping.name() + " damping chooses the step length itself "
                    + "(it accepts or rejects each step); a line search on top of it is not supported: drop "
                    + "withLineSearch, or use Damping.auto() with the line search");
        }
    }

    @Override
    public String toString() {
        return "NaturalGradient[curvature=" + curvature.name() + ", stepSize=" + stepSize + ", damping="
                + damping.name() + ", solver=" + solver.name() + ", prior=" + prior
                + (lineSearch != null ? ", lineSearch=" + lineSearch : "")
                + (rejectionRetries > 0 ? ", stepRejection=" + rejectionRetries : "") + "]";
    }
}
