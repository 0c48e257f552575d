package io.github.natgrad.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.solve.DenseSpectrum;
import io.github.natgrad.solve.Solvers;
import java.nio.DoubleBuffer;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * The contract of a differentiable {@link Model}, every derivative checked against central differences
 * of the level below it: Jacobian rows against differences of the outputs, the vector-Jacobian product
 * against the Jacobian, the second-order term against differences of Jᵀr with r held fixed, and the
 * exact Hessian curvature against differences of the gradient of the mean loss. Also: the Fisher,
 * Gauss-Newton matrix and empirical Fisher are PSD to rounding at random points. One subclass per model.
 */
abstract class ModelContract {

    /** The model under test. */
    abstract Model model();

    /** A random parameter vector at which to test. */
    double[] theta(RandomGenerator random) {
        double[] t = new double[model().parameterCount()];
        for (int j = 0; j < t.length; j++) {
            t[j] = 0.7 * random.nextGaussian();
        }
        return t;
    }

    /** A small batch with labels valid for the model's likelihood. */
    Batch batch(RandomGenerator random, int n) {
        Model m = model();
        int p = m.inputColumns();
        double[] x = new double[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        double[] f = new double[n * m.likelihood().outputsPerExample()];
        for (int i = 0; i < f.length; i++) {
            f[i] = random.nextGaussian();
        }
        double[] y = new double[n];
        m.likelihood().sample(f, n, random, y);
        return Batch.wrap(x, y, n, p);
    }

    double[] outputs(double[] theta, Batch batch) {
        return model().linearize(theta, batch).outputs().clone();
    }

    /** The dense Jacobian of all outputs, (N·K) × D, from {@link Linearization#jacobianRows} with B = I. */
    static double[] jacobian(Linearization lin) {
        int n = lin.rows();
        int k = lin.outputsPerExample();
        int d = lin.parameterCount();
        double[] identity = new double[n * k * k];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < k; o++) {
                identity[(i * k + o) * k + o] = 1;
            }
        }
        DoubleBuffer rows = Blas.allocate((long) n * k * d);
        lin.jacobianRows(0, n, identity, k, rows);
        double[] j = new double[n * k * d];
        rows.get(0, j, 0, j.length);
        return j;
    }

    @Test
    void jacobianRowsMatchFiniteDifferencesOfTheOutputs() {
        RandomGenerator random = new Well19937c(11);
        Batch batch = batch(random, 5);
        double[] theta = theta(random);
        int d = theta.length;
        int nk = batch.rows() * model().likelihood().outputsPerExample();
        double[] j = jacobian(model().linearize(theta, batch));
        double h = 1e-6;
        for (int p = 0; p < d; p++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[p] += h;
            minus[p] -= h;
            double[] fp = outputs(plus, batch);
            double[] fm = outputs(minus, batch);
            for (int r = 0; r < nk; r++) {
                double fd = (fp[r] - fm[r]) / (2 * h);
                assertEquals(fd, j[r * d + p], 1e-7 * Math.max(1, Math.abs(fd)), "dF_" + r + "/dtheta_" + p);
            }
        }
    }

    @Test
    void jacobianRowsApplyTheFactorsAndTheVectorJacobianProductIsTheTransposedJacobian() {
        RandomGenerator random = new Well19937c(12);
        Batch batch = batch(random, 4);
        double[] theta = theta(random);
        Linearization lin = model().linearize(theta, batch);
        int n = batch.rows();
        int k = lin.outputsPerExample();
        int d = lin.parameterCount();
        double[] j = jacobian(lin);
        // rows of B_iᵀ J_i for random K × 2 factors, examples 1..3 only
        int m = 2;
        double[] b = new double[3 * k * m];
        for (int e = 0; e < b.length; e++) {
            b[e] = random.nextGaussian();
        }
        DoubleBuffer rows = Blas.allocate(3L * m * d);
        lin.jacobianRows(1, 4, b, m, rows);
        for (int i = 1; i < 4; i++) {
            for (int a = 0; a < m; a++) {
                for (int p = 0; p < d; p++) {
                    double s = 0;
                    for (int o = 0; o < k; o++) {
                        s += b[((i - 1) * k + o) * m + a] * j[(i * k + o) * d + p];
                    }
                    assertEquals(s, rows.get(((i - 1) * m + a) * d + p), 1e-12 * Math.max(1, Math.abs(s)));
                }
            }
        }
        double[] u = new double[n * k];
        for (int e = 0; e < u.length; e++) {
            u[e] = random.nextGaussian();
        }
        double[] vjp = new double[d];
        lin.vectorJacobianProduct(u, vjp);
        for (int p = 0; p < d; p++) {
            double s = 0;
            for (int r = 0; r < n * k; r++) {
                s += u[r] * j[r * d + p];
            }
            assertEquals(s, vjp[p], 1e-12 * Math.max(1, Math.abs(s)));
        }
    }

    @Test
    void secondOrderTermMatchesFiniteDifferencesOfTheJacobianTransposedTimesFixedResiduals() {
        RandomGenerator random = new Well19937c(13);
        Batch batch = batch(random, 4);
        double[] theta = theta(random);
        int d = theta.length;
        int nk = batch.rows() * model().likelihood().outputsPerExample();
        double[] r = new double[nk];
        for (int e = 0; e < nk; e++) {
            r[e] = random.nextGaussian();
        }
        double[] c = new double[d * d];
        double scale = 0.5;
        model().linearize(theta, batch).addSecondOrderTerm(r, scale, c);
        double h = 1e-5;
        double[] gp = new double[d];
        double[] gm = new double[d];
        for (int p = 0; p < d; p++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[p] += h;
            minus[p] -= h;
            model().linearize(plus, batch).vectorJacobianProduct(r, gp);
            model().linearize(minus, batch).vectorJacobianProduct(r, gm);
            for (int q = 0; q < d; q++) {
                double fd = scale * (gp[q] - gm[q]) / (2 * h);
                assertEquals(fd, c[q * d + p], 1e-7 * Math.max(1, Math.abs(fd)),
                        "second-order term [" + q + "][" + p + "]");
            }
        }
    }

    /** The mean loss and its gradient at θ. */
    double meanLoss(double[] theta, Batch batch, double[] gradient) {
        Likelihood lik = model().likelihood();
        int n = batch.rows();
        Linearization lin = model().linearize(theta, batch);
        double[] r = new double[n * lik.outputsPerExample()];
        double loss = lik.lossAndResidual(lin.outputs(), batch.y(), n, r) / n;
        if (gradient != null) {
            lin.vectorJacobianProduct(r, gradient);
            for (int p = 0; p < gradient.length; p++) {
                gradient[p] /= n;
            }
        }
        return loss;
    }

    static double[] curvature(Model model, String kind, double[] theta, Batch batch) {
        Likelihood lik = model.likelihood();
        int n = batch.rows();
        Linearization lin = model.linearize(theta, batch);
        double[] r = new double[n * lik.outputsPerExample()];
        lik.lossAndResidual(lin.outputs(), batch.y(), n, r);
        return Curvatures.byName(kind, 3, 7).build(lin, batch, lik, r, 0.0, Solvers.cholesky()).toDense();
    }

    @Test
    void hessianCurvatureMatchesFiniteDifferencesOfTheGradient() {
        RandomGenerator random = new Well19937c(14);
        Batch batch = batch(random, 6);
        double[] theta = theta(random);
        int d = theta.length;
        double[] hess = curvature(model(), "hessian", theta, batch);
        double h = 1e-5;
        double[] gp = new double[d];
        double[] gm = new double[d];
        double[] g = new double[d];
        double loss = meanLoss(theta, batch, g);
        for (int p = 0; p < d; p++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[p] += h;
            minus[p] -= h;
            // the gradient itself against differences of the loss
            double fdLoss = (meanLoss(plus, batch, gp) - meanLoss(minus, batch, gm)) / (2 * h);
            assertEquals(fdLoss, g[p], 1e-7 * Math.max(1, Math.abs(fdLoss)), "gradient " + p + " (loss " + loss + ")");
            for (int q = 0; q < d; q++) {
                double fd = (gp[q] - gm[q]) / (2 * h);
                assertEquals(fd, hess[q * d + p], 1e-6 * Math.max(1, Math.abs(fd)), "Hessian [" + q + "][" + p + "]");
            }
        }
    }

    @Test
    void fisherGaussNewtonAndEmpiricalFisherArePositiveSemiDefinite() {
        RandomGenerator random = new Well19937c(15);
        for (int trial = 0; trial < 3; trial++) {
            Batch batch = batch(random, 7);
            double[] theta = theta(random);
            int d = theta.length;
            for (String kind : new String[] {"fisher", "gauss-newton", "empirical-fisher", "mc-fisher"}) {
                double[] c = curvature(model(), kind, theta, batch);
                double[] w = DenseSpectrum.of(c, d).eigenvalues();
                double scale = Math.max(Math.abs(w[0]), Math.abs(w[d - 1]));
                assertTrue(w[0] >= -1e-13 * scale, kind + " has eigenvalue " + w[0] + " (largest " + w[d - 1] + ")");
            }
        }
    }
}
