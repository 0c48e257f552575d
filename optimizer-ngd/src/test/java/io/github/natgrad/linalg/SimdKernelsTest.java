package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The SIMD kernels ({@link VectorKernels}, through {@link GramBuilder} and {@link Kernels}) against Apache
 * Commons Math, on shapes that hit every edge of their blocking: d below, at and just past a vector and
 * a tile, row counts that are not multiples of four, and more rows than one cache chunk.
 */
@DisabledIfSystemProperty(named = "natgrad.simd", matches = "off", disabledReason = "tests the SIMD kernels themselves")
class SimdKernelsTest {
    private static final int[] DIMENSIONS = {1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 33, 64, 100};
    private static final int[] ROWS = {1, 3, 4, 8, 50, 569};

    private static double[][] random(int rows, int d, long seed) {
        Random r = new Random(seed);
        double[][] a = new double[rows][d];
        for (double[] row : a) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return a;
    }

    /** The build under test: blocks of at most {@code block} rows through one GramBuilder. */
    private static double[] build(GramBuilder builder, double[][] g, int block, double alpha) {
        int d = g[0].length;
        DoubleBuffer rows = builder.begin(block, d, alpha);
        for (int from = 0; from < g.length; from += block) {
            int to = Math.min(g.length, from + block);
            for (int r = from; r < to; r++) {
                rows.put((r - from) * d, g[r], 0, d);
            }
            builder.accumulate(to - from);
        }
        double[] c = new double[d * d];
        builder.finish(c);
        return c;
    }

    private static void assertGram(double[][] g, double alpha, double[] c, String what) {
        int d = g[0].length;
        RealMatrix m = new Array2DRowRealMatrix(g, false);
        RealMatrix expected = m.transpose().multiply(m).scalarMultiply(alpha);
        double scale = expected.getNorm();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                assertEquals(expected.getEntry(i, j), c[i * d + j], 1e-13 * scale,
                        what + ": entry (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void theBuildUnderTestUsesTheSimdKernel() {
        // the surefire configuration starts the JVM with --add-modules jdk.incubator.vector: the kernels
        // below must really run, not fall back
        assertTrue(Simd.enabled(), "SIMD kernels are off in the test JVM: " + Simd.describe());
        assertTrue(GramBuilder.usesSimd(31));
        assertTrue(!GramBuilder.usesSimd(GramBuilder.MAX_SIMD_DIMENSION + 1));
    }

    @Test
    void gramMatchesCommonsMathOnEveryEdgeShape() {
        GramBuilder builder = new GramBuilder();
        long seed = 1;
        for (int d : DIMENSIONS) {
            for (int rows : ROWS) {
                double[][] g = random(rows, d, seed++);
                assertGram(g, 1.0 / rows, build(builder, g, rows, 1.0 / rows), rows + " x " + d);
            }
        }
    }

    @Test
    void gramAccumulatesBlocksAndChunksLongerThanTheCache() {
        GramBuilder builder = new GramBuilder();
        // 9 columns: a cache chunk is 32768 / 9 = 3640 rows, so 8000 rows take three chunks
        double[][] g = random(8000, 9, 7);
        assertGram(g, 0.25, build(builder, g, 8000, 0.25), "one block of 8000 rows");
        assertGram(g, 0.25, build(builder, g, 777, 0.25), "blocks of 777 rows");
    }

    @Test
    void aReusedBuilderForgetsThePreviousBuild() {
        GramBuilder builder = new GramBuilder();
        double[][] big = random(40, 20, 3);
        build(builder, big, 40, 1.0);
        double[][] small = random(5, 11, 4);
        assertGram(small, 2.0, build(builder, small, 5, 2.0), "after a larger build");
    }

    @Test
    void wideProblemsGoToBlas() {
        int d = GramBuilder.MAX_SIMD_DIMENSION + 3;
        double[][] g = random(6, d, 5);
        assertGram(g, 1.0, build(new GramBuilder(), g, 4, 1.0), "6 x " + d);
    }

    @Test
    void simdAndBlasAgreeToRounding() {
        double[][] g = random(569, 31, 11);
        double[] simd = build(new GramBuilder(), g, 569, 1.0 / 569);
        DoubleBuffer gb = Blas.allocate(569 * 31);
        for (int r = 0; r < 569; r++) {
            gb.put(r * 31, g[r], 0, 31);
        }
        DoubleBuffer cb = Blas.allocate(31 * 31);
        Blas.gramUpper(569, 31, 1.0 / 569, gb, 0.0, cb);
        for (int i = 0; i < 31; i++) {
            for (int j = i; j < 31; j++) {
                assertEquals(cb.get(i * 31 + j), simd[i * 31 + j], 1e-14);
            }
        }
    }

    @Test
    void badCallsSayWhatWasWrong() {
        GramBuilder builder = new GramBuilder();
        assertThrows(IllegalArgumentException.class, () -> builder.begin(0, 3, 1.0));
        builder.begin(4, 3, 1.0);
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> builder.accumulate(5));
        assertTrue(tooMany.getMessage().contains("1 to 4 rows"), tooMany.getMessage());
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> builder.finish(new double[9]));
        assertTrue(early.getMessage().contains("begin"), early.getMessage());
    }

    @Test
    void matrixVectorKernelsMatchCommonsMath() {
        long seed = 100;
        for (int p : DIMENSIONS) {
            for (int n : new int[] {1, 2, 3, 4, 5, 17, 569}) {
                double[][] a = random(n, p, seed++);
                double[] x = random(1, p, seed++)[0];
                double[] u = random(1, n, seed++)[0];
                double[] flat = new double[n * p];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(a[i], 0, flat, i * p, p);
                }
                RealMatrix m = new Array2DRowRealMatrix(a, false);
                double[] fx = m.operate(x);
                double[] gu = m.transpose().operate(u);
                double[] f = new double[n];
                double[] g = new double[p];
                Kernels.multiply(n, p, flat, x, 0.5, f);
                Kernels.multiplyTransposed(n, p, flat, u, g);
                for (int i = 0; i < n; i++) {
                    assertEquals(fx[i] + 0.5, f[i], 1e-12, "A x at " + n + " x " + p + ", row " + i);
                }
                for (int j = 0; j < p; j++) {
                    assertEquals(gu[j], g[j], 1e-12, "Aᵀ u at " + n + " x " + p + ", column " + j);
                }
            }
        }
    }

    @Test
    void elementwiseKernelsMatchTheJdkWithinTwoUlps() {
        Random r = new Random(21);
        for (int n : new int[] {1, 7, 8, 9, 569}) {
            double[] f = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(6) - 2); // |f| from 1e-3 to 1e3
            }
            f[0] = 0.0;
            double[] e = new double[n];
            Kernels.expNegativeAbs(n, f, 0.5, e);
            double expected = 0;
            for (int i = 0; i < n; i++) {
                double exact = Math.exp(-0.5 * Math.abs(f[i]));
                assertEquals(exact, e[i], 2 * Math.ulp(exact), "exp(−|f|/2) at f = " + f[i]);
                expected += Math.log1p(e[i]);
            }
            // each term within a few ulps; the sum in another order: relative 1e-14
            assertEquals(expected, Kernels.sumLog1p(n, e), 1e-14 * Math.abs(expected) + 1e-300,
                    "Σ log1p at n = " + n);
        }
        for (double x : new double[] {0.0, 1e-300, 1e-17, 1e-9, 0.3, 1.0, 1e6, -0.5}) {
            assertEquals(Math.log1p(x), Kernels.log1p(x), 4 * Math.ulp(Math.log1p(x)), "log1p(" + x + ")");
        }
    }
}
