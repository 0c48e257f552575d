package io.github.natgrad.damping;

import io.github.natgrad.Checks;
import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.Factorization;
import io.github.natgrad.NegativeCurvatureException;
import io.github.natgrad.OptimizerState;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Levenberg-Marquardt damping on the problem's own scale: the library's and {@code train}'s default. At the
 * first step λ₀ = κ·c_min, c_min the smallest diagonal entry of C ({@link CurvatureSystem#diagonal()}; for an
 * L2-regularised model at least the prior precision), κ = 10⁻³: smaller than the curvature along every
 * coordinate, so the first step is already nearly Newton's whatever the scales of the features (a λ₀ from the
 * mean diagonal, as Madsen, Nielsen and Tingleff 2004, §3.2, take from the largest, is dominated by the
 * largest-scale features: on the unscaled australian set it made the first 8 steps short). When C has no
 * positive diagonal entry, or the system cannot give its diagonal, c_min is replaced by s = trace(C)/D (or
 * the Rayleigh quotient of C along (1, …, 1)). After each step the reduction ratio ρ = actual / predicted
 * decrease updates λ by Nielsen's (1999) rule:
 * <ul>
 *   <li>ρ &gt; 0: λ ← λ·max(1/3, 1 − (2ρ − 1)³), ν ← 2 — a step the model predicted well (ρ ≈ 1) divides λ
 *       by 3, so that the steps are Newton's (for an L2-regularised GLM, whose prior keeps C positive
 *       definite, in about as many iterations as LIBLINEAR's trust-region Newton method);</li>
 *   <li>ρ ≤ 0 or unknown: λ ← ν·λ, ν ← 2ν — consecutive failures raise λ ever faster.</li>
 * </ul>
 * λ stays within [min(λ₀, 10⁻¹²·s), 10¹²·s]. When C + λI does not factorise (an indefinite Hessian), λ is
 * raised to at least κ·s and then multiplied by 4 until it does; when conjugate gradients meet negative
 * curvature q, λ is raised to at least −q + λ and twice λ.
 *
 * <p>Why not the fixed λ₀ = 1 of {@link LevenbergMarquardtDamping}: with a mean-NLL objective the curvature of
 * an L2-logistic problem is of order 10⁻⁵ … 10⁻¹, so λ = 1 turns the first 20 steps into short gradient steps.
 *
 * <p>This object is immutable configuration ({@link #relativeInitial()}, {@link #initialLambda()}). The λ, ν and
 * scales a run adapts live in the {@link Running} copy that {@link #copy()} makes for each optimizer (and in that
 * optimizer's {@link OptimizerState}), as with {@link LevenbergMarquardtDamping} and {@link TrustRegion}. Asking
 * the configuration to damp or to observe a ratio is refused with an {@link IllegalStateException} that says to
 * use the running copy.
 */
public final class AutoDamping extends AdaptiveConfiguration {
    static final double KAPPA = 1e-3;
    private static final double RANGE = 1e12;
    private static final int MAX_RAISES = 60;

    private final double relativeInitial;
    private final double absoluteInitial;

    private AutoDamping(double relativeInitial, double absoluteInitial) {
        this.relativeInitial = relativeInitial;
        this.absoluteInitial = absoluteInitial;
    }

    /** λ₀ = 10⁻³ · the smallest diagonal entry of C. */
    static AutoDamping defaults() {
        return new AutoDamping(KAPPA, Double.NaN);
    }

    /** A copy with λ₀ = κ · the smallest diagonal entry of C, κ &gt; 0. */
    public AutoDamping withRelativeInitial(double kappa) {
        return new AutoDamping(Checks.positive(kappa, "relative initial damping"), Double.NaN);
    }

    /** A copy that starts from the given λ₀ &gt; 0 instead of one from the curvature's scale. */
    public AutoDamping withInitial(double initialLambda) {
        return new AutoDamping(relativeInitial, Checks.positive(initialLambda, "initial damping"));
    }

    /** κ of λ₀ = κ · the smallest diagonal entry of C (unused when {@link #initialLambda()} is set). */
    public double relativeInitial() {
        return relativeInitial;
    }

    /** The absolute λ₀ of {@link #withInitial}, or NaN when λ₀ comes from the curvature's scale. */
    public double initialLambda() {
        return absoluteInitial;
    }

    @Override
    public String name() {
        return Double.isNaN(absoluteInitial)
                ? String.format(Locale.ROOT, "auto(lambda0 = %.3g * min diag(C))", relativeInitial)
                : String.format(Locale.ROOT, "auto(lambda0 = %.3g)", absoluteInitial);
    }

    /** A new run of this rule: λ₀ chosen at its first step. */
    @Override
    public Running copy() {
        return new Running(this);
    }

    /**
     * One run of an {@link AutoDamping}: its λ, ν and the curvature's scale (chosen at the first {@link #damp}),
     * adapted by {@link #observe}, raised by {@link #damp} and {@link #repair} until the system solves, written to
     * and read from an {@link OptimizerState}. Owned by one optimizer; not thread-safe.
     */
    public static final class Running extends AdaptiveConfiguration.Run<AutoDamping> {
        private double scale = Double.NaN;
        private double lower = Double.NaN;
        private double nu = 2;

        private Running(AutoDamping rule) {
            super(rule, Double.NaN);
        }

        private void start(CurvatureSystem curvature) {
            double[] diag = curvature.diagonal().orElse(null);
            double s = Double.NaN;
            double smallest = Double.POSITIVE_INFINITY;
            if (diag != null && diag.length > 0) {
                double sum = 0;
                for (double v : diag) {
                    sum += Math.abs(v);
                    smallest = Math.min(smallest, v);
                }
                s = sum / diag.length;
            }
            if (!(s > 0) || !Double.isFinite(s)) {
                int d = curvature.dimension();
                double[] ones = new double[d];
                double[] out = new double[d];
                Arrays.fill(ones, 1.0);
                curvature.multiply(ones, out);
                double q = 0;
                for (double v : out) {
                    q += v;
                }
                s = Math.abs(q) / d;
                smallest = Double.NaN;
            }
            scale = s > 0 && Double.isFinite(s) ? s : 1.0;
            double floor = smallest > 0 && Double.isFinite(smallest) ? smallest : scale;
            lambda = Double.isNaN(rule.absoluteInitial) ? rule.relativeInitial * floor : rule.absoluteInitial;
            lower = Math.min(lambda, scale / RANGE);
        }

        private double clamp(double value) {
            return Math.min(RANGE * scale, Math.max(lower, value));
        }

        @Override
        public Damped damp(CurvatureSystem curvature) {
            if (Double.isNaN(lambda)) {
                start(curvature);
            }
            double tried = lambda;
            for (int raises = 0;; raises++) {
                Optional<Factorization> f = curvature.factor(tried);
                if (f.isPresent()) {
                    lambda = tried;
                    return new Damped(tried, f.get(), raises == 0 ? "auto"
                            : "auto: lambda raised " + raises + "x to factorise");
                }
                if (raises >= MAX_RAISES || tried >= RANGE * scale) {
                    throw new CurvatureNotPositiveDefiniteException(curvature.kind(), curvature.spectrum().min(),
                            tried);
                }
                tried = clamp(Math.max(4 * tried, KAPPA * scale));
            }
        }

        @Override
        public Damped repair(CurvatureSystem curvature, NegativeCurvatureException found) {
            double tried = found.lambda();
            if (tried >= RANGE * scale) {
                throw found;
            }
            double raised = clamp(Math.max(2 * tried, -found.rayleighQuotient() + tried));
            lambda = raised;
            Optional<Factorization> f = curvature.factor(raised);
            if (f.isEmpty()) {
                return damp(curvature);
            }
            return new Damped(raised, f.get(), String.format(Locale.ROOT,
                    "auto: negative curvature %.3g met by CG, lambda raised to %.3g", found.rayleighQuotient(),
                    raised));
        }

        @Override
        public void observe(double rho) {
            if (Double.isNaN(lambda)) {
                return;
            }
            if (rho > 0) {
                double t = 2 * rho - 1;
                lambda = clamp(lambda * Math.max(1.0 / 3, 1 - t * t * t));
                nu = 2;
            } else {
                lambda = clamp(lambda * nu);
                nu = Math.min(2 * nu, 1 << 20);
            }
        }

        @Override
        public void writeState(OptimizerState.Builder out, String prefix) {
            out.putDouble(prefix + "lambda", lambda);
            out.putDouble(prefix + "nu", nu);
            out.putDouble(prefix + "scale", scale);
            out.putDouble(prefix + "lower", lower);
        }

        @Override
        public void readState(OptimizerState in, String prefix) {
            double l = in.getDouble(prefix + "lambda");
            double n = in.getDouble(prefix + "nu");
            double s = in.getDouble(prefix + "scale");
            double lo = in.has(prefix + "lower") ? in.getDouble(prefix + "lower") : Math.min(l, s / RANGE);
            boolean fresh = Double.isNaN(l) && Double.isNaN(s);
            if (!fresh && !(l > 0 && s > 0 && n >= 2 && Double.isFinite(l) && Double.isFinite(s))) {
                throw new IllegalArgumentException("restored auto damping has lambda " + l + ", nu " + n + ", scale "
                        + s + "; expected lambda > 0, nu >= 2 and scale > 0 (or all unset before the first step)");
            }
            lambda = l;
            nu = n;
            scale = s;
            lower = lo;
        }

        /** A new run of the same rule, λ₀ chosen again at its first step. */
        @Override
        public DampingPolicy copy() {
            return new Running(rule);
        }
    }
}
