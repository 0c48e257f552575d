package io.github.natgrad.damping;

import io.github.natgrad.linalg.Vectors;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.Factorization;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.SolveStats;
import io.github.natgrad.StepAcceptingPolicy;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.solve.TrustRegionSolve;
import java.util.Locale;
import java.util.Optional;

/**
 * Trust-region Newton damping as LIBLINEAR's TRON (Lin, Weng and Keerthi 2008, "Trust region Newton method
 * for logistic regression", JMLR 9, Algorithm 1 and §2.1; LIBLINEAR 2.30's tron.cpp, the version Debian's
 * liblinear-tools 2.3.0 ships): instead of a λ, the step is the approximate minimiser of the quadratic model
 * Q(s) = gᵀs + ½sᵀCs within a ball ‖s‖ ≤ Δ, and the radius Δ follows the model's quality.
 *
 * <p>The solve, by solver:
 * <ul>
 *   <li>conjugate gradients (the CG solver, or auto when it picks CG): Steihaug–Toint truncated CG in the
 *       preconditioner's norm ‖s‖_M ({@link ConjugateGradient#withinRadius}), TRON's solve, no extra product;</li>
 *   <li>a system that factorises (Cholesky, eigen, Woodbury): the λ(Δ) search of Moré and Sorensen (1983, SIAM
 *       J. Sci. Stat. Comput. 4): λ = 0 when ‖C⁻¹g‖ ≤ Δ, else Newton's iteration on 1/‖s(λ)‖ = 1/Δ with
 *       s(λ) = (C + λI)⁻¹g, in the Euclidean norm, to |‖s‖ − Δ| ≤ 10⁻³Δ (one factorisation and two solves an
 *       iteration; the hard case of an indefinite C is approximated by the first λ that factorises).</li>
 * </ul>
 *
 * <p>After the trial step s (actual reduction a = L(θ) − L(θ + s), predicted p = −Q(s)), with TRON's constants
 * η₀ = 10⁻⁴, η₁ = 0.25, η₂ = 0.75, σ₁ = 0.25, σ₂ = 0.5, σ₃ = 4 and α = σ₃ when L(θ + s) − L(θ) − gᵀs ≤ 0, else
 * max(σ₁, −½gᵀs / (L(θ + s) − L(θ) − gᵀs)):
 * <ul>
 *   <li>first step only: Δ ← min(Δ, ‖s‖) (Δ₀ = ‖g‖_M in LIBLINEAR's scaling, see
 *       {@link ConjugateGradient#withinRadius}; +∞ for the λ search);</li>
 *   <li>a &lt; η₀p: Δ ← min(α‖s‖, σ₂Δ); a &lt; η₁p: Δ ← max(σ₁Δ, min(α‖s‖, σ₂Δ)); a &lt; η₂p:
 *       Δ ← max(σ₁Δ, min(α‖s‖, σ₃Δ)); otherwise Δ ← σ₃Δ when s is on the boundary, else
 *       max(Δ, min(α‖s‖, σ₃Δ));</li>
 *   <li>the step is taken only when a &gt; η₀p; otherwise it is rejected and solved again with the new Δ (the
 *       optimizer's hook: up to max({@value #RETRIES}, the configured step-rejection retries) tries).</li>
 * </ul>
 * The step report's λ is 0 (the radius, not a λ, controls the step; the λ search's λ is {@link #lastLambda()}).
 * Refuses a line search (the radius is the step-length control); the step size η should stay 1.
 *
 * <p>It enters the optimizer through the {@link StepAcceptingPolicy} contract (the acceptance stage calls
 * {@link #update} and allows at least {@link #minimumRetries()} tries); nothing in the optimizer names this class.
 * Immutable configuration; the running Δ lives in each optimizer's {@link #copy()}.
 */
public final class TrustRegion implements StepAcceptingPolicy {
    static final double ETA0 = 1e-4;
    static final double ETA1 = 0.25;
    static final double ETA2 = 0.75;
    static final double SIGMA1 = 0.25;
    static final double SIGMA2 = 0.5;
    static final double SIGMA3 = 4;
    /** Rejected tries of one step before the optimizer gives up on it (TRON retries until its iteration cap). */
    public static final int RETRIES = 20;

    private final double initialRadius;
    private double radius;
    private boolean adjusted;
    private TrustRegionSolve last;

    TrustRegion(double initialRadius) {
        this.initialRadius = initialRadius;
        this.radius = initialRadius;
    }

    /**
     * A copy whose first radius is Δ₀ &gt; 0 (in the region's norm and natgrad's scaling) instead of TRON's
     * ‖g‖_M from the first gradient; the first step still shrinks Δ to the step's length when shorter.
     */
    public TrustRegion withInitialRadius(double radius0) {
        if (!(radius0 > 0)) {
            throw new IllegalArgumentException("initial trust-region radius must be > 0, got " + radius0
                    + " (omit withInitialRadius for TRON's radius from the first gradient)");
        }
        return new TrustRegion(radius0);
    }

    @Override
    public String name() {
        return "trust-region";
    }

    /** The radius the next step is solved within (NaN before the first step: chosen from its gradient). */
    public double currentRadius() {
        return radius;
    }

    /** The λ of the last solve: 0 for Steihaug CG and interior steps, the λ(Δ) search's λ otherwise. */
    public double lastLambda() {
        return last instanceof LambdaSearch s ? s.lambda : 0.0;
    }

    @Override
    public Damped damp(CurvatureSystem curvature) {
        Optional<TrustRegionSolve> cg = ConjugateGradient.withinRadius(curvature, radius);
        last = cg.isPresent() ? cg.get() : new LambdaSearch(curvature, radius);
        return new Damped(0.0, last, Double.isNaN(radius) ? "trust region (initial radius)"
                : String.format(Locale.ROOT, "trust region %.3g", radius));
    }

    /** {@value #RETRIES}: TRON retries a rejected step until its iteration cap. */
    @Override
    public int minimumRetries() {
        return RETRIES;
    }

    /**
     * TRON's radius update after the trial step s = −η·d of the last {@link #damp}; returns whether the step is
     * taken (actual &gt; η₀·predicted). The optimizer's acceptance stage calls this instead of {@link #observe}.
     *
     * @param actual    L(θ) − L(θ − ηd)
     * @param predicted η·gᵀd − ½η²·dᵀCd
     * @param etaGd     η·gᵀd (= −gᵀs)
     * @param eta       the step size η
     */
    @Override
    public boolean update(double actual, double predicted, double etaGd, double eta) {
        if (last == null) {
            throw new IllegalStateException("update before damp: the trust region has no step to judge");
        }
        double delta = last.radius();
        double sNorm = eta * last.stepNorm();
        if (!adjusted && sNorm > 0 && Double.isFinite(sNorm)) {
            delta = Math.min(delta, sNorm);
            adjusted = true;
        }
        double gs = -etaGd;
        double curvatureTerm = -actual - gs; // L(θ + s) − L(θ) − gᵀs
        double alpha = curvatureTerm <= 0 ? SIGMA3 : Math.max(SIGMA1, -0.5 * gs / curvatureTerm);
        if (!Double.isFinite(alpha)) {
            alpha = SIGMA1;
        }
        if (!(actual >= ETA0 * predicted)) { // also a non-finite new objective
            delta = Math.min(alpha * sNorm, SIGMA2 * delta);
        } else if (actual < ETA1 * predicted) {
            delta = Math.max(SIGMA1 * delta, Math.min(alpha * sNorm, SIGMA2 * delta));
        } else if (actual < ETA2 * predicted) {
            delta = Math.max(SIGMA1 * delta, Math.min(alpha * sNorm, SIGMA3 * delta));
        } else {
            delta = last.reachedBoundary() ? SIGMA3 * delta : Math.max(delta, Math.min(alpha * sNorm, SIGMA3 * delta));
        }
        if (delta > 0 && !Double.isNaN(delta)) {
            radius = delta;
        } else if (Double.isFinite(sNorm) && sNorm > 0) {
            radius = SIGMA1 * sNorm;
        }
        return actual > ETA0 * predicted;
    }

    @Override
    public void writeState(OptimizerState.Builder out, String prefix) {
        out.putDouble(prefix + "radius", radius);
        out.putDouble(prefix + "adjusted", adjusted ? 1 : 0);
    }

    @Override
    public void readState(OptimizerState in, String prefix) {
        double r = in.getDouble(prefix + "radius");
        if (!Double.isNaN(r) && !(r > 0)) {
            throw new IllegalArgumentException("restored trust-region radius is " + r
                    + "; expected > 0 (or unset before the first step)");
        }
        radius = r;
        adjusted = in.has(prefix + "adjusted") && in.getDouble(prefix + "adjusted") != 0;
    }

    @Override
    public DampingPolicy copy() {
        return new TrustRegion(initialRadius);
    }

    @Override
    public String toString() {
        return name();
    }

    /** The λ(Δ) search on a system that factorises (Moré and Sorensen 1983), Euclidean norm. */
    static final class LambdaSearch extends TrustRegionSolve {
        static final double TOLERANCE = 1e-3;
        static final int MAX_ITERATIONS = 40;

        private final CurvatureSystem system;
        private double lambda;

        LambdaSearch(CurvatureSystem system, double radius) {
            super("2", radius);
            this.system = system;
        }

        @Override
        public void solve(double[] b, double[] x) {
            if (Double.isNaN(radius)) {
                radius = Double.POSITIVE_INFINITY;
            }
            int d = system.dimension();
            double[] s = new double[d];
            double[] w = new double[d];
            double lam = 0;
            Factorization f = factorFrom(lam);
            lam = factoredLambda;
            f.solve(b, s);
            double norm = Vectors.norm(s);
            boundary = false;
            if (norm > radius) {
                boundary = true;
                for (int it = 0; it < MAX_ITERATIONS && Math.abs(norm - radius) > TOLERANCE * radius; it++) {
                    f.solve(s, w);
                    double q2 = Vectors.dot(s, w); // sᵀ(C + λI)⁻¹s = ‖L⁻¹s‖²
                    if (!(q2 > 0)) {
                        break;
                    }
                    double next = lam + (norm * norm / q2) * (norm - radius) / radius;
                    Optional<Factorization> g = system.factor(next);
                    if (g.isEmpty()) {
                        break;
                    }
                    lam = next;
                    f = g.get();
                    f.solve(b, s);
                    norm = Vectors.norm(s);
                }
            }
            System.arraycopy(s, 0, x, 0, d);
            lambda = lam;
            stepNorm = norm;
        }

        private double factoredLambda;

        /** The factorisation at λ, raised (× 4 from 10⁻³ × the mean |diagonal|) until C + λI factorises. */
        private Factorization factorFrom(double lam) {
            double tried = lam;
            double scale = scale();
            for (int raises = 0; raises < 80; raises++) {
                Optional<Factorization> f = system.factor(tried);
                if (f.isPresent()) {
                    factoredLambda = tried;
                    return f.get();
                }
                tried = Math.max(4 * tried, 1e-3 * scale);
            }
            throw new io.github.natgrad.CurvatureNotPositiveDefiniteException(system.kind(), Double.NaN, tried);
        }

        private double scale() {
            double[] diag = system.diagonal().orElse(null);
            double s = 0;
            if (diag != null) {
                for (double v : diag) {
                    s += Math.abs(v) / diag.length;
                }
            }
            return s > 0 && Double.isFinite(s) ? s : 1.0;
        }

        @Override
        public SolveStats lastSolve() {
            return SolveStats.DIRECT;
        }

        double lambda() {
            return lambda;
        }

    }
}
