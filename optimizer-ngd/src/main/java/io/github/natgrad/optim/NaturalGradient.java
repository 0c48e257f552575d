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
 * Defaults: η = 1, fixed damping λ = 1e-8, Cholesky solver, no prior.
 */
public final class NaturalGradient {
    private final Curvature curvature;
    private final double stepSize;
    private final DampingPolicy damping;
    private final Solver solver;
    private final L2Prior prior;
    private final ArmijoLineSearch lineSearch;

    private NaturalGradient(Curvature curvature, double stepSize, DampingPolicy damping, Solver solver,
            L2Prior prior) {
        this(curvature, stepSize, damping, solver, prior, null);
    }

    private NaturalGradient(Curvature curvature, double stepSize, DampingPolicy damping, Solver solver,
            L2Prior prior, ArmijoLineSearch lineSearch) {
        this.curvature = curvature;
        this.stepSize = stepSize;
        this.damping = damping;
        this.solver = solver;
        this.prior = prior;
        this.lineSearch = lineSearch;
    }

    /**
     * A copy with an Armijo backtracking line search from the step size η (or none, for {@code null}); for
     * full-batch convex problems, as LIBLINEAR's Newton method.
     */
    public NaturalGradient withLineSearch(ArmijoLineSearch search) {
        return new NaturalGradient(curvature, stepSize, damping, solver, prior, search);
    }

    /** The line search, if any. */
    public Optional<ArmijoLineSearch> lineSearch() {
        return Optional.ofNullable(lineSearch);
    }

    /** An optimizer configuration preconditioned by {@code curvature}. */
    public static NaturalGradient of(Curvature curvature) {
        return new NaturalGradient(Checks.notNull(curvature, "curvature"), 1.0, Damping.fixed(1e-8),
                Solvers.cholesky(), null);
    }

    /** Plain gradient descent θ ← θ − η g (the identity curvature, no damping). */
    public static NaturalGradient gradientDescent(double stepSize) {
        return of(Curvatures.identity()).withStepSize(stepSize).withDamping(Damping.none());
    }

    /** A copy with step size η &gt; 0. */
    public NaturalGradient withStepSize(double eta) {
        return new NaturalGradient(curvature, Checks.positive(eta, "step size"), damping, solver, prior, lineSearch);
    }

    /** A copy with another damping policy. */
    public NaturalGradient withDamping(DampingPolicy policy) {
        return new NaturalGradient(curvature, stepSize, Checks.notNull(policy, "damping policy"), solver, prior,
                lineSearch);
    }

    /** A copy with another solver strategy. */
    public NaturalGradient withSolver(Solver strategy) {
        return new NaturalGradient(curvature, stepSize, damping, Checks.notNull(strategy, "solver"), prior,
                lineSearch);
    }

    /** A copy with an L2 prior (or none, for {@code null}). */
    public NaturalGradient withPrior(L2Prior l2Prior) {
        return new NaturalGradient(curvature, stepSize, damping, solver, l2Prior, lineSearch);
    }

    /** A copy with another curvature kind. */
    public NaturalGradient withCurvature(Curvature kind) {
        return new NaturalGradient(Checks.notNull(kind, "curvature"), stepSize, damping, solver, prior, lineSearch);
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
    public Optimizer build(Model model) {
        Checks.notNull(model, "model");
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
                lineSearch);
    }

    @Override
    public String toString() {
        return "NaturalGradient[curvature=" + curvature.name() + ", stepSize=" + stepSize + ", damping="
                + damping.name() + ", solver=" + solver.name() + ", prior=" + prior
                + (lineSearch != null ? ", lineSearch=" + lineSearch : "") + "]";
    }
}
