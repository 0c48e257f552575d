package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import java.util.Random;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;

/** Every curvature kind of the two GLMs against an independent reference. */
class CurvatureReferenceTest {
    private static final SyntheticGlm LOGISTIC = SyntheticGlm.logistic(300, 6, 5.0, 11);
    private static final SyntheticGlm LINEAR = SyntheticGlm.linear(250, 5, 5.0, 12);
    private static final GeneralizedLinearModel LOGIT = GeneralizedLinearModel.logisticRegression(6).withBias();
    private static final GeneralizedLinearModel GAUSS = GeneralizedLinearModel.linearRegression(5).withBias()
            .withLikelihood(Likelihoods.gaussian(2.5));

    private static double[] randomTheta(int d, long seed, double scale) {
        Random r = new Random(seed);
        double[] t = new double[d];
        for (int i = 0; i < d; i++) {
            t[i] = scale * r.nextGaussian();
        }
        return t;
    }

    @Test
    void linearRegressionFisherIsXtXOverSigmaSquaredN() {
        double[] theta = randomTheta(6, 1, 1.0);
        RealMatrix x = Reference.design(LINEAR.batch(), true);
        RealMatrix expected = x.transpose().multiply(x).scalarMultiply(1.0 / (2.5 * 250));
        for (Curvature kind : new Curvature[] {Curvatures.fisher(), Curvatures.gaussNewton(), Curvatures.hessian()}) {
            RealMatrix c = Reference.curvature(kind, GAUSS, theta, LINEAR.batch(), null);
            assertTrue(Reference.relativeDistance(c, expected) < 1e-13, kind.name());
        }
    }

    @Test
    void logisticFisherIsXtDiagSOneMinusSXOverN() {
        double[] theta = randomTheta(7, 2, 0.7);
        RealMatrix x = Reference.design(LOGISTIC.batch(), true);
        RealVector f = x.operate(Reference.vector(theta));
        double[] w = new double[300];
        for (int i = 0; i < 300; i++) {
            double s = Reference.sigmoid(f.getEntry(i));
            w[i] = s * (1 - s);
        }
        RealMatrix expected = Reference.weightedGram(x, w);
        for (Curvature kind : new Curvature[] {Curvatures.fisher(), Curvatures.gaussNewton(), Curvatures.hessian()}) {
            RealMatrix c = Reference.curvature(kind, LOGIT, theta, LOGISTIC.batch(), null);
            assertTrue(Reference.relativeDistance(c, expected) < 1e-13, kind.name());
        }
    }

    @Test
    void empiricalFisherIsMeanOuterProductOfPerExampleGradients() {
        double[] theta = randomTheta(7, 3, 0.5);
        RealMatrix x = Reference.design(LOGISTIC.batch(), true);
        double[] y = LOGISTIC.batch().y();
        RealMatrix expected = new org.apache.commons.math3.linear.Array2DRowRealMatrix(7, 7);
        for (int i = 0; i < 300; i++) {
            RealVector xi = x.getRowVector(i);
            RealVector gi = xi.mapMultiply(Reference.sigmoid(xi.dotProduct(Reference.vector(theta))) - y[i]);
            expected = expected.add(gi.outerProduct(gi));
        }
        expected = expected.scalarMultiply(1.0 / 300);
        RealMatrix c = Reference.curvature(Curvatures.empiricalFisher(), LOGIT, theta, LOGISTIC.batch(), null);
        assertTrue(Reference.relativeDistance(c, expected) < 1e-13);
    }

    @Test
    void hessianMatchesFiniteDifferencesOfTheGradient() {
        L2Prior prior = new L2Prior(0.5, 0);
        double[] theta = randomTheta(7, 4, 0.8);
        RealMatrix fd = Reference.finiteDifferenceHessian(LOGIT, theta, LOGISTIC.batch(), prior, 1e-5);
        RealMatrix h = Reference.curvature(Curvatures.hessian(), LOGIT, theta, LOGISTIC.batch(), prior);
        // central differences: truncation O(h²·‖∇³L‖) ≈ 1e-10, rounding O(ε/h) ≈ 1e-11
        assertTrue(Reference.relativeDistance(h, fd) < 1e-7, "relative distance " + Reference.relativeDistance(h, fd));

        double[] t2 = randomTheta(6, 5, 1.0);
        RealMatrix fd2 = Reference.finiteDifferenceHessian(GAUSS, t2, LINEAR.batch(), prior, 1e-4);
        RealMatrix h2 = Reference.curvature(Curvatures.hessian(), GAUSS, t2, LINEAR.batch(), prior);
        assertTrue(Reference.relativeDistance(h2, fd2) < 1e-8);
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheLoss() {
        double[] theta = randomTheta(7, 6, 0.8);
        L2Prior prior = new L2Prior(2.0, 1000);
        var opt = io.github.natgrad.optim.NaturalGradient.gradientDescent(1.0).withPrior(prior).build(LOGIT);
        double[] g = Reference.exactGradient(LOGIT, theta, LOGISTIC.batch(), prior);
        for (int j = 0; j < theta.length; j++) {
            double h = 1e-6;
            double[] p = theta.clone();
            double[] m = theta.clone();
            p[j] += h;
            m[j] -= h;
            double fd = (opt.loss(p, LOGISTIC.batch()) - opt.loss(m, LOGISTIC.batch())) / (2 * h);
            assertEquals(fd, g[j], 1e-8);
        }
    }

    @Test
    void priorAddsIOverSigmaSquaredNToEveryKindButTheIdentity() {
        L2Prior prior = new L2Prior(0.1, 0);
        double[] theta = randomTheta(7, 7, 0.3);
        for (Curvature kind : new Curvature[] {Curvatures.fisher(), Curvatures.empiricalFisher(),
                Curvatures.gaussNewton(), Curvatures.hessian()}) {
            RealMatrix with = Reference.curvature(kind, LOGIT, theta, LOGISTIC.batch(), prior);
            RealMatrix without = Reference.curvature(kind, LOGIT, theta, LOGISTIC.batch(), null);
            RealMatrix diff = with.subtract(without);
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 7; j++) {
                    assertEquals(i == j ? 1.0 / (0.1 * 300) : 0.0, diff.getEntry(i, j), 1e-14, kind.name());
                }
            }
        }
        RealMatrix id = Reference.curvature(Curvatures.identity(), LOGIT, theta, LOGISTIC.batch(), prior);
        assertEquals(0.0, Reference.relativeDistance(id,
                org.apache.commons.math3.linear.MatrixUtils.createRealIdentityMatrix(7)), 0.0);
    }

    /**
     * The Monte-Carlo Fisher is unbiased with a known variance: entry (j, l) averages N·k independent terms
     * r̂² x_ij x_il with Var(r̂²) = s(1−s)(s³ + (1−s)³ − s(1−s)) for a Bernoulli residual r̂ = ŷ − s. Every entry
     * must lie within 5 standard deviations of the exact Fisher, and the Frobenius error must shrink like 1/√k.
     */
    @Test
    void monteCarloFisherConvergesToTheTrueFisherAtTheRateOfItsSampleCount() {
        double[] theta = randomTheta(7, 8, 0.6);
        Batch batch = LOGISTIC.batch();
        RealMatrix x = Reference.design(batch, true);
        RealMatrix exact = Reference.curvature(Curvatures.fisher(), LOGIT, theta, batch, null);
        RealVector f = x.operate(Reference.vector(theta));
        int n = batch.rows();
        double previous = Double.NaN;
        for (int k : new int[] {4, 64, 1024}) {
            RealMatrix mc = Reference.curvature(Curvatures.monteCarloFisher(k, 42), LOGIT, theta, batch, null);
            for (int j = 0; j < 7; j++) {
                for (int l = 0; l < 7; l++) {
                    double var = 0;
                    for (int i = 0; i < n; i++) {
                        double s = Reference.sigmoid(f.getEntry(i));
                        double v = s * (1 - s) * (s * s * s + Math.pow(1 - s, 3) - s * (1 - s));
                        double xx = x.getEntry(i, j) * x.getEntry(i, l);
                        var += v * xx * xx;
                    }
                    double sd = Math.sqrt(var / ((double) n * n * k));
                    assertEquals(exact.getEntry(j, l), mc.getEntry(j, l), 5 * sd + 1e-15,
                            "entry (" + j + "," + l + ") with k = " + k);
                }
            }
            double error = mc.subtract(exact).getFrobeniusNorm();
            if (!Double.isNaN(previous)) {
                // 16x the samples: the error's expectation falls 4x; allow for chance down to 2x
                assertTrue(error < previous / 2, "k = " + k + ": error " + error + " vs " + previous);
            }
            previous = error;
        }
    }

    @Test
    void monteCarloFisherIsReproducibleFromItsSeed() {
        double[] theta = randomTheta(7, 9, 0.6);
        RealMatrix a = Reference.curvature(Curvatures.monteCarloFisher(3, 7), LOGIT, theta, LOGISTIC.batch(), null);
        RealMatrix b = Reference.curvature(Curvatures.monteCarloFisher(3, 7), LOGIT, theta, LOGISTIC.batch(), null);
        RealMatrix c = Reference.curvature(Curvatures.monteCarloFisher(3, 8), LOGIT, theta, LOGISTIC.batch(), null);
        assertEquals(0.0, a.subtract(b).getFrobeniusNorm(), 0.0);
        assertTrue(a.subtract(c).getFrobeniusNorm() > 0);
    }
}
