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
 * Immutable configuration with {@code with...} copies; the running λ lives in each optimizer's copy.
 */
public final class LevenbergMarquardtDamping implements DampingPolicy {
    static final LevenbergMarquardtDamping DEFAULT = new LevenbergMarquardtDamping(1.0, 1e-8, 1e8, 1.5);

    private final double initial;
    private final double min;
    private final double max;
    private final double factor;
    private double lambda;

    private LevenbergMarquardtDamping(double initial, double min, double max, double factor) {
        if (!(min <= initial && initial <= max)) {
            throw new IllegalArgumentException("Levenberg-Marquardt needs min <= initial <= max, got " + min + " <= "
                    + initial + " <= " + max);
        }
        this.initial = initial;
        this.min = min;
        this.max = max;
        this.factor = factor;
        this.lambda = initial;
    }

    /** λ₀ in [min, max], all positive, with the default factor. */
    static LevenbergMarquardtDamping of(double initial, double min, double max) {
        Checks.positive(initial, "initial damping");
        Checks.positive(min, "minimum damping");
        Checks.positive(max, "maximum damping");
        return new LevenbergMarquardtDamping(initial, min, max, DEFAULT.factor);
    }

    /** A copy starting from λ₀. */
    public LevenbergMarquardtDamping withInitial(double initialLambda) {
        return new LevenbergMarquardtDamping(Checks.positive(initialLambda, "initial damping"), min, max, factor);
    }

    /** A copy with λ kept in [lower, upper]. */
    public LevenbergMarquardtDamping withBounds(double lower, double upper) {
        Checks.positive(lower, "minimum damping");
        Checks.positive(upper, "maximum damping");
        return new LevenbergMarquardtDamping(Math.min(Math.max(initial, lower), upper), lower, upper, factor);
    }

    /** A copy that multiplies or divides λ by {@code f} &gt; 1. */
    public LevenbergMarquardtDamping withFactor(double f) {
        if (!(f > 1) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("Levenberg-Marquardt factor must be > 1, got " + f);
        }
        return new LevenbergMarquardtDamping(initial, min, max, f);
    }

    /** The λ the next step will start from. */
    public double currentLambda() {
        return lambda;
    }

    @Override
    public String name() {
        return String.format("levenberg-marquardt(%.3g in [%.3g, %.3g], x%.3g)", initial, min, max, factor);
    }

    @Override
    public Damped damp(CurvatureSystem curvature) {
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
            tried = Math.min(max, tried * factor);
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
        if (tried >= max) {
            throw found;
        }
        double raised = Math.min(max, Math.max(tried * factor, -found.rayleighQuotient() + Math.max(min, tried)));
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
    public boolean needsReductionRatio() {
        return true;
    }

    @Override
    public void observe(double rho) {
        if (Double.isNaN(rho) || rho < 0.25) {
            lambda = Math.min(max, lambda * factor);
        } else if (rho > 0.75) {
            lambda = Math.max(min, lambda / factor);
        }
    }

    @Override
    public void writeState(io.github.natgrad.OptimizerState.Builder out, String prefix) {
        out.putDouble(prefix + "lambda", lambda);
    }

    @Override
    public void readState(io.github.natgrad.OptimizerState in, String prefix) {
        double restored = in.getDouble(prefix + "lambda");
        if (!(restored >= min && restored <= max)) {
            throw new IllegalArgumentException("restored Levenberg-Marquardt lambda " + restored + " is outside ["
                    + min + ", " + max + "]");
        }
        lambda = restored;
    }

    @Override
    public DampingPolicy copy() {
        return new LevenbergMarquardtDamping(initial, min, max, factor);
    }
}
