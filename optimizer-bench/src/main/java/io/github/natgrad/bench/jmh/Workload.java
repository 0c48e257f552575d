package io.github.natgrad.bench.jmh;

import io.github.natgrad.Batch;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.Simd;
import io.github.natgrad.models.GeneralizedLinearModel;
import java.util.Locale;
import java.util.Random;

/**
 * One benchmark problem: a seeded synthetic GLM with N examples and D parameters (D − 1 inputs and a
 * bias, as in the paper's datasets: wine 178 × 14, breast cancer 569 × 31, a1a 1605 × 124), the model
 * and a fixed starting point θ₀ = θ* · 0.5 (half the true parameters). Also the flop counts every benchmark reports, kept in one place.
 *
 * <p>Flop counts (a multiply-add counts 2): forward pass and gradient 2ND each; curvature build
 * (one {@code dsyrk} of the N·m × D factor rows, upper triangle) m·N·D(D + 1); Cholesky D³/3;
 * the two triangular solves 2D².
 *
 * @param n     the examples N
 * @param d     the parameters D (inputs + bias)
 * @param model the model
 * @param batch the examples
 * @param theta the starting point θ₀ (callers copy it, never write it)
 */
public record Workload(int n, int d, GeneralizedLinearModel model, Batch batch, double[] theta) {

    /** The shapes of the full suite, as {@code N x D} strings ({@code @Param} values). */
    public static final String[] SHAPES = {"178x14", "569x31", "1605x124", "10000x100", "20000x500", "2000x2000",
        "500x5000"};

    /** The condition-number spread of the synthetic inputs (see {@link SyntheticGlm}). */
    static final double CONDITIONING = 10;

    /**
     * The problem of the given shape.
     *
     * @param shape      {@code "NxD"}, e.g. {@code "569x31"}, with D ≥ 2
     * @param modelName  {@code logistic} or {@code linear}
     * @param seed       the data seed
     */
    public static Workload of(String shape, String modelName, long seed) {
        int[] nd = parseShape(shape);
        int n = nd[0];
        int p = nd[1] - 1;
        SyntheticGlm problem;
        GeneralizedLinearModel model;
        switch (modelName.toLowerCase(Locale.ROOT)) {
            case "logistic":
                problem = SyntheticGlm.logistic(n, p, CONDITIONING, seed);
                model = GeneralizedLinearModel.logisticRegression(p).withBias();
                break;
            case "linear":
                problem = SyntheticGlm.linear(n, p, CONDITIONING, seed);
                model = GeneralizedLinearModel.linearRegression(p).withBias();
                break;
            default:
                throw new IllegalArgumentException("unknown model '" + modelName + "'; use logistic or linear");
        }
        double[] theta = new double[p + 1];
        for (int j = 0; j < p; j++) {
            theta[j] = 0.5 * problem.truth()[j];
        }
        return new Workload(n, p + 1, model, problem.batch(), theta);
    }

    /**
     * Sets the OpenBLAS threads for a benchmark: a number pins them ({@link Blas#setThreads}); {@code auto}
     * leaves natgrad's default (one thread, every core for large Gram products, see {@link Blas#gramUpper}).
     */
    public static void useThreads(String threads) {
        if (!threads.equals("auto")) {
            Blas.setThreads(Integer.parseInt(threads));
        }
    }

    /**
     * Sets natgrad's SIMD kernels for a benchmark fork ({@code auto} or {@code off}, see {@link Simd}) and
     * checks that they took effect: call it before anything else in the fork touches natgrad's kernels.
     */
    public static void useSimd(String simd) {
        System.setProperty(Simd.PROPERTY, simd);
        boolean wantOff = simd.equals("off");
        if (wantOff == Simd.enabled()) {
            throw new IllegalStateException("simd=" + simd + " did not take effect (" + Simd.describe()
                    + "); natgrad's kernels were initialised before the benchmark's set-up");
        }
    }

    /**
     * A random symmetric positive semi-definite D × D matrix (row-major), the Gram matrix GᵀG / 2D of 2D rows of
     * D standard Gaussians drawn from {@code random} row by row: the curvature of the solver benchmarks.
     */
    public static double[] gaussianGram(int d, Random random) {
        int n = 2 * d;
        double[] rows = new double[n * d];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextGaussian();
        }
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += rows[k * d + i] * rows[k * d + j];
                }
                c[i * d + j] = s / n;
            }
        }
        return c;
    }

    /** Parses {@code "NxD"} into {N, D}. */
    public static int[] parseShape(String shape) {
        String[] parts = shape.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int n = Integer.parseInt(parts[0].trim());
                int d = Integer.parseInt(parts[1].trim());
                if (n >= 1 && d >= 2) {
                    return new int[] {n, d};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("shape '" + shape + "' is not NxD with N >= 1 and D >= 2, e.g. 569x31");
    }

    /** Flops of the forward pass, loss and gradient: 4ND. */
    public static double gradientFlops(int n, int d) {
        return 4.0 * n * d;
    }

    /** Flops of one rank-(N·m) update of the upper triangle of a D × D Gram matrix ({@code dsyrk}). */
    public static double syrkFlops(long rows, int d) {
        return (double) rows * d * (d + 1);
    }

    /** Flops of a full D × D Gram matrix by {@code dgemm}: 2·rows·D². */
    public static double gemmFlops(long rows, int d) {
        return 2.0 * rows * d * d;
    }

    /** Flops of the Cholesky factorisation (D³/3) and the two triangular solves (2D²). */
    public static double factorSolveFlops(int d) {
        return (double) d * d * d / 3.0 + 2.0 * d * d;
    }

    /**
     * Flops of one step with the given curvature kind: gradient, and for every kind but identity the
     * build with m factor columns per example plus the factorisation and solve.
     */
    public static double stepFlops(String kind, int n, int d, int factorColumns) {
        if (kind.equals("identity")) {
            return gradientFlops(n, d) + d;
        }
        return gradientFlops(n, d) + syrkFlops((long) n * factorColumns, d) + factorSolveFlops(d);
    }
}
