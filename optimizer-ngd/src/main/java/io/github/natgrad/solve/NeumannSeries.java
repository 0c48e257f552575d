package io.github.natgrad.solve;

import io.github.natgrad.Checks;
import io.github.natgrad.Factorization;
import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;
import java.util.Optional;

/**
 * The solve of (C + λI) x = g for a dominant damping λ ≫ ‖C‖ by the Neumann series
 * x = Σ_{k=0}^{K−1} (−C)^k g / λ^{k+1}, which needs only K − 1 products C v, each O(N D) for a
 * generalised linear model's C = Jᵀ W J / N (J v and Jᵀ u), instead of building C (O(N D²)) and
 * factorising C + λI (O(D³)). With a bound β ≥ ‖C‖₂ and the ratio ρ = β / λ, the series converges for
 * ρ &lt; 1 and the terms left out after K sum to at most ρ^K / (1 − ρ) of ‖g‖ / λ ≈ ‖x‖: this solver takes
 * K = ⌈log 2⁻⁵⁴ / log ρ⌉ terms, so that the truncation lies below the rounding of the sum (the result
 * agrees with a direct solve to rounding, the same few ulps as a Cholesky solve of this well-conditioned
 * system), and uses the series only for ρ ≤ {@link #MAX_RATIO} (K ≤ 9); for any other damping it hands the
 * system to its fallback solver. For C symmetric (any sign), β is Gershgorin's bound max_i Σ_j |c_ij|; a
 * batched caller with C = Σ_i w_i x_i x_iᵀ / N may pass Σ_i |w_i| ‖x_i‖² / N ({@link #terms}).
 *
 * <p>The damping sweep ({@code optim.DampingSweep}) runs this series for its dominant dampings with its
 * batched products J v and Jᵀ u ({@link #terms}, {@link #accumulate}); the {@link Solver} here is the same
 * series on a dense C, for any caller and for the contract tests. Natgrad 0.1.0's grid had such a shortcut,
 * private to the grid; this is the library's. Stateless and thread-safe.
 */
public final class NeumannSeries implements Solver {
    /** The largest ratio β / λ at which the series is used (then at most 9 terms). */
    public static final double MAX_RATIO = 1e-2;

    /** The truncation the terms are chosen for: ρ^K ≤ 2⁻⁵⁴, half the unit roundoff. */
    private static final double TAIL = 0x1p-54;

    private final Solver fallback;

    private NeumannSeries(Solver fallback) {
        this.fallback = fallback;
    }

    /**
     * The series for dominant dampings, {@code fallback} for the others (and for {@link #decompose}).
     *
     * @throws IllegalArgumentException for a null fallback
     */
    public static NeumannSeries withFallback(Solver fallback) {
        return new NeumannSeries(Checks.notNull(fallback, "fallback solver"));
    }

    /** The series for dominant dampings, Cholesky for the others. */
    public static NeumannSeries withCholesky() {
        return withFallback(Solvers.cholesky());
    }

    /** The solver used for the dampings that are not dominant. */
    public Solver fallback() {
        return fallback;
    }

    @Override
    public String name() {
        return "neumann(" + fallback.name() + ")";
    }

    /**
     * The number of terms K of the series for (C + λI)⁻¹ with β ≥ ‖C‖₂: the smallest K with
     * (β/λ)^K ≤ 2⁻⁵⁴ (1 for β = 0), or 0 when the damping is not dominant (β/λ &gt; {@link #MAX_RATIO},
     * λ ≤ 0, or β or λ not finite), where the series must not be used.
     */
    public static int terms(double normBound, double lambda) {
        if (!(lambda > 0) || Double.isInfinite(lambda) || !(normBound >= 0) || Double.isInfinite(normBound)) {
            return 0;
        }
        double ratio = normBound / lambda;
        if (!(ratio <= MAX_RATIO)) {
            return 0;
        }
        if (ratio == 0) {
            return 1;
        }
        return Math.max(1, (int) Math.ceil(Math.log(TAIL) / Math.log(ratio)));
    }

    /**
     * One step of the series: {@code term} ← −{@code product} / λ (with {@code product} = C · term, the
     * previous term), then {@code x} += term; D entries each from the given offsets. Start with term = g / λ
     * and x = term ({@link #start}).
     */
    public static void accumulate(double[] product, int productOffset, double lambda, double[] term, int termOffset,
            double[] x, int xOffset, int d) {
        for (int j = 0; j < d; j++) {
            double t = -product[productOffset + j] / lambda;
            term[termOffset + j] = t;
            x[xOffset + j] += t;
        }
    }

    /** The series' first term: term = x = g / λ (D entries from the given offsets). */
    public static void start(double[] g, int gOffset, double lambda, double[] term, int termOffset, double[] x,
            int xOffset, int d) {
        for (int j = 0; j < d; j++) {
            double t = g[gOffset + j] / lambda;
            term[termOffset + j] = t;
            x[xOffset + j] = t;
        }
    }

    /** Gershgorin's bound max_i Σ_j |c_ij| ≥ ‖C‖₂ of a symmetric row-major D × D matrix (NaN propagates). */
    static double gershgorin(double[] c, int d) {
        double bound = 0;
        for (int i = 0; i < d; i++) {
            double row = 0;
            for (int j = 0; j < d; j++) {
                row += Math.abs(c[i * d + j]);
            }
            if (!(row <= bound)) {
                bound = row;
            }
        }
        return bound;
    }

    /**
     * (C + λI)⁻¹ by the series when λ is dominant for C (Gershgorin's bound), else the fallback's
     * factorisation. C is not modified (the series keeps a copy).
     */
    @Override
    public Optional<Factorization> factor(double[] c, int d, double lambda) {
        int k = terms(gershgorin(c, d), lambda);
        if (k == 0) {
            return fallback.factor(c, d, lambda);
        }
        double[] copy = java.util.Arrays.copyOf(c, d * d);
        return Optional.of((b, x) -> {
            double[] term = new double[d];
            double[] sum = new double[d];
            double[] product = new double[d];
            start(b, 0, lambda, term, 0, sum, 0, d);
            for (int t = 1; t < k; t++) {
                for (int i = 0; i < d; i++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += copy[i * d + j] * term[j];
                    }
                    product[i] = s;
                }
                accumulate(product, 0, lambda, term, 0, sum, 0, d);
            }
            System.arraycopy(sum, 0, x, 0, d);
        });
    }

    /** The fallback's decomposition (the series has no spectrum of its own). */
    @Override
    public Spectrum decompose(double[] c, int d) {
        return fallback.decompose(c, d);
    }
}
