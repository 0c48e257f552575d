package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.DoubleBuffer;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The hot-path kernels changed for speed, against independent references: the column-major Cholesky
 * against Commons Math, the symmetrisation against its definition, and the Gram
 * product, which leaves the OpenBLAS thread count alone, on two threads against one (to a few ulps: with
 * OpenBLAS 0.3.28 a {@code dsyrk} split between two threads rounds some entries differently from one
 * thread; see {@link Blas#gramUpper}).
 */
class BlasLayoutAndThreadsTest {

    private static double[] spd(int d, long seed) {
        Random random = new Random(seed);
        double[] g = new double[3 * d * d];
        for (int i = 0; i < g.length; i++) {
            g[i] = random.nextGaussian();
        }
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = i == j ? 1.0 : 0.0;
                for (int k = 0; k < 3 * d; k++) {
                    s += g[k * d + i] * g[k * d + j] / (3 * d);
                }
                a[i * d + j] = s;
            }
        }
        return a;
    }

    @Test
    void choleskyFactorAndSolveMatchCommonsMath() {
        for (int d : new int[] {1, 7, 31, 90}) {
            double[] a = spd(d, d);
            double[][] rows = new double[d][d];
            for (int i = 0; i < d; i++) {
                System.arraycopy(a, i * d, rows[i], 0, d);
            }
            RealMatrix reference = new CholeskyDecomposition(new Array2DRowRealMatrix(rows)).getLT();
            double[] b = new double[d];
            for (int i = 0; i < d; i++) {
                b[i] = Math.sin(i + 1.0);
            }
            double[] expected = new CholeskyDecomposition(new Array2DRowRealMatrix(rows)).getSolver()
                    .solve(new org.apache.commons.math3.linear.ArrayRealVector(b)).toArray();

            double[] u = a.clone();
            assertEquals(0, Blas.choleskyUpper(d, u));
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    assertEquals(reference.getEntry(i, j), u[i * d + j], 1e-12, "U[" + i + "][" + j + "], d = " + d);
                }
                for (int j = 0; j < i; j++) {
                    assertEquals(a[i * d + j], u[i * d + j], 0.0, "the strict lower triangle is left as it was");
                }
            }
            Blas.choleskySolveUpper(d, u, b);
            assertArrayEquals(expected, b, 1e-10, "solve, d = " + d);
        }
    }

    @Test
    void choleskyReportsTheFirstMinorThatIsNotPositiveDefinite() {
        double[] a = {1, 2, 0, 2, 1, 0, 0, 0, 1}; // the leading 2 x 2 minor has determinant -3
        assertEquals(2, Blas.choleskyUpper(3, a));
    }

    @Test
    void symmetrisationCopiesTheUpperTriangleDown() {
        for (int d : new int[] {1, 63, 64, 65, 130}) {
            double[] c = new double[d * d];
            for (int i = 0; i < d * d; i++) {
                c[i] = i;
            }
            double[] expected = c.clone();
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    expected[j * d + i] = expected[i * d + j];
                }
            }
            Blas.symmetrizeFromUpper(d, c);
            assertArrayEquals(expected, c, 0.0, "d = " + d);
        }
    }

    @Test
    void gramProductLeavesTheThreadCountAloneAndAgreesOnTwoThreadsWithOneToAFewUlps() {
        int d = Blas.PARALLEL_GRAM_MIN_DIMENSION + 44;
        int rows = (int) Math.ceil(Blas.PARALLEL_GRAM_FLOPS / ((double) d * d)) + 3;
        Random random = new Random(7);
        DoubleBuffer g = Blas.allocate((long) rows * d);
        for (int i = 0; i < rows * d; i++) {
            g.put(i, random.nextGaussian());
        }
        int before = Blas.threads();
        try {
            DoubleBuffer asFound = Blas.allocate((long) d * d);
            Blas.gramUpper(rows, d, 1.0 / rows, g, 0.0, asFound);
            assertEquals(before, Blas.threads(), "a Gram product changed the process's OpenBLAS thread count");
            Blas.setThreads(2);
            DoubleBuffer two = Blas.allocate((long) d * d);
            Blas.gramUpper(rows, d, 1.0 / rows, g, 0.0, two);
            Blas.setThreads(1);
            DoubleBuffer single = Blas.allocate((long) d * d);
            Blas.gramUpper(rows, d, 1.0 / rows, g, 0.0, single);
            double largest = 0;
            for (int i = 0; i < d; i++) {
                largest = Math.max(largest, Math.abs(single.get(i * d + i)));
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    // the same thread count: the same bits; two threads: the same to rounding (a few ulps of
                    // the diagonal's scale, as the sums' order changes with the split of the work)
                    assertEquals(single.get(i * d + j), asFound.get(i * d + j), 0.0, "C[" + i + "][" + j + "]");
                    assertEquals(single.get(i * d + j), two.get(i * d + j), 8 * Math.ulp(largest),
                            "C[" + i + "][" + j + "] on two threads");
                }
            }
            // and the product itself, for one entry, against its definition
            double c01 = 0;
            for (int r = 0; r < rows; r++) {
                c01 += g.get(r * d) * g.get(r * d + 1) / rows;
            }
            assertEquals(c01, single.get(1), 1e-12);
        } finally {
            // this test is an application here: it restores what it found (the JavaCPP presets report -1
            // until a count is set; OpenBLAS then runs on OMP_NUM_THREADS, 1 in the tests)
            Blas.setThreads(before > 0 ? before
                    : Integer.parseInt(System.getenv().getOrDefault("OMP_NUM_THREADS", "1").trim()));
        }
    }
}
