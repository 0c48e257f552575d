package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Factorization;
import io.github.natgrad.solve.Solvers;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.junit.jupiter.api.Test;

/**
 * The residual check of every dense solve ({@link SolveCheck}) and the confirmation of a Cholesky failure
 * ({@link CholeskyFailure}): a backward-stable solve passes however ill-conditioned the matrix, a slightly
 * wrong one is repaired by one refinement, a wrong one is caught loudly; a LAPACK failure on a positive
 * definite matrix is blamed on the kernel, a real one is not.
 */
class SolveCheckTest {

    /** A symmetric positive definite d × d matrix with eigenvalues from 1 down to 1/condition (geometric). */
    static double[] spd(int d, double condition, long seed) {
        Random r = new Random(seed);
        double[] q = new double[d * d];
        for (int i = 0; i < d * d; i++) {
            q[i] = r.nextGaussian();
        }
        // Gram-Schmidt on the columns: an orthogonal Q
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < j; k++) {
                double p = 0;
                for (int i = 0; i < d; i++) {
                    p += q[i * d + j] * q[i * d + k];
                }
                for (int i = 0; i < d; i++) {
                    q[i * d + j] -= p * q[i * d + k];
                }
            }
            double n = 0;
            for (int i = 0; i < d; i++) {
                n += q[i * d + j] * q[i * d + j];
            }
            n = Math.sqrt(n);
            for (int i = 0; i < d; i++) {
                q[i * d + j] /= n;
            }
        }
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += q[i * d + k] * q[j * d + k] * Math.pow(condition, -(double) k / (d - 1));
                }
                m[i * d + j] = s;
                m[j * d + i] = s;
            }
        }
        return m;
    }

    private static double[] gaussian(int d, long seed) {
        Random r = new Random(seed);
        double[] g = new double[d];
        for (int i = 0; i < d; i++) {
            g[i] = r.nextGaussian();
        }
        return g;
    }

    /** ‖Ax − b‖ / (‖A‖_F ‖x‖ + ‖b‖), computed in plain Java. */
    private static double backwardError(double[] a, int d, double[] x, double[] b) {
        double r = 0;
        double f = 0;
        double xn = 0;
        double bn = 0;
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += a[i * d + j] * x[j];
                f += a[i * d + j] * a[i * d + j];
            }
            r += (s - b[i]) * (s - b[i]);
            xn += x[i] * x[i];
            bn += b[i] * b[i];
        }
        return Math.sqrt(r) / (Math.sqrt(f) * Math.sqrt(xn) + Math.sqrt(bn));
    }

    @Test
    void aBackwardStableSolvePassesHoweverIllConditioned() {
        // d = 20 takes natgrad's Java Cholesky, d = 80 LAPACK's; condition numbers up to 1e13
        for (int d : new int[] {20, 80}) {
            for (double condition : new double[] {1e2, 1e8, 1e13}) {
                double[] c = spd(d, condition, d);
                double[] g = gaussian(d, 7);
                for (var solver : new io.github.natgrad.Solver[] {Solvers.cholesky(), Solvers.eigen()}) {
                    Factorization f = solver.factor(c, d, 0.0).orElseThrow();
                    double[] x = new double[d];
                    assertDoesNotThrow(() -> f.solve(g, x), solver + " d = " + d + " condition " + condition);
                    assertTrue(backwardError(c, d, x, g) < 1e-14, solver + " d = " + d + " cond " + condition);
                    double[] same = g.clone();
                    f.solve(same, same); // x may be b
                    assertEquals(0, maxDifference(x, same), 1e-300, "in place");
                }
            }
        }
    }

    private static double maxDifference(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void aSlightlyWrongSolveIsRepairedByOneRefinement() {
        int d = 40;
        double[] a = spd(d, 1e3, 3);
        CholeskyDecomposition exact = new CholeskyDecomposition(new Array2DRowRealMatrix(to2d(a, d)));
        double[] b = gaussian(d, 4);
        double[] truth = exact.getSolver().solve(new ArrayRealVector(b)).toArray();
        // a solve whose answer is off by 1e-7 relative: far above rounding, fixed by x += A⁻¹r
        SolveCheck.Solve sloppy = (rhs, x) -> {
            double[] s = exact.getSolver().solve(new ArrayRealVector(rhs)).toArray();
            for (int i = 0; i < d; i++) {
                x[i] = s[i] * (1 + 1e-7 * ((i % 3) - 1));
            }
        };
        double[] x = new double[d];
        sloppy.solve(b, x);
        SolveCheck.refine("test solve", d, trace(a, d), (v, out) -> multiply(a, d, v, out), sloppy, b, x);
        for (int i = 0; i < d; i++) {
            assertEquals(truth[i], x[i], 1e-9 * Math.abs(truth[i]) + 1e-12);
        }
    }

    @Test
    void aWrongSolveIsCaughtLoudly() {
        int d = 40;
        double[] a = spd(d, 1e3, 5);
        CholeskyDecomposition exact = new CholeskyDecomposition(new Array2DRowRealMatrix(to2d(a, d)));
        // 0.9 A⁻¹: refinement only gets the residual to 1 %
        SolveCheck.Solve wrong = (rhs, x) -> {
            double[] s = exact.getSolver().solve(new ArrayRealVector(rhs)).toArray();
            for (int i = 0; i < d; i++) {
                x[i] = 0.9 * s[i];
            }
        };
        double[] b = gaussian(d, 6);
        double[] x = new double[d];
        wrong.solve(b, x);
        BlasKernelException e = assertThrows(BlasKernelException.class, () -> SolveCheck.refine(
                "Cholesky solve (LAPACK dpotrf/dpotrs)", d, trace(a, d), (v, out) -> multiply(a, d, v, out), wrong, b, x));
        assertEquals("Cholesky solve (LAPACK dpotrf/dpotrs)", e.routine());
        assertTrue(e.getMessage().contains(Blas.describe()), e.getMessage());
        assertTrue(e.getMessage().contains("OPENBLAS_CORETYPE=Haswell"), e.getMessage());
        assertTrue(e.getMessage().contains("after a step of iterative refinement"), e.getMessage());
        // a solve that returns NaN is wrong too
        assertThrows(BlasKernelException.class, () -> SolveCheck.refine("nan solve", d, trace(a, d),
                (v, out) -> multiply(a, d, v, out), (rhs, y) -> java.util.Arrays.fill(y, Double.NaN), b,
                new double[d]));
    }

    @Test
    void aNonFiniteRightHandSideIsNotBlamedOnTheKernel() {
        int d = 5;
        double[] a = spd(d, 10, 8);
        double[] b = gaussian(d, 9);
        b[2] = Double.NaN;
        double[] x = new double[d];
        java.util.Arrays.fill(x, Double.NaN);
        assertDoesNotThrow(() -> SolveCheck.refine("test", d, trace(a, d), (v, out) -> multiply(a, d, v, out),
                (rhs, y) -> java.util.Arrays.fill(y, Double.NaN), b, x));
    }

    @Test
    void theProductsWithTheUntouchedTriangleAreTheMatrixProduct() {
        int d = 7;
        double[] a = spd(d, 10, 10);
        double[] diagonal = new double[d];
        double[] lowerOnly = a.clone();
        double[] upperOnly = a.clone();
        for (int i = 0; i < d; i++) {
            diagonal[i] = a[i * d + i];
            for (int j = 0; j < d; j++) {
                if (j >= i) {
                    lowerOnly[i * d + j] = 999; // must not be read
                }
                if (j <= i) {
                    upperOnly[i * d + j] = 999;
                }
            }
        }
        double[] x = gaussian(d, 11);
        double[] expected = new double[d];
        multiply(a, d, x, expected);
        double[] out = new double[d];
        SolveCheck.multiplyStrictLower(d, lowerOnly, diagonal, x, out);
        assertEquals(0, maxDifference(expected, out), 1e-14);
        SolveCheck.multiplyStrictUpper(d, upperOnly, diagonal, x, out);
        assertEquals(0, maxDifference(expected, out), 1e-14);
    }

    @Test
    void aCholeskyFailureOnAPositiveDefiniteMatrixBlamesTheKernel() {
        // a K-FAC input factor: the second moment of activations with a bias column of ones, + 0.57 I
        int n = 50;
        int p = 41;
        Random r = new Random(12);
        double[] a = new double[p * p];
        for (int s = 0; s < n; s++) {
            double[] act = new double[p];
            for (int j = 0; j < p - 1; j++) {
                act[j] = Math.max(0, r.nextGaussian());
            }
            act[p - 1] = 1;
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    a[i * p + j] += act[i] * act[j] / n;
                }
            }
        }
        // what OpenBLAS 0.3.19's SkylakeX dpotrf said of such a matrix: info 9
        BlasKernelException e = assertThrows(BlasKernelException.class,
                () -> CholeskyFailure.confirm(p, a, 0.57, 9, "the K-FAC input factor A + 0.57 I"));
        assertEquals("dpotrf", e.routine());
        assertTrue(e.getMessage().contains("the matrix is positive definite and the kernel is wrong"), e.getMessage());
        assertFalse(e.getMessage().contains("not positive definite:"), e.getMessage());
        // the real factorisation of it succeeds
        double[] copy = a.clone();
        for (int i = 0; i < p; i++) {
            copy[i * p + i] += 0.57;
        }
        assertEquals(0, Blas.choleskyUpper(p, copy));
    }

    @Test
    void aRealCholeskyFailureIsConfirmedQuietly() {
        // indefinite: eigenvalues of diag(2, 1, -1, 3, ...) rotated
        int d = 60;
        double[] c = spd(d, 10, 13);
        c[5 * d + 5] -= 3; // one direction with negative curvature
        double[] u = c.clone();
        int info = Blas.choleskyUpper(d, u);
        assertTrue(info > 0);
        assertDoesNotThrow(() -> CholeskyFailure.confirm(d, c, 0.0, info, "C"));
        // singular at rounding level (a rank-deficient Gram matrix, no damping): not the kernel's fault
        double[] singular = new double[d * d];
        double[] v = gaussian(d, 14);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                singular[i * d + j] = v[i] * v[j];
            }
        }
        assertDoesNotThrow(() -> CholeskyFailure.confirm(d, singular, 0.0, d, "vv'"));
        assertEquals("[1][2] = NaN", CholeskyFailure.nonFiniteEntry(3, new double[] {1, 0, 0, 0, 1, Double.NaN, 0, 0, 1}));
    }

    private static double trace(double[] a, int d) {
        double t = 0;
        for (int i = 0; i < d; i++) {
            t += a[i * d + i];
        }
        return t;
    }

    private static void multiply(double[] a, int d, double[] x, double[] out) {
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += a[i * d + j] * x[j];
            }
            out[i] = s;
        }
    }

    private static double[][] to2d(double[] a, int d) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(a, i * d, m[i], 0, d);
        }
        return m;
    }
}
