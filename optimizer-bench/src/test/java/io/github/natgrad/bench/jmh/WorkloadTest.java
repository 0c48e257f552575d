package io.github.natgrad.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** The solver benchmarks' random curvature: GᵀG / 2D of 2D Gaussian rows, against Commons Math. */
class WorkloadTest {

    @Test
    void gaussianGramIsTheGramMatrixOfTheSeededRows() {
        int d = 7;
        double[] c = Workload.gaussianGram(d, new Random(3));
        Random replay = new Random(3);
        double[][] g = new double[2 * d][d];
        for (double[] row : g) {
            for (int j = 0; j < d; j++) {
                row[j] = replay.nextGaussian();
            }
        }
        RealMatrix rows = new Array2DRowRealMatrix(g);
        RealMatrix expected = rows.transpose().multiply(rows).scalarMultiply(1.0 / (2 * d));
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                assertEquals(expected.getEntry(i, j), c[i * d + j], 1e-12, "C[" + i + "][" + j + "]");
                assertEquals(c[j * d + i], c[i * d + j], 0.0, "symmetric");
            }
        }
        for (double lambda : new EigenDecomposition(expected).getRealEigenvalues()) {
            assertTrue(lambda > 0, "2D rows: positive definite almost surely, eigenvalue " + lambda);
        }
    }
}
