package io.github.natgrad.solve;

import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.MatrixFreeSolver;
import io.github.natgrad.ModelCapability;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Preconditioned conjugate gradients on (C + λI) d = g through curvature-vector products only: the
 * solver of Hessian-free optimisation (Martens 2010, "Deep learning via Hessian-free optimization",
 * ICML) and of LIBLINEAR's trust-region / line-search Newton method (Lin, Weng and Keerthi 2008, JMLR 9;
 * Hsia, Chiang and Lin 2018). Immutable configuration with {@code with...} copies.
 *
 * <p>Stopping: the relative residual ‖r‖ ≤ {@link #withTolerance tolerance}·‖g‖, the iteration cap
 * (reported as {@link io.github.natgrad.SolveStats#capReached()}), or a progress rule on the quadratic model
 * Q(x) = ½xᵀ(C + λI)x − gᵀx:
 * <ul>
 *   <li>{@link StoppingRule#MARTENS}: stop at iteration i &gt; k when Q_i &lt; 0 and
 *       (Q_i − Q_{i−k}) / Q_i &lt; k·ε, k = max(10, ⌈0.1·i⌉), ε = {@link #withProgressEpsilon} (5e-4);</li>
 *   <li>{@link StoppingRule#LIBLINEAR}: stop when i·(Q_i − Q_{i−1}) ≥ η·Q_i with the forcing term
 *       η = min(ε, √‖g‖_{M⁻¹}·s) (LIBLINEAR's newton.cpp with ε = 0.5; s = {@link #withForcingScale}
 *       converts natgrad's scaling to LIBLINEAR's: natgrad's system is LIBLINEAR's divided by N·C, so
 *       s = (N·C)^{1/4} gives LIBLINEAR's forcing term);</li>
 *   <li>{@link StoppingRule#TRON}: ‖r‖_{M⁻¹} ≤ ε‖g‖_{M⁻¹} (LIBLINEAR's trust-region Newton, ε = 0.1): on
 *       L2-regularised GLMs as accurate a Newton direction as LIBLINEAR's for as many products;</li>
 *   <li>{@link StoppingRule#RESIDUAL}: the residual alone (for contract tests and exact solves).</li>
 * </ul>
 * Preconditioners, from diag(C) when the curvature gives it in O(nnz) (else none): {@link Preconditioner#JACOBI}
 * M = diag(C) + λ, and {@link Preconditioner#MIXED} M = (1 − α)(τ + λ) + α(diag(C) + λ), α = 0.01, τ the
 * prior precision (the low-rank form's shift; else the smallest diagonal entry) — LIBLINEAR's
 * 0.99·I + 0.01·diag(H) in its own scaling.
 *
 * <p>Warm start (Martens 2010, section 4.5): CG starts from {@code decay}·x, where x is the content of the
 * output array of {@link Factorization#solve} — in the optimizer, the previous step's direction — unless the
 * quadratic model is not negative there, in which case it starts from 0.
 *
 * <p>Negative curvature: a search direction p with pᵀ(C + λI)p ≤ 0 means the damped curvature is not
 * positive definite; the solve stops and throws {@link io.github.natgrad.NegativeCurvatureException},
 * which the optimizer hands to its damping policy (Levenberg-Marquardt and shift-to-PD raise λ; the fixed
 * policy reports it).
 */
public final class ConjugateGradient extends NamedSolver implements MatrixFreeSolver {

    /** How CG decides that the direction is good enough before the residual tolerance. */
    public enum StoppingRule {
        /** Martens' (2010) relative progress of the quadratic model over a window. */
        MARTENS,
        /** LIBLINEAR's (≥ 2.40) progress rule with its forcing term. */
        LIBLINEAR,
        /**
         * TRON's rule (LIBLINEAR 2.x, Lin, Weng and Keerthi 2008; Hsia, Chiang and Lin 2018): stop when
         * ‖r‖_{M⁻¹} ≤ ξ‖g‖_{M⁻¹}, ξ = the progress ε (LIBLINEAR's 0.1), M the preconditioner.
         */
        TRON,
        /** Only the residual tolerance and the cap. */
        RESIDUAL
    }

    /** The diagonal preconditioner. */
    public enum Preconditioner {
        /** None (M = I). */
        NONE,
        /** M = diag(C + λI). */
        JACOBI,
        /** M = (1 − α)(τ + λ) + α·(diag(C) + λ) with α = 0.01, as LIBLINEAR. */
        MIXED
    }

    static final ConjugateGradient DEFAULT = new ConjugateGradient(250, 1e-10, StoppingRule.MARTENS, 5e-4, 1.0,
            Preconditioner.JACOBI, false, 0.95);

    private final int maxIterations;
    private final double tolerance;
    private final StoppingRule rule;
    private final double epsilon;
    private final double forcingScale;
    private final Preconditioner preconditioner;
    private final boolean warmStart;
    private final double decay;

    private ConjugateGradient(int maxIterations, double tolerance, StoppingRule rule, double epsilon,
            double forcingScale, Preconditioner preconditioner, boolean warmStart, double decay) {
        super("cg");
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.rule = rule;
        this.epsilon = epsilon;
        this.forcingScale = forcingScale;
        this.preconditioner = preconditioner;
        this.warmStart = warmStart;
        this.decay = decay;
    }

    /** A copy with the iteration cap (≥ 1). */
    public ConjugateGradient withMaxIterations(int cap) {
        return new ConjugateGradient(Checks.atLeastOne(cap, "CG iteration cap"), tolerance, rule, epsilon,
                forcingScale, preconditioner, warmStart, decay);
    }

    /** A copy with the relative residual tolerance (≥ 0). */
    public ConjugateGradient withTolerance(double relativeResidual) {
        return new ConjugateGradient(maxIterations, Checks.nonNegative(relativeResidual, "CG tolerance"), rule,
                epsilon, forcingScale, preconditioner, warmStart, decay);
    }

    /** A copy with another progress rule. */
    public ConjugateGradient withStoppingRule(StoppingRule stop) {
        return new ConjugateGradient(maxIterations, tolerance, Checks.notNull(stop, "stopping rule"), epsilon,
                forcingScale, preconditioner, warmStart, decay);
    }

    /** A copy with the progress rule's ε (Martens 5e-4; LIBLINEAR 0.5; TRON's ξ 0.1). */
    public ConjugateGradient withProgressEpsilon(double eps) {
        return new ConjugateGradient(maxIterations, tolerance, rule, Checks.positive(eps, "CG progress epsilon"),
                forcingScale, preconditioner, warmStart, decay);
    }

    /** A copy whose LIBLINEAR forcing term is min(ε, √‖g‖_{M⁻¹}·s). */
    public ConjugateGradient withForcingScale(double s) {
        return new ConjugateGradient(maxIterations, tolerance, rule, epsilon, Checks.positive(s, "forcing scale"),
                preconditioner, warmStart, decay);
    }

    /** A copy with another preconditioner. */
    public ConjugateGradient withPreconditioner(Preconditioner m) {
        return new ConjugateGradient(maxIterations, tolerance, rule, epsilon, forcingScale,
                Checks.notNull(m, "preconditioner"), warmStart, decay);
    }

    /** A copy that warm-starts from {@code decay} (in (0, 1]) times the previous solution, or not. */
    public ConjugateGradient withWarmStart(boolean on, double decayFactor) {
        if (!(decayFactor > 0 && decayFactor <= 1)) {
            throw new IllegalArgumentException("warm-start decay must be in (0, 1], got " + decayFactor);
        }
        return new ConjugateGradient(maxIterations, tolerance, rule, epsilon, forcingScale, preconditioner, on,
                decayFactor);
    }

    /**
     * The defaults ({@code Solvers.conjugateGradient()}), as this class so that its {@code with...} settings can
     * be changed.
     */
    public static ConjugateGradient defaults() {
        return DEFAULT;
    }

    /**
     * LIBLINEAR's trust-region Newton CG (TRON): the {@link StoppingRule#TRON} rule with ξ = 0.1 and the
     * {@link Preconditioner#MIXED} preconditioner, cap 250 — the solver of {@code train}'s default.
     */
    public static ConjugateGradient tron() {
        return DEFAULT.withStoppingRule(StoppingRule.TRON).withProgressEpsilon(0.1)
                .withPreconditioner(Preconditioner.MIXED);
    }

    /**
     * The Steihaug–Toint truncated CG solve of C x = g within the trust region ‖x‖_M ≤ Δ, M this configuration's
     * preconditioner (the ball of TRON: Steihaug 1983, SIAM J. Numer. Anal. 20; Lin, Weng and Keerthi 2008,
     * JMLR 9, Algorithm 2; LIBLINEAR 2.30's tron.cpp {@code trpcg}, with its preconditioner since Hsia, Chiang
     * and Lin 2018). CG runs from x = 0 with this configuration's stopping rule (TRON's ‖r‖_{M⁻¹} ≤
     * ξ‖g‖_{M⁻¹}) and, when an iterate would leave the ball or a direction p has pᵀCp ≤ 0, stops at the point
     * on the boundary along p. {@code radius} NaN chooses TRON's Δ₀ = ‖g‖_M at the first solve (converted to
     * natgrad's scaling by the prior precision; +∞ without a prior).
     *
     * @return the solve, or empty when {@code system} is not a conjugate-gradient system (a dense or Woodbury
     *         system: solve those within a radius by a search on λ instead)
     */
    public static Optional<TrustRegionSolve> withinRadius(CurvatureSystem system, double radius) {
        if (!(radius > 0) && !Double.isNaN(radius)) {
            throw new IllegalArgumentException("trust-region radius must be > 0 (or NaN for TRON's initial "
                    + "radius), got " + radius);
        }
        return system instanceof MatrixFreeSystem mf ? Optional.of(mf.withinRadius(radius)) : Optional.empty();
    }

    /** The iteration cap. */
    public int maxIterations() {
        return maxIterations;
    }

    @Override
    public CurvatureSystem system(CurvatureOperator operator) {
        return new MatrixFreeSystem(operator, this);
    }

    @Override
    public Set<ModelCapability> requires(Curvature curvature) {
        return curvature.requiresMatrixFree();
    }

    @Override
    public Optional<Factorization> factor(double[] c, int d, double lambda) {
        return Optional.of(factorization(DenseOperator.of("dense", c, d), lambda));
    }

    /** The CG solve of (C + λI) x = b for an operator. */
    Factorization factorization(CurvatureOperator operator, double lambda) {
        return new ConjugateGradientSolve(operator, lambda, this);
    }

    int cap() {
        return maxIterations;
    }

    double tolerance() {
        return tolerance;
    }

    StoppingRule rule() {
        return rule;
    }

    double epsilon() {
        return epsilon;
    }

    double forcingScale() {
        return forcingScale;
    }

    Preconditioner preconditioner() {
        return preconditioner;
    }

    boolean warmStart() {
        return warmStart;
    }

    double decay() {
        return decay;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "cg(cap=%d, tol=%.1e, %s eps=%.3g, %s%s)", maxIterations, tolerance,
                rule.name().toLowerCase(Locale.ROOT), epsilon, preconditioner.name().toLowerCase(Locale.ROOT),
                warmStart ? ", warm start x" + decay : "");
    }
}
