package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.junit.jupiter.api.Test;

/**
 * {@link Blas#choleskyUpperUnchecked} and {@link Blas#choleskySolveUpperUnchecked} (Fortran-level
 * {@code dpotrf}/{@code dpotrs}) give the bits of the LAPACKE calls {@link Blas#choleskyUpper(int, DoubleBuffer)}
 * and {@link Blas#choleskySolveUpper(int, DoubleBuffer, DoubleBuffer)}, solve A x = b as Commons Math's
 * Cholesky does (to rounding), and report a matrix that is not positive definite by the order of its first
 * failing minor.
 */
class BlasUncheckedCholeskyTest {

    @Test
    void sameBitsAsLapackeAndSolvesLikeCommonsMath() {
        Random random = new Random(3);
        IntBuffer args = Blas.allocateLapackArguments();
        for (int d : new int[] {1, 5, 37, 124}) {
            double[] a = new double[d * d];
            double[][] rows = new double[d][d];
            double[] g = new double[3 * d * d];
            for (int i = 0; i < g.length; i++) {
                g[i] = random.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double sum = i == j ? 0.1 : 0.0;
                    for (int k = 0; k < 3 * d; k++) {
                        sum += g[k * d + i] * g[k * d + j];
                    }
                    a[i * d + j] = sum;
                    rows[i][j] = sum;
                }
            }
            double[] b = new double[d];
            for (int i = 0; i < d; i++) {
                b[i] = random.nextGaussian();
            }
            DoubleBuffer viaLapacke = Blas.allocate((long) d * d).put(0, a);
            DoubleBuffer viaFortran = Blas.allocate((long) d * d).put(0, a);
            assertEquals(0, Blas.choleskyUpper(d, viaLapacke));
            assertEquals(0, Blas.choleskyUpperUnchecked(d, viaFortran, args));
            double[] f1 = new double[d * d];
            double[] f2 = new double[d * d];
            viaLapacke.get(0, f1);
            viaFortran.get(0, f2);
            assertArrayEquals(f1, f2, 0.0, "factor, d = " + d);
            DoubleBuffer x1 = Blas.allocate(d).put(0, b);
            DoubleBuffer x2 = Blas.allocate(d).put(0, b);
            Blas.choleskySolveUpper(d, viaLapacke, x1);
            Blas.choleskySolveUpperUnchecked(d, viaFortran, x2, args);
            double[] s1 = new double[d];
            double[] s2 = new double[d];
            x1.get(0, s1);
            x2.get(0, s2);
            assertArrayEquals(s1, s2, 0.0, "solution, d = " + d);
            double[] reference = new CholeskyDecomposition(new Array2DRowRealMatrix(rows)).getSolver()
                    .solve(new ArrayRealVector(b)).toArray();
            for (int i = 0; i < d; i++) {
                assertEquals(reference[i], s2[i], 1e-8 * (1 + Math.abs(reference[i])), "d = " + d + ", x_" + i);
            }
        }
    }

    @Test
    void aMatrixThatIsNotPositiveDefiniteGivesTheOrderOfItsFirstFailingMinor() {
        int d = 4;
        double[] a = {
            4, 2, 0, 0,
            2, 5, 0, 0,
            0, 0, -1, 0,
            0, 0, 0, 1};
        DoubleBuffer buffer = Blas.allocate(d * d).put(0, a);
        int info = Blas.choleskyUpperUnchecked(d, buffer, Blas.allocateLapackArguments());
        assertEquals(3, info);
        assertTrue(Blas.choleskyUpper(d, Blas.allocate(d * d).put(0, a)) == 3);
    }
}
