package io.github.natgrad.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.natgrad.Likelihood;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.api.Test;

/** The Gaussian likelihood of known variance through the shared contract, with Gauss-Hermite expectations. */
class GaussianLikelihoodTest extends LikelihoodContract {
    private static final double VARIANCE = 2.5;
    private static final GaussIntegrator HERMITE = new GaussIntegratorFactory().hermite(6);

    @Override
    Likelihood likelihood() {
        return Likelihoods.gaussian(VARIANCE);
    }

    @Override
    double[] support() {
        return null;
    }

    /** y = f + √2 σ t_k with weights w_k/√π: exact for polynomials in y up to degree 11. */
    @Override
    double[][] labels(double[] f) {
        int m = HERMITE.getNumberOfPoints();
        double[][] out = new double[2][m];
        for (int k = 0; k < m; k++) {
            out[0][k] = f[0] + Math.sqrt(2 * VARIANCE) * HERMITE.getPoint(k);
            out[1][k] = HERMITE.getWeight(k) / Math.sqrt(Math.PI);
        }
        return out;
    }

    @Test
    void lossResidualAndCurvatureAreTheClosedForms() {
        double[] f = {0.3, -2.0, 7.5};
        double[] y = {1.3, -2.0, 0.5};
        double[] r = new double[3];
        double loss = likelihood().lossAndResidual(f, y, 3, r);
        assertEquals((1.0 + 0.0 + 49.0) / (2 * VARIANCE), loss, 1e-14);
        assertEquals(-1.0 / VARIANCE, r[0], 1e-15);
        assertEquals(0.0, r[1], 0.0);
        assertEquals(7.0 / VARIANCE, r[2], 1e-15);
        double[] b = new double[3];
        likelihood().fisherFactor(f, 3, b);
        for (double v : b) {
            assertEquals(1.0 / VARIANCE, v * v, 1e-15);
        }
    }
}
