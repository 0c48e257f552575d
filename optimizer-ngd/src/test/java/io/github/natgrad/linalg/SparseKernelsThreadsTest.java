package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.natgrad.CsrMatrix;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sparse products shared among threads ({@link SparseKernels}) give the bits of one thread for every number of
 * parts, and the values of dense sums computed independently.
 */
class SparseKernelsThreadsTest {

    /** Rows of random length (some empty), columns drawn with a skew (low columns frequent, as in text data). */
    private static CsrMatrix randomCsr(Random rnd, int n, int p) {
        int[] start = new int[n + 1];
        int[] cols = new int[n * p];
        double[] vals = new double[n * p];
        int nnz = 0;
        for (int i = 0; i < n; i++) {
            start[i] = nnz;
            if (i % 9 == 4) {
                continue;
            }
            for (int j = 0; j < p; j++) {
                if (rnd.nextDouble() < 0.6 / (1 + j / 4.0)) {
                    cols[nnz] = j;
                    vals[nnz++] = rnd.nextGaussian();
                }
            }
        }
        start[n] = nnz;
        return CsrMatrix.of(n, p, start, Arrays.copyOf(cols, nnz), Arrays.copyOf(vals, nnz));
    }

    private static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    private static double[] dense(CsrMatrix x) {
        int p = x.columns();
        double[] d = new double[x.rows() * p];
        for (int i = 0; i < x.rows(); i++) {
            for (int k = x.rowStart()[i]; k < x.rowStart()[i + 1]; k++) {
                d[i * p + x.columnIndex()[k]] = x.values()[k];
            }
        }
        return d;
    }

    @Test
    void everyNumberOfPartsHasTheBitsOfOneThread() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 12; trial++) {
            int n = 1 + rnd.nextInt(80);
            int p = 1 + rnd.nextInt(60);
            CsrMatrix x = randomCsr(rnd, n, p);
            double[] w = gaussian(rnd, p + 3);
            double[] u = gaussian(rnd, 2 * n);
            for (int i = 0; i < u.length; i += 7) {
                u[i] = 0.0; // rows skipped by the scatter
            }
            double shift = rnd.nextGaussian();

            double[] f1 = new double[n];
            SparseKernels.multiply(x, w, 3, shift, f1, 1);
            double[] g1 = new double[p + 2];
            SparseKernels.multiplyTransposed(x, u, 2, 1, g1, 2, 1);
            double[] d1 = new double[p + 1];
            Arrays.fill(d1, 0.5);
            SparseKernels.addWeightedSquares(x, u, 2, 1, d1, 1, 1);

            for (int parts : new int[] {2, 3, 5, 8}) {
                double[] f = new double[n];
                SparseKernels.multiply(x, w, 3, shift, f, Math.min(parts, n));
                assertArrayEquals(f1, f, 0.0, "X w in " + parts + " parts");
                double[] g = new double[p + 2];
                Arrays.fill(g, 7.0); // overwritten from outOffset on
                g[0] = g1[0];
                g[1] = g1[1];
                SparseKernels.multiplyTransposed(x, u, 2, 1, g, 2, parts);
                assertArrayEquals(g1, g, 0.0, "X^T u in " + parts + " parts");
                double[] d = new double[p + 1];
                Arrays.fill(d, 0.5); // added to
                SparseKernels.addWeightedSquares(x, u, 2, 1, d, 1, parts);
                assertArrayEquals(d1, d, 0.0, "weighted squares in " + parts + " parts");
            }

            // the values, from dense sums
            double[] xd = dense(x);
            for (int i = 0; i < n; i++) {
                double ref = shift;
                for (int j = 0; j < p; j++) {
                    ref += xd[i * p + j] * w[3 + j];
                }
                assertEquals(ref, f1[i], 1e-12 * (1 + Math.abs(ref)));
            }
            for (int j = 0; j < p; j++) {
                double ref = 0;
                double sq = 0.5;
                for (int i = 0; i < n; i++) {
                    ref += xd[i * p + j] * u[2 * i + 1];
                    sq += u[2 * i + 1] * xd[i * p + j] * xd[i * p + j];
                }
                assertEquals(ref, g1[2 + j], 1e-12 * (1 + Math.abs(ref)));
                assertEquals(sq, d1[1 + j], 1e-12 * (1 + Math.abs(sq)));
            }
        }
    }

    @Test
    void columnCutsIncreaseAndCoverTheColumns() {
        Random rnd = new Random(8);
        CsrMatrix x = randomCsr(rnd, 200, 50);
        for (int parts = 1; parts <= 8; parts++) {
            int[] cuts = SparseKernels.columnCuts(x, parts);
            assertEquals(0, cuts[0]);
            assertEquals(50, cuts[parts]);
            for (int t = 0; t < parts; t++) {
                assertEquals(true, cuts[t] <= cuts[t + 1], Arrays.toString(cuts));
            }
        }
    }

    @Test
    void aFailingPartIsReportedAfterEveryPartHasFinished() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SparseThreads.run(3, t -> {
            if (t == 2) {
                throw new IllegalStateException("part 2 failed");
            }
        }));
        assertEquals("part 2 failed", e.getMessage());
    }

    @Test
    void smallMatricesStayOnOneThread() {
        CsrMatrix x = randomCsr(new Random(1), 30, 20);
        assertEquals(1, SparseKernels.threadsFor(x));
    }
}
