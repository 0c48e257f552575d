package io.github.natgrad.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Factorization;
import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Solver} meets, checked against Apache Commons Math; one subclass per
 * implementation (EJML style).
 */
abstract class SolverContractTest {

    abstract Solver solver();

    static double[] rowMajor(RealMatrix m) {
        int d = m.getRowDimension();
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a[i * d + j] = m.getEntry(i, j);
            }
        }
        return a;
    }

    /** A random symmetric matrix with the given eigenvalues. */
    static RealMatrix withEigenvalues(double[] w, long seed) {
        int d = w.length;
        Random r = new Random(seed);
        RealMatrix a = new Array2DRowRealMatrix(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a.setEntry(i, j, r.nextGaussian());
            }
        }
        RealMatrix q = new org.apache.commons.math3.linear.QRDecomposition(a).getQ();
        RealMatrix m = q.multiply(MatrixUtils.createRealDiagonalMatrix(w)).multiply(q.transpose());
        return m.add(m.transpose()).scalarMultiply(0.5);
    }

    @Test
    void solvesDampedSystemsLikeCommonsMath() {
        double[] w = {0.01, 0.1, 0.5, 1, 2, 3, 10, 40};
        RealMatrix c = withEigenvalues(w, 1);
        double[] b = {1, -2, 0.5, 3, -1, 0.25, 2, -0.75};
        for (double lambda : new double[] {0, 1e-3, 1}) {
            Factorization f = solver().factor(rowMajor(c), 8, lambda).orElseThrow();
            double[] x = new double[8];
            f.solve(b, x);
            RealMatrix damped = c.add(MatrixUtils.createRealIdentityMatrix(8).scalarMultiply(lambda));
            double[] expected = new LUDecomposition(damped).getSolver().solve(new ArrayRealVector(b)).toArray();
            assertArrayEquals(expected, x, 1e-11 * Arrays.stream(expected).map(Math::abs).max().orElseThrow());
        }
    }

    @Test
    void solveInPlaceLeavesTheSameAnswer() {
        RealMatrix c = withEigenvalues(new double[] {1, 2, 3}, 2);
        Factorization f = solver().factor(rowMajor(c), 3, 0.0).orElseThrow();
        double[] b = {1, 2, 3};
        double[] x = new double[3];
        f.solve(b, x);
        double[] inPlace = b.clone();
        f.solve(inPlace, inPlace);
        assertArrayEquals(x, inPlace, 1e-15);
        assertArrayEquals(new double[] {1, 2, 3}, b, 0.0);
    }

    @Test
    void refusesIndefiniteMatrices() {
        RealMatrix c = withEigenvalues(new double[] {-0.5, 1, 2, 3}, 3);
        double[] a = rowMajor(c);
        Optional<Factorization> f = solver().factor(a, 4, 0.0);
        assertTrue(f.isEmpty());
        assertTrue(solver().factor(a, 4, 0.6).isPresent(), "a shift past -lambda_min makes it definite");
        assertArrayEquals(rowMajor(c), a, 0.0, "the input is not modified");
    }

    @Test
    void spectrumMatchesCommonsMath() {
        double[] w = {-2, -0.1, 0.3, 1, 5};
        RealMatrix c = withEigenvalues(w, 4);
        Spectrum s = solver().decompose(rowMajor(c), 5);
        double[] expected = new EigenDecomposition(c).getRealEigenvalues();
        Arrays.sort(expected);
        assertArrayEquals(expected, s.eigenvalues(), 1e-13);
        assertEquals(-2, s.min(), 1e-13);
        assertEquals(5, s.max(), 1e-13);
        // the saddle-free inverse V diag(1/(|w| + 1)) Vᵀ b
        double[] b = {1, 0, -1, 2, 0.5};
        double[] x = new double[5];
        s.inverse(v -> Math.abs(v) + 1).solve(b, x);
        EigenDecomposition e = new EigenDecomposition(c);
        double[] absW = Arrays.stream(e.getRealEigenvalues()).map(v -> 1 / (Math.abs(v) + 1)).toArray();
        RealMatrix inv = e.getV().multiply(MatrixUtils.createRealDiagonalMatrix(absW)).multiply(e.getVT());
        assertArrayEquals(inv.operate(b), x, 1e-13);
    }
}
