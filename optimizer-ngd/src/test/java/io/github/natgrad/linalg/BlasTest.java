package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.DoubleBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each BLAS/LAPACK entry point natgrad calls, against a plain-loop reference (the ND4J notes record
 * entry points that returned wrong answers here; these must not).
 */
class BlasTest {
    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    @Test
    void gramUpperIsGtGOnTheUpperTriangle() {
        int rows = 37;
        int d = 9;
        double[] g = random(rows * d, 1);
        DoubleBuffer gb = Blas.allocate(rows * d);
        gb.put(0, g);
        DoubleBuffer cb = Blas.allocate(d * d);
        Blas.gramUpper(rows, d, 0.5, gb, 0.0, cb);
        Blas.gramUpper(rows, d, 0.5, gb, 1.0, cb); // accumulates: total = GᵀG
        double[] c = new double[d * d];
        cb.get(0, c);
        Blas.symmetrizeFromUpper(d, c);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < rows; k++) {
                    s += g[k * d + i] * g[k * d + j];
                }
                assertEquals(s, c[i * d + j], 1e-12);
            }
        }
    }

    @Test
    void matrixVectorProductsMatchLoops() {
        int m = 13;
        int n = 7;
        double[] a = random(m * n, 2);
        double[] x = random(n, 3);
        double[] u = random(m, 4);
        double[] y = new double[m];
        double[] z = new double[n];
        double[] k1 = new double[m];
        double[] k2 = new double[n];
        Blas.gemv(m, n, 1.0, a, x, 0.0, y);
        Blas.gemvTransposed(m, n, 1.0, a, u, 0.0, z);
        Kernels.multiply(m, n, a, x, 0.0, k1);
        Kernels.multiplyTransposed(m, n, a, u, k2);
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += a[i * n + j] * x[j];
            }
            assertEquals(s, y[i], 1e-13);
            assertEquals(s, k1[i], 1e-13);
        }
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += a[i * n + j] * u[i];
            }
            assertEquals(s, z[j], 1e-13);
            assertEquals(s, k2[j], 1e-13);
        }
    }

    @Test
    void choleskyFactorsAndSolves() {
        int d = 6;
        double[] g = random(20 * d, 5);
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < 20; k++) {
                    a[i * d + j] += g[k * d + i] * g[k * d + j];
                }
            }
        }
        double[] b = random(d, 6);
        double[] u = a.clone();
        assertEquals(0, Blas.choleskyUpper(d, u));
        double[] x = b.clone();
        Blas.choleskySolveUpper(d, u, x);
        double[] ax = new double[d];
        Blas.symv(d, a, x, ax);
        assertArrayEquals(b, ax, 1e-11);
        double[] indefinite = {1, 2, 2, 1};
        assertEquals(2, Blas.choleskyUpper(2, indefinite), "the order of the failing leading minor");
    }

    @Test
    void symmetricEigenReconstructsTheMatrix() {
        int d = 5;
        double[] r = random(d * d, 7);
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a[i * d + j] = r[i * d + j] + r[j * d + i];
            }
        }
        double[] v = a.clone();
        double[] w = new double[d];
        Blas.symmetricEigen(d, v, w);
        for (int i = 1; i < d; i++) {
            assertEquals(true, w[i - 1] <= w[i], "ascending");
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += v[i * d + k] * w[k] * v[j * d + k];
                }
                assertEquals(a[i * d + j], s, 1e-12);
            }
        }
    }
}
