package io.github.natgrad.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.solve.DenseSpectrum;
import io.github.natgrad.solve.Solvers;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lanczos and Hutchinson through curvature products, against the dense spectrum and trace. */
class SpectralEstimatesTest {

    /** The Hessian (indefinite) or another kind of a small tanh network, as operator and dense matrix. */
    static Object[] problem(String kind) {
        Model mlp = MultilayerPerceptron.of(3, Likelihoods.bernoulli()).withHidden(6);
        Random r = new Random(1);
        int n = 40;
        double[] x = new double[n * 3];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = r.nextGaussian();
            }
            y[i] = r.nextInt(2);
        }
        Batch batch = Batch.wrap(x, y, n, 3);
        double[] theta = ((MultilayerPerceptron) mlp).initialParameters(2);
        for (int j = 0; j < theta.length; j++) {
            theta[j] *= 2;
        }
        Linearization lin = mlp.linearize(theta, batch);
        double[] res = new double[n];
        mlp.likelihood().lossAndResidual(lin.outputs(), y, n, res);
        CurvatureOperator op = Curvatures.byName(kind, 1, 0).operator(lin, batch, mlp.likelihood(), res, 0.0);
        double[] c = Curvatures.byName(kind, 1, 0).build(lin, batch, mlp.likelihood(), res, 0.0, Solvers.cholesky())
                .toDense();
        return new Object[] {op, c, mlp.parameterCount()};
    }

    @Test
    void lanczosWithDStepsGivesTheExtremeEigenvalues() {
        for (String kind : new String[] {"hessian", "fisher", "gauss-newton"}) {
            Object[] p = problem(kind);
            int d = (int) p[2];
            DenseSpectrum dense = DenseSpectrum.of((double[]) p[1], d);
            double[] ritz = Lanczos.ritzValues((CurvatureOperator) p[0], d, 3);
            double scale = Math.max(Math.abs(dense.min()), Math.abs(dense.max()));
            assertEquals(dense.max(), ritz[ritz.length - 1], 1e-10 * scale, kind);
            assertEquals(dense.min(), ritz[0], 1e-10 * scale, kind);
        }
        // a few steps already give λ_max closely (the extreme Ritz values converge first)
        Object[] p = problem("fisher");
        DenseSpectrum dense = DenseSpectrum.of((double[]) p[1], (int) p[2]);
        double[] ritz = Lanczos.ritzValues((CurvatureOperator) p[0], 15, 3);
        assertEquals(dense.max(), ritz[ritz.length - 1], 1e-6 * dense.max());
        assertTrue(ritz[ritz.length - 1] <= dense.max() * (1 + 1e-12), "Ritz values lie inside the spectrum");
    }

    @Test
    void hutchinsonEstimatesTheTraceWithinItsStandardError() {
        Object[] p = problem("gauss-newton");
        int d = (int) p[2];
        double[] c = (double[]) p[1];
        double trace = 0;
        for (int j = 0; j < d; j++) {
            trace += c[j * d + j];
        }
        Hutchinson h = Hutchinson.estimate((CurvatureOperator) p[0], 400, 5);
        assertTrue(Math.abs(h.trace() - trace) <= 4 * h.standardError(), h + " vs " + trace);
        assertTrue(h.standardError() < 0.1 * trace, h.toString());
    }

    @Test
    void hutchinsonIsExactForADiagonalOperator() {
        Object[] p = problem("identity");
        Hutchinson h = Hutchinson.estimate((CurvatureOperator) p[0], 3, 1);
        assertEquals((int) p[2], h.trace(), 1e-12);
        assertEquals(0.0, h.standardError(), 1e-12);
    }
}
