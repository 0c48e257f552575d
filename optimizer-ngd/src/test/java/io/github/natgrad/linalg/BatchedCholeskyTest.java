package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.DoubleBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batched factorisation against {@link SmallCholesky} run on each system alone: the same bits for every
 * lane (whatever the group's other systems, including one that is not positive definite), the same failing
 * minor, and the loading arithmetic of the dense path (unpack scale · C + shift · I, then + λ I).
 */
class BatchedCholeskyTest {

    /** A packed upper triangle (rows) of a random PSD matrix G Gᵀ of rank m. */
    private static double[] packedPsd(int d, int m, Random random) {
        double[] g = new double[d * m];
        for (int i = 0; i < g.length; i++) {
            g[i] = random.nextGaussian() * (1 + i % 5);
        }
        double[] packed = new double[d * (d + 1) / 2];
        int p = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s += g[a * m + k] * g[b * m + k];
                }
                packed[p++] = s;
            }
        }
        return packed;
    }

    /** The dense path's matrix: unpack (packed · scale, + shift on the diagonal), then the solver's + λ. */
    private static double[] dense(double[] packed, int d, double scale, double shift, double lambda) {
        double[] c = new double[d * d];
        int p = 0;
        for (int a = 0; a < d; a++) {
            c[a * d + a] = packed[p++] * scale + shift;
            for (int b = a + 1; b < d; b++) {
                double v = packed[p++] * scale;
                c[a * d + b] = v;
                c[b * d + a] = v;
            }
        }
        if (lambda != 0) {
            for (int i = 0; i < d; i++) {
                c[i * d + i] += lambda;
            }
        }
        return c;
    }

    @Test
    void everyLaneGetsTheBitsOfSmallCholeskyAlone() {
        Random random = new Random(11);
        for (int d : new int[] {1, 2, 3, 5, 8, 14, 31, SmallCholesky.MAX_DIMENSION}) {
            BatchedCholesky batched = new BatchedCholesky(d);
            int lanes = batched.lanes();
            for (int count = 1; count <= lanes; count++) {
                double[][] packed = new double[count][];
                double[][] rhs = new double[count][d];
                double[] lambdas = new double[count];
                int bad = count > 1 ? random.nextInt(count) : -1;
                for (int lane = 0; lane < count; lane++) {
                    // rank-deficient C (m < d): λ decides whether C + λI is positive definite
                    packed[lane] = packedPsd(d, Math.max(1, d / 2), random);
                    lambdas[lane] = lane == bad ? -1e6 : Math.pow(10, -8 + 4 * random.nextDouble());
                    for (int i = 0; i < d; i++) {
                        rhs[lane][i] = random.nextGaussian();
                    }
                    DoubleBuffer buffer = Blas.allocate(3 + packed[lane].length);
                    buffer.put(3, packed[lane]);
                    if (lane % 2 == 0) {
                        batched.load(lane, buffer, 3, 1.0 / 7, 0.25, lambdas[lane]);
                    } else {
                        batched.load(lane, packed[lane], 0, 1.0 / 7, 0.25, lambdas[lane]);
                    }
                    batched.setRightHandSide(lane, rhs[lane], 0);
                }
                batched.factor(count);
                batched.solve(count);
                for (int lane = 0; lane < count; lane++) {
                    double[] l = dense(packed[lane], d, 1.0 / 7, 0.25, lambdas[lane]);
                    int info = SmallCholesky.factor(d, l);
                    String what = "d " + d + ", lane " + lane + " of " + count;
                    assertEquals(info, batched.info(lane), what);
                    if (lane == bad) {
                        assertEquals(1, info, what + ": a negative diagonal fails the first minor");
                        continue;
                    }
                    assertEquals(0, info, what);
                    double[] x = rhs[lane].clone();
                    SmallCholesky.solve(d, l, x);
                    double[] got = new double[d];
                    batched.solution(lane, got, 0);
                    for (int i = 0; i < d; i++) {
                        assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(got[i]),
                                what + ", x[" + i + "] " + x[i] + " vs " + got[i]);
                    }
                }
            }
        }
    }

    @Test
    void aFailureLaterInTheFactorisationIsReportedWithItsMinor() {
        int d = 9;
        BatchedCholesky batched = new BatchedCholesky(d);
        double[] packed = new double[d * (d + 1) / 2];
        int p = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                packed[p++] = a == b ? (a == 6 ? -3.0 : 2.0) : 0.1;
            }
        }
        batched.load(0, packed, 0, 1.0, 0.0, 0.0);
        batched.factor(1);
        assertEquals(SmallCholesky.factor(d, dense(packed, d, 1.0, 0.0, 0.0)), batched.info(0));
        assertEquals(7, batched.info(0));
    }

    @Test
    void badSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BatchedCholesky(0));
        assertThrows(IllegalArgumentException.class, () -> new BatchedCholesky(SmallCholesky.MAX_DIMENSION + 1));
        BatchedCholesky batched = new BatchedCholesky(3);
        assertThrows(IllegalArgumentException.class, () -> batched.factor(batched.lanes() + 1));
        assertThrows(IllegalArgumentException.class, () -> batched.solve(0));
    }
}
