package io.github.natgrad.damping;

import io.github.natgrad.Checks;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.Factorization;
import java.util.Optional;

/**
 * Levenberg-Marquardt damping driven by the reduction ratio ρ = (actual decrease) / (decrease predicted
 * by the quadratic model) of the previous step (Moré 1978; Martens 2010, "Deep learning via
 * Hessian-free optimization", section 4.1): ρ &lt; 1/4 multiplies λ by {@code factor}, ρ &gt; 3/4 divides
 * it, within [{@code min}, {@code max}]. If C + λI does not factorise, λ is raised by {@code factor} until
 * it does (at most up to {@code max}, else a {@link io.github.natgrad.CurvatureNotPositiveDefiniteException}).
 * The same rule drives the layer-wise optimizers (K-FAC), which evaluate ρ every few steps: there the rule is
 * usually written with a shrink factor ω &lt; 1 per step (Martens and Grosse 2015, section 6.5: λ ← ω^k λ when
 * ρ &gt; 3/4, λ ← λ / ω^k when ρ &lt; 1/4, after k steps), see {@link #withShrink}.
 *
 * <p>This object is immutable configuration ({@link #initialLambda()}, {@link #minimum()}, {@link #maximum()},
 * {@link #factor()}). The λ a run adapts lives in the {@link Running} copy that {@link #copy()} makes for each
 * optimizer (and in that optimizer's {@link io.github.natgrad.OptimizerState}); the layer-wise optimizers keep
 * it themselves and use the pure rule {@link #next}. Asking the configuration to damp or to observe a ratio
 * is refused with an {@link IllegalStateException} that says to use the running copy.
 */
public final class LevenbergMarquardtDamping extends AdaptiveConfiguration implements ScalarDamping {
    static final double DEFAULT_FACTOR = 1.5;

    private final double initial;
    private final double min;
    private final double max;
    /** λ is multiplied by factor^k to raise it, divided to lower it; NaN in the shrink form. */
    private final double factor;
    /** λ is divided by shrink^k to raise it, multiplied to lower it; NaN in the factor form. */
    private final double shrink;

    private LevenbergMarquardtDamping(double initial, double min, double max, double factor, double shrink) {
        if (!(min <= initial && initial <= max)) {
            throw new IllegalArgumentException("Levenberg-Marquardt needs min <= initial <= max, got " + min + " <= "
                    + initial + " <= " + max);
        }
        this.initial = initial;
        this.min = min;
        this.max = max;
        this.factor = factor;
        this.shrink = shrink;
    }

    /** The defaults: λ₀ = 1 in [1e-8, 1e8], multiplied or divided by 3/2. */
    static LevenbergMarquardtDamping defaults() {
        return new LevenbergMarquardtDamping(1.0, 1e-8, 1e8, DEFAULT_FACTOR, Double.NaN);
    }

    /** λ₀ in [min, max], all positive, with the default factor. */
    static LevenbergMarquardtDamping of(double initial, double min, double max) {
        Checks.positive(initial, "initial damping");
        Checks.positive(min, "minimum damping");
        Checks.positive(max, "maximum damping");
        return new LevenbergMarquardtDamping(initial, min, max, DEFAULT_FACTOR, Double.NaN);
    }

    /** A copy starting from λ₀. */
    public LevenbergMarquardtDamping withInitial(double initialLambda) {
        return new LevenbergMarquardtDamping(Checks.positive(initialLambda, "initial damping"), min, max, factor,
                shrink);
    }

    /** A copy with λ kept in [lower, upper]. */
    public LevenbergMarquardtDamping withBounds(double lower, double upper) {
        Checks.positive(lower, "minimum damping");
        Checks.positive(upper, "maximum damping");
        return new LevenbergMarquardtDamping(Math.min(Math.max(initial, lower), upper), lower, upper, factor, shrink);
    }

    /** A copy that multiplies or divides λ by {@code f} &gt; 1. */
    public LevenbergMarquardtDamping withFactor(double f) {
        if (!(f > 1) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("Levenberg-Marquardt factor must be > 1, got " + f);
        }
        return new LevenbergMarquardtDamping(initial, min, max, f, Double.NaN);
    }

    /**
     * A copy written in Martens and Grosse's form: after k steps, λ ← ω^k λ when ρ &gt; 3/4 and λ ← λ / ω^k when
     * ρ &lt; 1/4, with 0 &lt; ω &lt; 1 (K-FAC's ω = 19/20 per step). The same rule as {@code withFactor(1 / ω)}
     * up to rounding.
     */
    public LevenbergMarquardtDamping withShrink(double omega) {
        if (!(omega > 0 && omega < 1)) {
            throw new IllegalArgumentException("Levenberg-Marquardt shrink factor must be in (0, 1), got " + omega);
        }
        return new LevenbergMarquardtDamping(initial, min, max, Double.NaN, omega);
    }

    /** The initial damping λ₀. */
    @Override
    public double initialLambda() {
        return initial;
    }

    /** The smallest λ the rule goes to. */
    public double minimum() {
        return min;
    }

    /** The largest λ the rule goes to. */
    public double maximum() {
        return max;
    }

    /** The factor f &gt; 1 that raises λ per step (1/ω in the shrink form). */
    public double factor() {
        return Double.isNaN(factor) ? 1 / shrink : factor;
    }

    /** Whether this rule is in the shrink form of {@link #withShrink} (the factor is then 1/ω). */
    public boolean shrinkForm() {
        return Double.isNaN(factor);
    }

    @Override
    public boolean adapts() {
        return true;
    }

    /**
     * The λ after {@code steps} ≥ 1 steps judged by the reduction ratio ρ (NaN counts as a failure): raised by
     * factor^steps when ρ &lt; 1/4, lowered by it when ρ &gt; 3/4, kept within [minimum, maximum].
     */
    @Override
    public double next(double current, double rho, int steps) {
        if (Double.isNaN(factor)) {
            double omega = Math.pow(shrink, steps);
            if (!(rho >= 0.25)) {
                return Math.min(max, current / omega);
            }
            return rho > 0.75 ? Math.max(min, current * omega) : current;
        }
        double f = Math.pow(factor, steps);
        if (!(rho >= 0.25)) {
            return Math.min(max, current * f);
        }
        return rho > 0.75 ? Math.max(min, current / f) : current;
    }

    @Override
    public String name() {
        return Double.isNaN(factor)
                ? String.format("levenberg-marquardt(%.3g in [%.3g, %.3g], omega %.3g)", initial, min, max, shrink)
                : String.format("levenberg-marquardt(%.3g in [%.3g, %.3g], x%.3g)", initial, min, max, factor);
    }

    /** A new run of this rule, starting from λ₀. */
    @Override
    public Running copy() {
        return new Running(this);
    }

    /**
     * One run of a {@link LevenbergMarquardtDamping}: its λ, adapted by {@link #observe} and raised by {@link #damp}
     * until C + λI factorises, written to and read from an {@link io.github.natgrad.OptimizerState}. Owned by one
     * optimizer; not thread-safe.
     */
    public static final class Running extends AdaptiveConfiguration.Run<LevenbergMarquardtDamping> {
        private Running(LevenbergMarquardtDamping rule) {
            super(rule, rule.initial);
        }

        @Override
        public Damped damp(CurvatureSystem curvature) {
            double max = rule.max;
            double tried = lambda;
            int raises = 0;
            while (true) {
                Optional<Factorization> f = curvature.factor(tried);
                if (f.isPresent()) {
                    lambda = tried;
                    String action = raises == 0 ? "levenberg-marquardt"
                            : "levenberg-marquardt: raised " + raises + "x to factorise";
                    return new Damped(tried, f.get(), action);
                }
                if (tried >= max) {
                    throw new io.github.natgrad.CurvatureNotPositiveDefiniteException(curvature.kind(),
                            curvature.spectrum().min(), tried);
                }
                tried = Math.min(max, tried * rule.factor());
                raises++;
            }
        }

        /**
         * Raises λ after an iterative solve met negative curvature: to at least −q + {@code min} (q the Rayleigh
         * quotient found, an upper bound of λ_min(C)) and at least {@code factor} times the λ tried, within max.
         */
        @Override
        public Damped repair(CurvatureSystem curvature, io.github.natgrad.NegativeCurvatureException found) {
            double tried = found.lambda();
            if (tried >= rule.max) {
                throw found;
            }
            double raised = Math.min(rule.max, Math.max(tried * rule.factor(),
                    -found.rayleighQuotient() + Math.max(rule.min, tried)));
            lambda = raised;
            Optional<Factorization> f = curvature.factor(raised);
            if (f.isEmpty()) {
                return damp(curvature);
            }
            return new Damped(raised, f.get(), String.format(
                    "levenberg-marquardt: negative curvature %.3g met by CG, lambda raised to %.3g",
                    found.rayleighQuotient(), raised));
        }

        @Override
        public void observe(double rho) {
            lambda = rule.next(lambda, rho, 1);
        }

        @Override
        public void writeState(io.github.natgrad.OptimizerState.Builder out, String prefix) {
            out.putDouble(prefix + "lambda", lambda);
        }

        @Override
        public void readState(io.github.natgrad.OptimizerState in, String prefix) {
            double restored = in.getDouble(prefix + "lambda");
            if (!(restored >= rule.min && restored <= rule.max)) {
                throw new IllegalArgumentException("restored Levenberg-Marquardt lambda " + restored + " is outside ["
                        + rule.min + ", " + rule.max + "]");
            }
            lambda = restored;
        }

        /** A new run of the same rule, from λ₀. */
        @Override
        public DampingPolicy copy() {
            return new Running(rule);
        }
    }
}
