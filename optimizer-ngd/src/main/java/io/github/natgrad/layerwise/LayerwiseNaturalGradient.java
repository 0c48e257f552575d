package io.github.natgrad.layerwise;

import io.github.natgrad.Checks;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.OptimizerFactory;

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
 * layer, momentum v ← μ v + d, and θ ← θ − η v; (5) every {@link #withAdaptiveDamping k} steps, the
 * Levenberg-Marquardt rule on ρ = (L(θ − ηv) − L(θ)) / q(−ηv), with q the quadratic model of the damped
 * estimate: ρ &gt; 3/4 multiplies λ by ω = 0.95^k, ρ &lt; 1/4 divides it by ω (Martens and Grosse, section 6.5).
 * During the first {@link #withWarmup warm-up} steps the curvature and its inverse are refreshed on every step.
 *
 * <p>Three choices are independent: the {@link Structure} (Kronecker-factored, diagonal, per-layer dense
 * blocks), the {@link FactorSource} (sampled labels: the true Fisher; observed labels: the empirical Fisher;
 * the exact output factor: the Fisher = Gauss-Newton) and the {@link InverseMethod}.
 *
 * <p>Defaults: K-FAC, sampled labels (seed 0), Cholesky inverses, η = 0.1, λ₀ = 1e-3 adapted every 5 steps
 * within [1e-6, 1e3], decay 0.95, curvature period 1, inverse period 5, warm-up 5 steps, the whole minibatch
 * for the curvature, no momentum, no prior.
 *
 * <p>Guidance for minibatches: the damped inverse scales the step by up to 1/λ in directions the estimate
 * has not seen, so a small λ with η near 1 takes steps far outside where the minibatch's quadratic model
 * holds. Start with η of 0.05–0.3 and λ₀ of 1e-3–1e-1 for inputs scaled to [0, 1]; keep the adaptive
 * damping on, which raises λ after steps that did worse than predicted.
 *
 * <pre>{@code
 * Optimizer kfac = LayerwiseNaturalGradient.kfac().withStepSize(0.1).build(mlp);
 * for (Batch b : minibatches) kfac.step(theta, b);
 * }</pre>
 */
public final class LayerwiseNaturalGradient implements OptimizerFactory {
    private final Structure structure;
    private final FactorSource source;
    private final InverseMethod inverse;
    private final double stepSize;
    private final double damping;
    private final double minDamping;
    private final double maxDamping;
    private final int adaptEvery;
    private final double decay;
    private final int curvaturePeriod;
    private final int inversePeriod;
    private final int warmup;
    private final int curvatureBatch;
    private final double momentum;
    private final L2Prior prior;
    private final long seed;

    private LayerwiseNaturalGradient(Structure structure, FactorSource source, InverseMethod inverse, double stepSize,
            double damping, double minDamping, double maxDamping, int adaptEvery, double decay, int curvaturePeriod,
            int inversePeriod, int warmup, int curvatureBatch, double momentum, L2Prior prior, long seed) {
        this.structure = structure;
        this.source = source;
        this.inverse = inverse;
        this.stepSize = stepSize;
        this.damping = damping;
        this.minDamping = minDamping;
        this.maxDamping = maxDamping;
        this.adaptEvery = adaptEvery;
        this.decay = decay;
        this.curvaturePeriod = curvaturePeriod;
        this.inversePeriod = inversePeriod;
        this.warmup = warmup;
        this.curvatureBatch = curvatureBatch;
        this.momentum = momentum;
        this.prior = prior;
        this.seed = seed;
    }

    /** K-FAC with the defaults. */
    public static LayerwiseNaturalGradient kfac() {
        return new LayerwiseNaturalGradient(Structure.KRONECKER, FactorSource.SAMPLED, InverseMethod.CHOLESKY, 0.1,
                1e-3, 1e-6, 1e3, 5, 0.95, 1, 5, 5, 0, 0.0, null, 0L);
    }

    private LayerwiseNaturalGradient copy(Structure st, FactorSource so, InverseMethod inv, double eta, double lambda,
            double lo, double hi, int adapt, double dec, int cp, int ip, int wu, int cb, double mu, L2Prior pr,
            long sd) {
        return new LayerwiseNaturalGradient(st, so, inv, eta, lambda, lo, hi, adapt, dec, cp, ip, wu, cb, mu, pr, sd);
    }

    /** A copy with another structure. */
    public LayerwiseNaturalGradient withStructure(Structure s) {
        return copy(Checks.notNull(s, "structure"), source, inverse, stepSize, damping, minDamping, maxDamping,
                adaptEvery, decay, curvaturePeriod, inversePeriod, warmup, curvatureBatch, momentum, prior, seed);
    }

    /** A copy with another source of the backpropagated vectors (curvature kind). */
    public LayerwiseNaturalGradient withFactorSource(FactorSource s) {
        return copy(structure, Checks.notNull(s, "factor source"), inverse, stepSize, damping, minDamping, maxDamping,
                adaptEvery, decay, curvaturePeriod, inversePeriod, warmup, curvatureBatch, momentum, prior, seed);
    }

    /** A copy inverting by another method. */
    public LayerwiseNaturalGradient withInverseMethod(InverseMethod m) {
        return copy(structure, source, Checks.notNull(m, "inverse method"), stepSize, damping, minDamping, maxDamping,
                adaptEvery, decay, curvaturePeriod, inversePeriod, warmup, curvatureBatch, momentum, prior, seed);
    }

    /** A copy with step size η &gt; 0. */
    public LayerwiseNaturalGradient withStepSize(double eta) {
        return copy(structure, source, inverse, Checks.positive(eta, "step size"), damping, minDamping, maxDamping,
                adaptEvery, decay, curvaturePeriod, inversePeriod, warmup, curvatureBatch, momentum, prior, seed);
    }

    /** A copy with initial damping λ₀ &gt; 0 (clamped into the bounds). */
    public LayerwiseNaturalGradient withDamping(double lambda) {
        Checks.positive(lambda, "damping");
        return copy(structure, source, inverse, stepSize, lambda, Math.min(minDamping, lambda),
                Math.max(maxDamping, lambda), adaptEvery, decay, curvaturePeriod, inversePeriod, warmup,
                curvatureBatch, momentum, prior, seed);
    }

    /** A copy keeping the adapted λ within [lower, upper], 0 &lt; lower ≤ λ₀ ≤ upper. */
    public LayerwiseNaturalGradient withDampingBounds(double lower, double upper) {
        Checks.positive(lower, "minimum damping");
        if (!(lower <= damping && damping <= upper)) {
            throw new IllegalArgumentException("damping bounds must hold the initial damping: " + lower + " <= "
                    + damping + " <= " + upper);
        }
        return copy(structure, source, inverse, stepSize, damping, lower, upper, adaptEvery, decay, curvaturePeriod,
                inversePeriod, warmup, curvatureBatch, momentum, prior, seed);
    }

    /** A copy adapting λ by Levenberg-Marquardt every k steps (one more forward pass then); 0 keeps λ fixed. */
    public LayerwiseNaturalGradient withAdaptiveDamping(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("damping adaptation period must be >= 0 (0 = fixed), got " + k);
        }
        return copy(structure, source, inverse, stepSize, damping, minDamping, maxDamping, k, decay, curvaturePeriod,
                inversePeriod, warmup, curvatureBatch, momentum, prior, seed);
    }

    /** A copy with moving-average decay in [0, 1) (0: the latest batch's curvature alone). */
    public LayerwiseNaturalGradient withDecay(double d) {
        if (!(d >= 0 && d < 1)) {
            throw new IllegalArgumentException("the curvature's moving-average decay must be in [0, 1), got " + d);
        }
        return copy(structure, source, inverse, stepSize, damping, minDamping, maxDamping, adaptEvery, d,
                curvaturePeriod, inversePeriod, warmup, curvatureBatch, momentum, prior, seed);
    }

    /** A copy updating the curvature statistics every {@code steps} ≥ 1 steps. */
    public LayerwiseNaturalGradient withCurvaturePeriod(int steps) {
        return copy(structure, source, inverse, stepSize, damping, minDamping, maxDamping, adaptEvery, decay,
                Checks.atLeastOne(steps, "curvature update period"), inversePeriod, warmup, curvatureBatch, momentum,
                prior, seed);
    }

    /** A copy recomputing the damped inverses every {@code steps} ≥ 1 steps. */
    public LayerwiseNaturalGradient withInversePeriod(int steps) {
        return copy(structure, source, inverse, stepSize, damping, minDamping, maxDamping, adaptEvery, decay,
                curvaturePeriod, Checks.atLeastOne(steps, "inverse update period"), warmup, curvatureBatch, momentum,
                prior, seed);
    }

    /** A copy refreshing curvature and inverse on every one of the first {@code steps} ≥ 0 steps. */
    public LayerwiseNaturalGradient withWarmup(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, got " + steps);
        }
        return copy(structure, source, inverse, stepSize, damping, minDamping, maxDamping, adaptEvery, decay,
                curvaturePeriod, inversePeriod, steps, curvatureBatch, momentum, prior, seed);
    }

    /**
     * A copy estimating the curvature on the first {@code m} examples of each minibatch (a separate forward
     * pass), 0 for the whole minibatch. A minibatch smaller than m is refused with an error.
     */
    public LayerwiseNaturalGradient withCurvatureBatchSize(int m) {
        if (m < 0) {
            throw new IllegalArgumentException("curvature batch size must be >= 0 (0 = the whole minibatch), got " + m);
        }
        return copy(structure, source, inverse, stepSize, damping, minDamping, maxDamping, adaptEvery, decay,
                curvaturePeriod, inversePeriod, warmup, m, momentum, prior, seed);
    }

    /** A copy with momentum μ in [0, 1) on the preconditioned direction. */
    public LayerwiseNaturalGradient withMomentum(double mu) {
        if (!(mu >= 0 && mu < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + mu);
        }
        return copy(structure, source, inverse, stepSize, damping, minDamping, maxDamping, adaptEvery, decay,
                curvaturePeriod, inversePeriod, warmup, curvatureBatch, mu, prior, seed);
    }

    /** A copy with an L2 prior (or none, for {@code null}); its precision is added to λ. */
    public LayerwiseNaturalGradient withPrior(L2Prior l2Prior) {
        return copy(structure, source, inverse, stepSize, damping, minDamping, maxDamping, adaptEvery, decay,
                curvaturePeriod, inversePeriod, warmup, curvatureBatch, momentum, l2Prior, seed);
    }

    /** A copy sampling labels from the stream seeded with {@code s}. */
    public LayerwiseNaturalGradient withSeed(long s) {
        return copy(structure, source, inverse, stepSize, damping, minDamping, maxDamping, adaptEvery, decay,
                curvaturePeriod, inversePeriod, warmup, curvatureBatch, momentum, prior, s);
    }

    Structure structure() {
        return structure;
    }

    FactorSource source() {
        return source;
    }

    InverseMethod inverse() {
        return inverse;
    }

    double stepSize() {
        return stepSize;
    }

    double damping() {
        return damping;
    }

    double minDamping() {
        return minDamping;
    }

    double maxDamping() {
        return maxDamping;
    }

    int adaptEvery() {
        return adaptEvery;
    }

    double decay() {
        return decay;
    }

    int curvaturePeriod() {
        return curvaturePeriod;
    }

    int inversePeriod() {
        return inversePeriod;
    }

    int warmup() {
        return warmup;
    }

    int curvatureBatch() {
        return curvatureBatch;
    }

    double momentum() {
        return momentum;
    }

    /** The prior, if any. */
    public java.util.Optional<L2Prior> prior() {
        return java.util.Optional.ofNullable(prior);
    }

    long seed() {
        return seed;
    }

    /**
     * An optimizer for one run of {@code model}.
     *
     * @throws IllegalArgumentException if the model has no dense layers to structure
     *                                  ({@link ModelCapability#DENSE_LAYERS}), or the likelihood cannot sample
     *                                  labels for {@link FactorSource#SAMPLED}
     */
    @Override
    public LayerwiseOptimizer build(Model model) {
        Checks.notNull(model, "model");
        if (!model.capabilities().contains(ModelCapability.DENSE_LAYERS)) {
            throw new IllegalArgumentException("layer-wise curvature needs a model of dense layers ("
                    + ModelCapability.DENSE_LAYERS + "), but " + model.describe() + " provides only "
                    + model.capabilities() + "; use MultilayerPerceptron or the dense NaturalGradient");
        }
        if (source == FactorSource.SAMPLED && !model.likelihood().canSample()) {
            throw new IllegalArgumentException("sampled labels need a likelihood that samples; "
                    + model.likelihood().name() + " cannot: use FactorSource.EXACT");
        }
        return new LayerwiseOptimizer(this, model);
    }

    @Override
    public String toString() {
        return "layerwise-ngd(" + structure.name().toLowerCase(java.util.Locale.ROOT) + ", "
                + source.name().toLowerCase(java.util.Locale.ROOT) + ", " + inverse.name().toLowerCase(java.util.Locale.ROOT)
                + ", eta=" + stepSize + ", lambda0=" + damping + " in [" + minDamping + ", " + maxDamping + "], adapt every "
                + adaptEvery + ", decay=" + decay + ", periods " + curvaturePeriod + "/" + inversePeriod + ", warmup "
                + warmup + ", curvature batch " + curvatureBatch + ", momentum " + momentum + ", prior " + prior
                + ", seed " + seed + ")";
    }
}
