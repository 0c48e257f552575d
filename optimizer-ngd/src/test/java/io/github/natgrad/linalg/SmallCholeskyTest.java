package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * natgrad's Java Cholesky against independent references: the factor L and the solve against Apache Commons
 * Math, the detection of a matrix that is not positive definite against LAPACK's {@code info}.
 */
class SmallCholeskyTest {

    /** A random SPD matrix G Gᵀ/m + shift·I with condition number growing as the shift falls. */
    private static double[] spd(int d, long seed, double shift) {
        Random random = new Random(seed);
        int m = d + 3;
        double[] g = new double[d * m];
        for (int i = 0; i < g.length; i++) {
            g[i] = random.nextGaussian() * (1 + i % 7);
        }
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = i == j ? shift : 0.0;
                for (int k = 0; k < m; k++) {
                    s += g[i * m + k] * g[j * m + k] / m;
                }
                a[i * d + j] = s;
            }
        }
        return a;
    }

    private static RealMatrix matrix(double[] a, int d) {
        double[][] rows = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(a, i * d, rows[i], 0, d);
        }
        return new Array2DRowRealMatrix(rows, false);
    }

    @Test
    void factorMatchesCommonsMathForEverySizeUpToTheLimit() {
        for (int d = 1; d <= SmallCholesky.MAX_DIMENSION; d++) {
            double[] a = spd(d, 100 + d, 1e-3);
            RealMatrix expected = new CholeskyDecomposition(matrix(a, d), 1e-15, 1e-300).getL();
            double[] l = a.clone();
            assertEquals(0, SmallCholesky.factor(d, l), "d = " + d);
            double scale = 0;
            for (int i = 0; i < d; i++) {
                scale = Math.max(scale, Math.abs(expected.getEntry(i, i)));
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    assertEquals(expected.getEntry(i, j), l[i * d + j], 1e-11 * scale, "d = " + d + ", L(" + i + ", " + j + ")");
                }
                for (int j = i + 1; j < d; j++) {
                    assertEquals(a[i * d + j], l[i * d + j], 0.0, "the upper triangle is not touched");
                }
            }
        }
    }

    @Test
    void solveMatchesCommonsMathAndHasASmallResidual() {
        for (int d : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 31, 64}) {
            double[] a = spd(d, 7 * d, 1e-6);
            double[] b = new double[d];
            Random random = new Random(d);
            for (int i = 0; i < d; i++) {
                b[i] = random.nextGaussian();
            }
            double[] expected = new CholeskyDecomposition(matrix(a, d), 1e-15, 1e-300).getSolver()
                    .solve(new ArrayRealVector(b)).toArray();
            double[] l = a.clone();
            assertEquals(0, SmallCholesky.factor(d, l));
            double[] x = b.clone();
            SmallCholesky.solve(d, l, x);
            double norm = 0;
            for (double v : expected) {
                norm = Math.max(norm, Math.abs(v));
            }
            for (int i = 0; i < d; i++) {
                assertEquals(expected[i], x[i], 1e-8 * norm, "d = " + d + ", x[" + i + "]");
                double r = -b[i];
                for (int j = 0; j < d; j++) {
                    r += a[i * d + j] * x[j];
                }
                assertEquals(0.0, r, 1e-9 * (1 + Math.abs(b[i])), "residual of row " + i + " at d = " + d);
            }
        }
    }

    @Test
    void reportsTheSameFailingMinorAsLapack() {
        for (int d : new int[] {1, 3, 6, 31}) {
            for (int bad = 0; bad < d; bad += Math.max(1, d / 3)) {
                double[] a = spd(d, 3 * d + bad, 1.0);
                // make the leading minor of order bad + 1 indefinite: a large negative diagonal entry
                a[bad * d + bad] = -1e3;
                double[] lapack = a.clone();
                int expected = Blas.choleskyUpper(d, lapack);
                assertNotEquals(0, expected);
                assertEquals(expected, SmallCholesky.factor(d, a.clone()), "d = " + d + ", bad = " + bad);
                assertEquals(bad + 1, expected);
            }
        }
    }

    @Test
    void aNotANumberIsNotPositiveDefinite() {
        double[] a = spd(5, 1, 1.0);
        a[2 * 5 + 2] = Double.NaN;
        assertEquals(3, SmallCholesky.factor(5, a));
        double[] zero = new double[4];
        assertEquals(1, SmallCholesky.factor(2, zero), "a zero pivot is not positive");
    }

    @Test
    void sameInputGivesTheSameBitsAcrossManyCalls() {
        double[] a = spd(31, 5, 1e-4);
        double[] first = a.clone();
        SmallCholesky.factor(31, first);
        for (int rep = 0; rep < 20_000; rep++) {
            double[] again = a.clone();
            SmallCholesky.factor(31, again);
            for (int i = 0; i < again.length; i++) {
                if (Double.doubleToRawLongBits(again[i]) != Double.doubleToRawLongBits(first[i])) {
                    throw new AssertionError("repeat " + rep + " differs at " + i);
                }
            }
        }
    }

    /**
     * The factor on the upper triangle (the optimizer's Cholesky solver) is the lower factor transposed, bit for
     * bit (the same operations in the same order, vectorised across rows when the SIMD kernels are on); its solve
     * gives the lower solve's bits; Commons Math agrees; the strict lower triangle is not touched.
     */
    @Test
    void theUpperFactorIsTheLowerFactorTransposedBitForBitAndMatchesCommonsMath() {
        for (int d = 1; d <= SmallCholesky.MAX_DIMENSION; d++) {
            double[] a = spd(d, 300 + d, 1e-3);
            double[] l = a.clone();
            double[] u = a.clone();
            assertEquals(0, SmallCholesky.factor(d, l));
            assertEquals(0, SmallCholesky.factorUpper(d, u), "d = " + d);
            RealMatrix expected = new CholeskyDecomposition(matrix(a, d), 1e-15, 1e-300).getL();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    assertEquals(Double.doubleToRawLongBits(l[i * d + j]), Double.doubleToRawLongBits(u[j * d + i]),
                            "d = " + d + ", U(" + j + ", " + i + ") vs L(" + i + ", " + j + ")");
                    assertEquals(expected.getEntry(i, j), u[j * d + i], 1e-11 * Math.abs(expected.getEntry(0, 0)) * d);
                }
                for (int j = 0; j < i; j++) {
                    assertEquals(a[i * d + j], u[i * d + j], 0.0, "the strict lower triangle is not touched");
                }
            }
            Random random = new Random(d);
            double[] b = new double[d];
            for (int i = 0; i < d; i++) {
                b[i] = random.nextGaussian();
            }
            double[] x = b.clone();
            double[] y = b.clone();
            SmallCholesky.solve(d, l, x);
            SmallCholesky.solveUpper(d, u, y);
            for (int i = 0; i < d; i++) {
                assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), "d = " + d + ", x[" + i + "]");
            }
        }
    }

    @Test
    void theUpperFactorReportsTheFailingMinorAsTheLowerOne() {
        // odd and even columns (the vector kernel takes two columns at a time), above and below the vector threshold
        for (int d : new int[] {1, 3, 6, 17, 31, 64, 125}) {
            for (int bad = 0; bad < d; bad += Math.max(1, d / 3)) {
                double[] a = spd(d, 3 * d + bad, 1.0);
                a[bad * d + bad] = -1e3;
                assertEquals(bad + 1, SmallCholesky.factorUpper(d, a.clone()), "d = " + d + ", bad = " + bad);
            }
        }
        double[] a = spd(5, 1, 1.0);
        a[2 * 5 + 2] = Double.NaN;
        assertEquals(3, SmallCholesky.factorUpper(5, a));
    }
}
