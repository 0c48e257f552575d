package io.github.natgrad.layerwise;

import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.Solver;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.curvature.SampledCurvature;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.damping.LevenbergMarquardtDamping;
import io.github.natgrad.damping.ScalarDamping;
import io.github.natgrad.solve.Solvers;
import java.util.Locale;

/**
 * The configuration of a layer-wise natural-gradient optimizer for networks of dense layers, K-FAC by
 * default (Martens and Grosse 2015, "Optimizing neural networks with Kronecker-factored approximate
 * curvature", ICML), with the minibatch semantics of KFAC-JAX (Botev and Martens 2022): the curvature
 * is a moving average over steps, refreshed every few steps, and its inverse every few more.
 *
 * <p>Each step on a minibatch: (1) the gradient g of the objective on the minibatch; (2) every
 * {@link #withCurvaturePeriod curvature period} steps, the layers' curvature statistics on the minibatch
 * (or its first {@link #withCurvatureBatchSize m} examples), folded into a weighted moving average with
 * {@link #withDecay decay}; (3) every {@link #withInversePeriod inverse period} steps, the damped inverse
 * of each layer's block, with damping λ plus the prior's precision; (4) the direction d = (F̂ + λ)⁻¹ g per
 * layer, momentum v ← μ v + d, and θ ← θ − η v; (5) every {@link #withDampingPeriod k} steps, when the
 * {@link #withDamping damping policy} adapts (Levenberg-Marquardt), its rule on ρ = (L(θ − ηv) − L(θ)) / q(−ηv),
 * with q the quadratic model of the damped estimate: K-FAC's {@link Damping#kfac(double)} multiplies λ by
 * ω = 0.95^k when ρ &gt; 3/4 and divides it by ω when ρ &lt; 1/4 (Martens and Grosse, section 6.5).
 * During the first {@link #withWarmup warm-up} steps the curvature and its inverse are refreshed on every step.
 *
 * <p>The vocabulary is the dense {@code NaturalGradient}'s, with the structure as one more choice:
 * <ul>
 *   <li>the {@link Structure} (Kronecker-factored, diagonal, per-layer dense blocks);</li>
 *   <li>the curvature kind, a {@link Curvature}: {@link Curvatures#monteCarloFisher(int, long)
 *       monteCarloFisher(1, seed)} (one sampled label per example: an unbiased estimate of the true Fisher, K-FAC's
 *       choice), {@link Curvatures#empiricalFisher()} (the observed labels) or {@link Curvatures#fisher()} (the
 *       exact output factor, K backpropagations per example; {@link Curvatures#gaussNewton()} is the same matrix
 *       for the canonical likelihoods natgrad's networks use);</li>
 *   <li>the {@link DampingPolicy}: {@link Damping#fixed(double)} or Levenberg-Marquardt
 *       ({@link Damping#levenbergMarquardt()}, {@link Damping#kfac(double)}), the {@link ScalarDamping} policies;
 *       the λ it adapts lives in the optimizer and in its {@code OptimizerState};</li>
 *   <li>the {@link Solver} that inverts each damped factor: {@link Solvers#cholesky()} or
 *       {@link Solvers#eigen()}.</li>
 * </ul>
 * Every setting reads back through its getter.
 *
 * <p>Defaults: K-FAC ({@link Structure#KRONECKER}), {@code Curvatures.monteCarloFisher(1, 0)}, Cholesky inverses,
 * η = 0.1, {@code Damping.kfac(1e-3)} (λ within [1e-6, 1e3]) adapted every 5 steps, decay 0.95, curvature
 * period 1, inverse period 5, warm-up 5 steps, the whole minibatch for the curvature, no momentum, no prior.
 *
 * <p>Guidance for minibatches: the damped inverse scales the step by up to 1/λ in directions the estimate
 * has not seen, so a small λ with η near 1 takes steps far outside where the minibatch's quadratic model
 * holds. Start with η of 0.05–0.3 and λ₀ of 1e-3–1e-1 for inputs scaled to [0, 1]; keep the adaptive
 * damping on, which raises λ after steps that did worse than predicted.
 *
 * <pre>{@code
 * Optimizer kfac = LayerwiseNaturalGradient.kfac().withStepSize(0.1).build(mlp);
 * Optimizer blocks = LayerwiseNaturalGradient.of(Curvatures.fisher()).withStructure(Structure.BLOCK_DIAGONAL)
 *         .withDamping(Damping.fixed(1e-2)).withSolver(Solvers.eigen()).build(mlp);
 * for (Batch b : minibatches) kfac.step(theta, b);
 * }</pre>
 */
public final class LayerwiseNaturalGradient implements OptimizerFactory {
    private Structure structure;
    private Curvature curvature;
    private FactorSource source;
    private Solver solver;
    private InverseMethod inverse;
    private double stepSize;
    private DampingPolicy damping;
    private int dampingPeriod;
    private double decay;
    private int curvaturePeriod;
    private int inversePeriod;
    private int warmup;
    private int curvatureBatch;
    private double momentum;
    private L2Prior prior;
    private long seed;

    private LayerwiseNaturalGradient() {
    }

    /** K-FAC with the defaults. */
    public static LayerwiseNaturalGradient kfac() {
        LayerwiseNaturalGradient c = new LayerwiseNaturalGradient();
        c.structure = Structure.KRONECKER;
        c.curvature = Curvatures.monteCarloFisher(1, 0L);
        c.source = FactorSource.SAMPLED;
        c.solver = Solvers.cholesky();
        c.inverse = InverseMethod.CHOLESKY;
        c.stepSize = 0.1;
        c.damping = Damping.kfac(1e-3);
        c.dampingPeriod = 5;
        c.decay = 0.95;
        c.curvaturePeriod = 1;
        c.inversePeriod = 5;
        c.warmup = 5;
        c.curvatureBatch = 0;
        c.momentum = 0.0;
        c.prior = null;
        c.seed = 0L;
        return c;
    }

    /** The defaults of {@link #kfac()} with the curvature kind {@code kind} (see {@link #withCurvature}). */
    public static LayerwiseNaturalGradient of(Curvature kind) {
        return kfac().withCurvature(kind);
    }

    /** A copy with {@code change} applied: the one pattern of the withers. */
    private LayerwiseNaturalGradient with(java.util.function.Consumer<LayerwiseNaturalGradient> change) {
        LayerwiseNaturalGradient c = copy();
        change.accept(c);
        return c;
    }

    private LayerwiseNaturalGradient copy() {
        LayerwiseNaturalGradient c = new LayerwiseNaturalGradient();
        c.structure = structure;
        c.curvature = curvature;
        c.source = source;
        c.solver = solver;
        c.inverse = inverse;
        c.stepSize = stepSize;
        c.damping = damping;
        c.dampingPeriod = dampingPeriod;
        c.decay = decay;
        c.curvaturePeriod = curvaturePeriod;
        c.inversePeriod = inversePeriod;
        c.warmup = warmup;
        c.curvatureBatch = curvatureBatch;
        c.momentum = momentum;
        c.prior = prior;
        c.seed = seed;
        return c;
    }

    /** A copy with another structure. */
    public LayerwiseNaturalGradient withStructure(Structure s) {
        return with(c -> c.structure = Checks.notNull(s, "structure"));
    }

    /**
     * A copy approximating another curvature kind: {@code Curvatures.monteCarloFisher(1, seed)} (sampled labels,
     * seeded), {@code Curvatures.empiricalFisher()} (observed labels), {@code Curvatures.fisher()} or
     * {@code Curvatures.gaussNewton()} (the exact output factor).
     *
     * @throws IllegalArgumentException for a kind a layer-wise structure cannot build (identity, Hessian, a kind
     *                                  without its prior, a Monte-Carlo Fisher of more than one label per example)
     */
    public LayerwiseNaturalGradient withCurvature(Curvature kind) {
        FactorSource from = sourceOf(Checks.notNull(kind, "curvature"));
        return with(c -> {
            c.source = from;
            c.curvature = kind;
            if (kind instanceof SampledCurvature sampled) {
                c.seed = sampled.seed();
            }
        });
    }

    private static FactorSource sourceOf(Curvature kind) {
        if (kind instanceof SampledCurvature sampled) {
            if (sampled.samples() != 1) {
                throw new IllegalArgumentException("layer-wise structures sample one label per example, got a "
                        + "Monte-Carlo Fisher of " + sampled.samples() + "; use Curvatures.monteCarloFisher(1, seed)");
            }
            return FactorSource.SAMPLED;
        }
        return switch (kind.name()) {
            case "empirical-fisher" -> FactorSource.OBSERVED;
            case "fisher", "gauss-newton" -> FactorSource.EXACT;
            default -> throw new IllegalArgumentException("a layer-wise structure cannot approximate the '" + kind.name()
                    + "' curvature; use Curvatures.monteCarloFisher(1, seed), empiricalFisher(), fisher() or "
                    + "gaussNewton(), or the dense NaturalGradient for this kind");
        };
    }

    /**
     * A copy inverting each damped factor with {@code strategy}: {@code Solvers.cholesky()} (LAPACK dpotrf + dpotri,
     * about n³ flops) or {@code Solvers.eigen()} (dsyevd, about 9n³ flops, robust to a rank-deficient factor).
     *
     * @throws IllegalArgumentException for another solver (conjugate gradients and Woodbury solve a whole system,
     *                                  not a layer's factor)
     */
    public LayerwiseNaturalGradient withSolver(Solver strategy) {
        InverseMethod method = switch (Checks.notNull(strategy, "solver").name()) {
            case "cholesky" -> InverseMethod.CHOLESKY;
            case "eigen" -> InverseMethod.EIGEN;
            default -> throw new IllegalArgumentException("a layer-wise structure inverts its factors with "
                    + "Solvers.cholesky() or Solvers.eigen(), not '" + strategy.name() + "'");
        };
        return with(c -> {
            c.inverse = method;
            c.solver = strategy;
        });
    }

    /** A copy with step size η &gt; 0. */
    public LayerwiseNaturalGradient withStepSize(double eta) {
        return with(c -> c.stepSize = Checks.positive(eta, "step size"));
    }

    /**
     * A copy with another damping policy: {@code Damping.fixed(λ)} with λ &gt; 0, or a Levenberg-Marquardt rule
     * ({@code Damping.kfac(λ₀)}, {@code Damping.levenbergMarquardt(...)}), applied every
     * {@link #withDampingPeriod damping period} steps. The policy's prior precision is added to λ.
     *
     * @throws IllegalArgumentException for a policy that needs the whole curvature's spectrum (auto, shift to
     *                                  positive definite, saddle-free), or a fixed λ of 0
     */
    public LayerwiseNaturalGradient withDamping(DampingPolicy policy) {
        Checks.notNull(policy, "damping policy");
        if (!(policy instanceof ScalarDamping scalar)) {
            throw new IllegalArgumentException("a layer-wise structure damps every block with one lambda and takes "
                    + "Damping.fixed(lambda) or a Levenberg-Marquardt policy (Damping.kfac(lambda0), "
                    + "Damping.levenbergMarquardt()), not " + policy.name());
        }
        if (!(scalar.initialLambda() > 0)) {
            throw new IllegalArgumentException("a layer-wise structure needs a damping lambda > 0 to invert its "
                    + "blocks, got " + policy.name());
        }
        return with(c -> c.damping = policy);
    }

    /**
     * A copy whose damping starts from λ₀ &gt; 0, keeping the policy: a Levenberg-Marquardt rule keeps its factor
     * and widens its bounds to hold λ₀, a fixed damping becomes {@code Damping.fixed(λ₀)}. With the default policy,
     * {@code withDamping(λ₀)} is {@code withDamping(Damping.kfac(λ₀))}.
     */
    public LayerwiseNaturalGradient withDamping(double lambda) {
        Checks.positive(lambda, "damping");
        if (damping instanceof LevenbergMarquardtDamping lm) {
            LevenbergMarquardtDamping wider = lm.withBounds(Math.min(lm.minimum(), lambda),
                    Math.max(lm.maximum(), lambda)).withInitial(lambda);
            return withDamping(wider);
        }
        return withDamping(Damping.fixed(lambda));
    }

    /**
     * A copy that evaluates the reduction ratio ρ and adapts λ every {@code steps} ≥ 1 steps (one more forward
     * pass then), when the damping policy adapts. K-FAC's rule raises or lowers λ by ω^k after k steps.
     */
    public LayerwiseNaturalGradient withDampingPeriod(int steps) {
        return with(c -> c.dampingPeriod = Checks.atLeastOne(steps, "damping adaptation period"));
    }

    /** A copy with moving-average decay in [0, 1) (0: the latest batch's curvature alone). */
    public LayerwiseNaturalGradient withDecay(double d) {
        if (!(d >= 0 && d < 1)) {
            throw new IllegalArgumentException("the curvature's moving-average decay must be in [0, 1), got " + d);
        }
        return with(c -> c.decay = d);
    }

    /** A copy updating the curvature statistics every {@code steps} ≥ 1 steps. */
    public LayerwiseNaturalGradient withCurvaturePeriod(int steps) {
        return with(c -> c.curvaturePeriod = Checks.atLeastOne(steps, "curvature update period"));
    }

    /** A copy recomputing the damped inverses every {@code steps} ≥ 1 steps. */
    public LayerwiseNaturalGradient withInversePeriod(int steps) {
        return with(c -> c.inversePeriod = Checks.atLeastOne(steps, "inverse update period"));
    }

    /** A copy refreshing curvature and inverse on every one of the first {@code steps} ≥ 0 steps. */
    public LayerwiseNaturalGradient withWarmup(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, got " + steps);
        }
        return with(c -> c.warmup = steps);
    }

    /**
     * A copy estimating the curvature on the first {@code m} examples of each minibatch (a separate forward
     * pass), 0 for the whole minibatch. A minibatch smaller than m is refused with an error.
     */
    public LayerwiseNaturalGradient withCurvatureBatchSize(int m) {
        if (m < 0) {
            throw new IllegalArgumentException("curvature batch size must be >= 0 (0 = the whole minibatch), got " + m);
        }
        return with(c -> c.curvatureBatch = m);
    }

    /** A copy with momentum μ in [0, 1) on the preconditioned direction. */
    public LayerwiseNaturalGradient withMomentum(double mu) {
        if (!(mu >= 0 && mu < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + mu);
        }
        return with(c -> c.momentum = mu);
    }

    /** A copy with an L2 prior (or none, for {@code null}); its precision is added to λ. */
    public LayerwiseNaturalGradient withPrior(L2Prior l2Prior) {
        return with(c -> c.prior = l2Prior);
    }

    /**
     * A copy sampling labels from the stream seeded with {@code s}: with sampled labels, the same as
     * {@code withCurvature(Curvatures.monteCarloFisher(1, s))}; the other kinds draw nothing.
     */
    public LayerwiseNaturalGradient withSeed(long s) {
        LayerwiseNaturalGradient c = copy();
        c.seed = s;
        if (source == FactorSource.SAMPLED) {
            c.curvature = Curvatures.monteCarloFisher(1, s);
        }
        return c;
    }

    /** The structure of each layer's block. */
    public Structure structure() {
        return structure;
    }

    /** The curvature kind the structure approximates. */
    public Curvature curvature() {
        return curvature;
    }

    FactorSource source() {
        return source;
    }

    /** The solver that inverts each damped factor (Cholesky or eigen). */
    public Solver solver() {
        return solver;
    }

    InverseMethod inverse() {
        return inverse;
    }

    /** The step size η. */
    public double stepSize() {
        return stepSize;
    }

    /** The damping policy (a {@link ScalarDamping}: fixed or Levenberg-Marquardt). */
    public DampingPolicy damping() {
        return damping;
    }

    ScalarDamping scalarDamping() {
        return (ScalarDamping) damping;
    }

    /** Every how many steps an adapting damping policy is told ρ. */
    public int dampingPeriod() {
        return dampingPeriod;
    }

    /** The moving-average decay of the curvature statistics. */
    public double decay() {
        return decay;
    }

    /** Every how many steps the curvature statistics are updated. */
    public int curvaturePeriod() {
        return curvaturePeriod;
    }

    /** Every how many steps the damped inverses are recomputed. */
    public int inversePeriod() {
        return inversePeriod;
    }

    /** The warm-up steps (curvature and inverse refreshed on each). */
    public int warmup() {
        return warmup;
    }

    /** The examples of each minibatch the curvature is estimated on (0: all). */
    public int curvatureBatchSize() {
        return curvatureBatch;
    }

    /** The momentum μ on the preconditioned direction. */
    public double momentum() {
        return momentum;
    }

    /** The prior, if any. */
    public java.util.Optional<L2Prior> prior() {
        return java.util.Optional.ofNullable(prior);
    }

    /** The seed of the label-sampling stream. */
    public long seed() {
        return seed;
    }

    /**
     * An optimizer for one run of {@code model}.
     *
     * @throws IllegalArgumentException if the model has no dense layers to structure
     *                                  ({@link ModelCapability#DENSE_LAYERS}), or the likelihood cannot sample
     *                                  labels for a Monte-Carlo Fisher
     */
    @Override
    public Optimizer build(Model model) {
        Checks.notNull(model, "model");
        if (!model.capabilities().contains(ModelCapability.DENSE_LAYERS)) {
            throw new IllegalArgumentException("layer-wise curvature needs a model of dense layers ("
                    + ModelCapability.DENSE_LAYERS + "), but " + model.describe() + " provides only "
                    + model.capabilities() + "; use MultilayerPerceptron or the dense NaturalGradient");
        }
        if (source == FactorSource.SAMPLED && !model.likelihood().canSample()) {
            throw new IllegalArgumentException("sampled labels need a likelihood that samples; "
                    + model.likelihood().name() + " cannot: use Curvatures.fisher()");
        }
        return new LayerwiseOptimizer(this, model);
    }

    /**
     * The configuration, e.g. {@code layerwise-ngd(kronecker, sampled, cholesky, eta=0.1, lambda0=0.001 in
     * [1.0E-6, 1000.0], adapt every 5, ...)}; it is the kind of the optimizer's {@code OptimizerState}.
     */
    @Override
    public String toString() {
        String lambdas;
        if (damping instanceof LevenbergMarquardtDamping lm) {
            lambdas = "lambda0=" + lm.initialLambda() + " in [" + lm.minimum() + ", " + lm.maximum() + "], adapt every "
                    + dampingPeriod + (lm.shrinkForm() && lm.factor() == 1 / 0.95 ? "" : ", " + lm.name());
        } else { // as the fixed λ was written before it was a policy, so that saved states still restore
            double lambda = scalarDamping().initialLambda();
            lambdas = "lambda0=" + lambda + " in [" + Math.min(1e-6, lambda) + ", " + Math.max(1e3, lambda)
                    + "], adapt every 0";
        }
        return "layerwise-ngd(" + structure.name().toLowerCase(Locale.ROOT) + ", "
                + source.name().toLowerCase(Locale.ROOT) + ", " + inverse.name().toLowerCase(Locale.ROOT)
                + ", eta=" + stepSize + ", " + lambdas + ", decay=" + decay + ", periods " + curvaturePeriod + "/"
                + inversePeriod + ", warmup " + warmup + ", curvature batch " + curvatureBatch + ", momentum "
                + momentum + ", prior " + prior + ", seed " + seed + ")";
    }
}
