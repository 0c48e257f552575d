package io.github.natgrad.lanes;

import io.github.natgrad.Optimizer;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.linalg.BatchedCholesky;
import io.github.natgrad.linalg.DenseDesign;
import io.github.natgrad.linalg.GramBuilder;
import io.github.natgrad.linalg.Kernels;
import io.github.natgrad.linalg.Simd;
import io.github.natgrad.linalg.SmallCholesky;
import io.github.natgrad.linalg.StepDesign;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.optim.DampingSweep;
import io.github.natgrad.optim.NaturalGradient;
import java.nio.DoubleBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Runs natgrad's kernels, a few optimizer steps and a damping sweep on fixed seeded inputs and returns every
 * result by name. {@link SameBitsAtEveryWidthTest} loads this class (and the library) afresh once per SIMD
 * setting and compares the results bit for bit; only JDK types cross between the class loaders.
 */
public final class LaneProbe {
    private LaneProbe() {
    }

    /**
     * The key prefix of results that go through OpenBLAS when the SIMD kernels are off (the Gram build is
     * then {@code dsyrk}): compared between vector widths, not with the scalar path.
     */
    public static final String BLAS_WHEN_OFF = "[blas when off] ";

    /** The results by name, and "simd" → {lanes} (0 when the SIMD kernels are off). */
    public static Map<String, double[]> run() {
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("simd", new double[] {Simd.lanes()});
        Random random = new Random(17);
        int[] widths = {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100};
        int[] heights = {1, 3, 4, 5, 7, 37};
        for (int p : widths) {
            for (int n : heights) {
                double[] a = gaussian(random, n * p);
                double[] x = gaussian(random, p);
                double[] u = gaussian(random, n);
                double[] f = new double[n];
                Kernels.multiply(n, p, a, x, 0.375, f);
                out.put("multiply " + n + "x" + p, f);
                double[] g = new double[p];
                Kernels.multiplyTransposed(n, p, a, u, g);
                out.put("multiplyTransposed " + n + "x" + p, g);
            }
        }
        // exp(−s|f|) and Σ log1p, every remainder of a block of 8, with ±0, huge |f| and a value outside [0, 1]
        for (int n : new int[] {1, 2, 3, 7, 8, 9, 15, 17, 37}) {
            double[] f = gaussian(random, n);
            for (int i = 0; i < n; i++) {
                f[i] *= Math.pow(10, i % 5 - 1);
            }
            f[0] = n % 2 == 0 ? -0.0 : 900.0;
            double[] e = new double[n];
            Kernels.expNegativeAbs(n, f, 0.5, e);
            out.put("expNegativeAbs " + n, e.clone());
            double whole = Kernels.sumLog1p(n, e);
            e[n - 1] = 1.75;
            out.put("sumLog1p " + n, new double[] {whole, Kernels.sumLog1p(n, e)});
        }
        // the logistic loss and residuals in one pass, every remainder of a block of 8, with ±0 and a huge |f|
        for (int n : new int[] {1, 2, 3, 7, 8, 9, 15, 17, 37, 100}) {
            double[] f = gaussian(random, n);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] *= Math.pow(10, i % 4 - 1);
                y[i] = random.nextBoolean() ? 1.0 : 0.0;
            }
            f[0] = n % 2 == 0 ? -0.0 : 900.0;
            double[] r = new double[n + 1];
            r[n] = Kernels.logisticLoss(n, f, y, r);
            out.put("logisticLoss " + n, r);
            double[] h = f.clone();
            Kernels.expNegativeAbs(n, f, 0.5, h);
            Kernels.overOnePlusSquare(n, h);
            out.put("overOnePlusSquare " + n, h);
        }
        GramBuilder builder = new GramBuilder();
        for (int d : new int[] {1, 3, 8, 9, 17, 31, 33, 64}) {
            // more rows than one cache chunk of the Gram kernel at d = 64, in blocks of 300
            int rows = d == 64 ? 700 : 45;
            double[] g = gaussian(random, rows * d);
            DoubleBuffer buffer = builder.begin(300, d, 0.5);
            for (int from = 0; from < rows; from += 300) {
                int to = Math.min(rows, from + 300);
                buffer.put(0, g, from * d, (to - from) * d);
                builder.accumulate(to - from);
            }
            double[] c = new double[d * d];
            builder.finish(c);
            out.put(BLAS_WHEN_OFF + "gram " + rows + "x" + d, c);
        }
        // the step design's products and scaled Gram build (SIMD only: with the kernels off the key holds nothing)
        for (int p : new int[] {1, 7, 8, 13, 30}) {
            for (int n : new int[] {1, 5, 37, 70}) {
                double[] x = gaussian(random, n * p);
                double[] theta = gaussian(random, p + 1);
                double[] u = gaussian(random, n);
                String key = BLAS_WHEN_OFF + "step design " + n + "x" + p;
                if (!StepDesign.fits(n, p, true)) {
                    out.put(key, new double[0]);
                    continue;
                }
                StepDesign design = StepDesign.of(x, n, p, true);
                double[] f = new double[n];
                design.multiply(theta, theta[p], f);
                double[] g = new double[p + 1];
                design.multiplyTransposed(u, g);
                double[] c = new double[(p + 1) * (p + 1)];
                builder.scaledGram(design, u, 0.25, c);
                double[] all = new double[n + g.length + c.length];
                System.arraycopy(f, 0, all, 0, n);
                System.arraycopy(g, 0, all, n, g.length);
                System.arraycopy(c, 0, all, n + g.length, c.length);
                out.put(key, all);
            }
        }
        // the Cholesky factor on the upper triangle and its solve, every remainder of a vector (and of two), odd
        // and even d (the vector kernel takes two rows of U at a time)
        for (int d : new int[] {1, 2, 3, 7, 8, 9, 16, 17, 31, 36, 37, 38, 64, 65, 124, 125}) {
            double[] m = gaussian(random, d * d);
            double[] a = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = i == j ? d : 0;
                    for (int k = 0; k < d; k++) {
                        s += m[i * d + k] * m[j * d + k];
                    }
                    a[i * d + j] = s;
                }
            }
            double[] b = gaussian(random, d);
            int info = SmallCholesky.factorUpper(d, a);
            SmallCholesky.solveUpper(d, a, b);
            double[] all = new double[d * d + d + 1];
            System.arraycopy(a, 0, all, 0, d * d);
            System.arraycopy(b, 0, all, d * d, d);
            all[d * d + d] = info;
            out.put("cholesky upper " + d, all);
        }
        // d = 25 and 31: column counts that leave one or two vectors after the blocks of three
        for (int d : new int[] {1, 5, 9, 13, 25, 31}) {
            int n = 41;
            int runs = 13; // the 8-row, 4-row and 1-row tiles of the batched product
            DenseDesign design = DenseDesign.of(gaussian(random, n * d), n, d, true);
            DenseDesign.Workspace ws = design.workspace(runs);
            ws.theta().put(0, gaussian(random, runs * d));
            ws.multiply(runs);
            out.put("dense F " + d, copy(ws.outputs(), runs * n));
            double[] w = new double[runs * n];
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextDouble();
            }
            ws.weights().put(0, w);
            ws.multiplyTransposed(runs);
            out.put("dense G " + d, copy(ws.result(), runs * d));
            ws.gram(runs);
            int q = design.packedSize();
            out.put("dense gram " + d, copy(ws.result(), runs * q));
            BatchedCholesky cholesky = new BatchedCholesky(d);
            double[] solutions = new double[runs * d];
            double[] rhs = gaussian(random, runs * d);
            for (int s0 = 0; s0 < runs; s0 += cholesky.lanes()) {
                int count = Math.min(cholesky.lanes(), runs - s0);
                for (int lane = 0; lane < count; lane++) {
                    cholesky.load(lane, ws.result(), (s0 + lane) * q, 1.0 / n, 0.01, 1e-3 * (s0 + lane));
                    cholesky.setRightHandSide(lane, rhs, (s0 + lane) * d);
                }
                cholesky.factor(count);
                cholesky.solve(count);
                for (int lane = 0; lane < count; lane++) {
                    cholesky.solution(lane, solutions, (s0 + lane) * d);
                }
            }
            out.put("batched cholesky " + d, solutions);
        }
        // the batched Cholesky at the sizes of a sparse sweep (a1a: D = 124), two columns at a time, odd and even d
        for (int d : new int[] {40, 41, 124}) {
            BatchedCholesky cholesky = new BatchedCholesky(d);
            int runs = 11;
            int q = d * (d + 1) / 2;
            double[] packed = new double[runs * q];
            for (int r = 0; r < runs; r++) {
                double[] m = gaussian(random, d * (d / 2));
                int p = r * q;
                for (int a = 0; a < d; a++) {
                    for (int b = a; b < d; b++) {
                        double v = 0;
                        for (int k = 0; k < d / 2; k++) {
                            v += m[a * (d / 2) + k] * m[b * (d / 2) + k];
                        }
                        packed[p++] = v;
                    }
                }
            }
            double[] rhs = gaussian(random, runs * d);
            double[] solutions = new double[runs * d + runs];
            for (int s0 = 0; s0 < runs; s0 += cholesky.lanes()) {
                int count = Math.min(cholesky.lanes(), runs - s0);
                for (int lane = 0; lane < count; lane++) {
                    // rank d/2: the smallest dampings are not positive definite in every run
                    cholesky.load(lane, packed, (s0 + lane) * q, 1.0 / 3, 0.0, Math.pow(10, -14 + s0 + lane));
                    cholesky.setRightHandSide(lane, rhs, (s0 + lane) * d);
                }
                cholesky.factor(count);
                cholesky.solve(count);
                for (int lane = 0; lane < count; lane++) {
                    // a system that is not positive definite has its minor's order and no solution to compare
                    if (cholesky.info(lane) == 0) {
                        cholesky.solution(lane, solutions, (s0 + lane) * d);
                    }
                    solutions[runs * d + s0 + lane] = cholesky.info(lane);
                }
            }
            out.put("batched cholesky " + d, solutions);
        }
        // a few natural-gradient steps on a dense logistic regression (D = 21 with the bias)
        SyntheticGlm data = SyntheticGlm.logistic(200, 20, 5.0, 3);
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(20).withBias()
                .withLikelihood(Likelihoods.bernoulli(1e-8));
        for (NaturalGradient config : new NaturalGradient[] {NaturalGradient.of(Curvatures.fisher()).withStepSize(0.5),
                NaturalGradient.of(Curvatures.empiricalFisher()).withStepSize(0.3)}) {
            Optimizer opt = config.withDamping(Damping.fixed(1e-3)).build(model);
            double[] theta = new double[model.parameterCount()];
            for (int t = 0; t < 5; t++) {
                opt.step(theta, data.batch());
            }
            out.put(BLAS_WHEN_OFF + "optimizer " + config, theta);
            out.put(BLAS_WHEN_OFF + "optimizer loss " + config, new double[] {opt.loss(theta, data.batch())});
        }
        DampingSweep sweep = DampingSweep.of(model, data.batch());
        DampingSweep.Run[] runs = sweep.run(NaturalGradient.of(Curvatures.fisher()), new double[] {0.1, 1.0, 1.0},
                new double[] {1e-6, 1e-3, 1.0}, 6, 3.0, true);
        for (int s = 0; s < runs.length; s++) {
            out.put("sweep theta " + s, runs[s].theta());
            out.put("sweep curve " + s, runs[s].curve());
        }
        return out;
    }

    private static double[] gaussian(Random random, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextGaussian();
        }
        return a;
    }

    private static double[] copy(DoubleBuffer buffer, int n) {
        double[] a = new double[n];
        buffer.get(0, a, 0, n);
        return a;
    }
}
