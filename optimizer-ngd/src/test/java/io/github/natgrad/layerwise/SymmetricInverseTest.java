package io.github.natgrad.layerwise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** K-FAC factor inverses, both methods, pass their probe residual check and equal Commons Math's inverse. */
class SymmetricInverseTest {
    @Test
    void bothMethodsGiveTheInverseOfTheShiftedFactor() {
        for (int n : new int[] {5, 41, 90}) {
            Random r = new Random(n);
            int samples = n / 2 + 1; // rank-deficient S: the shift makes it positive definite
            double[] s = new double[n * n];
            for (int k = 0; k < samples; k++) {
                double[] a = new double[n];
                for (int j = 0; j < n; j++) {
                    a[j] = Math.max(0, r.nextGaussian());
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        s[i * n + j] += a[i] * a[j] / samples;
                    }
                }
            }
            double[][] shifted = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    shifted[i][j] = s[i * n + j] + (i == j ? 0.57 : 0);
                }
            }
            RealMatrix expected = new LUDecomposition(new Array2DRowRealMatrix(shifted)).getSolver().getInverse();
            for (InverseMethod method : InverseMethod.values()) {
                double[] x = SymmetricInverse.of(s, n, 0.57, method, "K-FAC input factor A");
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(expected.getEntry(i, j), x[i * n + j], 1e-10, method + " n = " + n);
                    }
                }
            }
        }
    }
}
