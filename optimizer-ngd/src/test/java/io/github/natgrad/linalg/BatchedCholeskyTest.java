package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        // the lane kernel takes two columns at a time: a failing pivot in the first or the second of a pair, in
        // one lane while the others factorise
        for (int d : new int[] {9, 124}) {
            BatchedCholesky batched = new BatchedCholesky(d);
            int lanes = batched.lanes();
            int[] failing = {6, 7, d - 1};
            for (int f : failing) {
                double[] good = diagonallyDominant(d, -1);
                double[] bad = diagonallyDominant(d, f);
                for (int lane = 0; lane < lanes; lane++) {
                    batched.load(lane, lane == lanes - 1 ? bad : good, 0, 1.0, 0.0, 0.0);
                }
                batched.factor(lanes);
                String what = "d " + d + ", failing column " + f;
                assertEquals(SmallCholesky.factor(d, dense(bad, d, 1.0, 0.0, 0.0)), batched.info(lanes - 1), what);
                assertEquals(f + 1, batched.info(lanes - 1), what);
                for (int lane = 0; lane < lanes - 1; lane++) {
                    assertEquals(0, batched.info(lane), what + ", lane " + lane);
                }
            }
        }
    }

    /** Packed upper triangle: 2 on the diagonal, 0.1 off it, and −3 at diagonal entry {@code negative} (if ≥ 0). */
    private static double[] diagonallyDominant(int d, int negative) {
        double[] packed = new double[d * (d + 1) / 2];
        int p = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                packed[p++] = a == b ? (a == negative ? -3.0 : 2.0 + 0.1 * d) : 0.1;
            }
        }
        return packed;
    }

    @Test
    void aKeptFactorSolvesAsTheFactorisationDid() {
        Random random = new Random(5);
        int d = 40;
        BatchedCholesky batched = new BatchedCholesky(d);
        int lanes = batched.lanes();
        double[][] packed = new double[lanes][];
        double[][] rhs = new double[lanes][d];
        for (int lane = 0; lane < lanes; lane++) {
            packed[lane] = packedPsd(d, d + 3, random);
            for (int i = 0; i < d; i++) {
                rhs[lane][i] = random.nextGaussian();
            }
            batched.load(lane, packed[lane], 0, 0.5, 0.0, 1e-3);
            batched.setRightHandSide(lane, rhs[lane], 0);
        }
        batched.factor(lanes);
        batched.solve(lanes);
        double[][] factors = new double[lanes][d * (d + 1) / 2];
        double[][] solutions = new double[lanes][d];
        for (int lane = 0; lane < lanes; lane++) {
            batched.factorOf(lane, factors[lane]);
            batched.solution(lane, solutions[lane], 0);
        }
        // the factors come back in another order of lanes, and solve without a factorisation
        for (int lane = 0; lane < lanes; lane++) {
            int from = lanes - 1 - lane;
            batched.loadFactor(lane, factors[from]);
            batched.setRightHandSide(lane, rhs[from], 0);
        }
        batched.solve(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            double[] got = new double[d];
            batched.solution(lane, got, 0);
            assertArrayEquals(solutions[lanes - 1 - lane], got, 0.0, "lane " + lane);
        }
        // and the kept factor is L, lower triangle packed by rows: L Lᵀ = 0.5 C + 1e-3 I
        double[] c = dense(packed[0], d, 0.5, 0.0, 1e-3);
        double[] l = factors[0];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k <= j; k++) {
                    s += l[i * (i + 1) / 2 + k] * l[j * (j + 1) / 2 + k];
                }
                assertEquals(c[i * d + j], s, 1e-12 * Math.abs(c[i * d + i]), "(L Lᵀ)[" + i + ", " + j + "]");
            }
        }
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
