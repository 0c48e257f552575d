package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The batched product C = A B of {@link Kernels#product} (the SIMD tiles where on, the scalar loop where
 * off): every entry is the in-order chain of fused multiply-adds Σ_t a_st b_tj from +0, bit for bit, on every
 * row count (the 8-row panels, the 4-row panel and the single rows) and column count (blocks of three and
 * two vectors and a vector alone, tails shorter than a vector); the entries of C outside the product are
 * left as they were; and the result agrees with Apache Commons Math.
 */
class BatchedProductTest {
    private static final int[] COLUMNS = {1, 7, 8, 9, 16, 23, 24, 25, 31, 33, 47, 48, 49, 57, 496};
    private static final int[] DEPTHS = {1, 5, 31, 569};

    @Test
    void everyEntryIsTheInOrderChainOfFusedMultiplyAdds() {
        Random random = new Random(11);
        for (int r = 1; r <= 21; r++) {
            for (int m : COLUMNS) {
                for (int k : DEPTHS) {
                    if (k == 569 && m > 57 && r > 9) {
                        continue; // the large shape once is enough
                    }
                    int lda = k + 3;
                    int ldb = (m + 7) / 8 * 8 + 8; // rows readable past m (the kernels' contract)
                    int ldc = m + 2;
                    double[] a = gaussian(random, r * lda);
                    double[] b = gaussian(random, k * ldb);
                    double[] c = new double[r * ldc];
                    java.util.Arrays.fill(c, 7.0);
                    Kernels.product(r, k, m, a, lda, b, ldb, c, ldc);
                    for (int s = 0; s < r; s++) {
                        for (int j = 0; j < ldc; j++) {
                            double expected = 7.0;
                            if (j < m) {
                                expected = 0.0;
                                for (int t = 0; t < k; t++) {
                                    expected = Math.fma(b[t * ldb + j], a[s * lda + t], expected);
                                }
                            }
                            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(c[s * ldc + j]),
                                    "r=" + r + " k=" + k + " m=" + m + ": entry (" + s + ", " + j + ") = " + c[s * ldc + j]
                                            + ", the in-order chain gives " + expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void agreesWithCommonsMath() {
        Random random = new Random(12);
        int r = 41;
        int k = 569;
        int m = 496;
        double[] a = gaussian(random, r * k);
        double[] b = gaussian(random, k * m);
        double[] c = new double[r * m];
        Kernels.product(r, k, m, a, k, b, m, c, m);
        RealMatrix expected = matrix(a, r, k).multiply(matrix(b, k, m));
        for (int s = 0; s < r; s++) {
            for (int j = 0; j < m; j++) {
                assertEquals(expected.getEntry(s, j), c[s * m + j], 1e-12 * Math.sqrt(k), "entry (" + s + ", " + j + ")");
            }
        }
    }

    private static RealMatrix matrix(double[] x, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, i * cols, out[i], 0, cols);
        }
        return new Array2DRowRealMatrix(out, false);
    }

    private static double[] gaussian(Random random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }
}
