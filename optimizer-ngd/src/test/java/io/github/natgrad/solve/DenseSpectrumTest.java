package io.github.natgrad.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/** A spectral function applied through the eigen-decomposition, against Commons Math on an indefinite matrix. */
class DenseSpectrumTest {

    @Test
    void applyGivesTheNewtonDirectionOfAnIndefiniteMatrixAsAnLuSolveDoes() {
        int d = 7;
        Well19937c random = new Well19937c(3);
        RealMatrix a = new Array2DRowRealMatrix(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a.setEntry(i, j, random.nextGaussian());
            }
        }
        RealMatrix c = a.add(a.transpose()); // symmetric, indefinite
        double lambda = 0.3;
        double[] b = new double[d];
        for (int i = 0; i < d; i++) {
            b[i] = random.nextGaussian();
        }
        double[] dense = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                dense[i * d + j] = c.getEntry(i, j);
            }
        }
        DenseSpectrum spectrum = DenseSpectrum.of(dense, d);
        double[] x = new double[d];
        spectrum.apply(w -> 1.0 / (w + lambda), b, x);
        double[] expected = new LUDecomposition(c.add(MatrixUtils.createRealIdentityMatrix(d).scalarMultiply(lambda)))
                .getSolver().solve(MatrixUtils.createRealVector(b)).toArray();
        assertArrayEquals(expected, x, 1e-11);
        // in place, and the identity function gives C b
        double[] y = b.clone();
        spectrum.apply(w -> w, y, y);
        assertArrayEquals(c.operate(b), y, 1e-12);
    }
}
