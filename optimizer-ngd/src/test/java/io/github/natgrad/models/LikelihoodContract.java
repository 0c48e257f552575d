package io.github.natgrad.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Likelihood;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * The contract every likelihood must meet, checked against independent references: the residual against
 * central differences of the loss, the loss-Hessian factor against central differences of the residual,
 * the Fisher factor against the expectation E_{y ~ p(y | f)}[r(y) r(y)ᵀ] computed by {@link #labels} (for a
 * discrete likelihood: exactly, over the label space, with p(y | f) = exp(−ℓ(y, f)), the loss carrying no
 * constant), and sampling against those probabilities. One subclass per likelihood.
 */
abstract class LikelihoodContract {

    /** The likelihood under test. */
    abstract Likelihood likelihood();

    /** Every label value (the support of p(y | f)) of a discrete likelihood; null for a continuous one. */
    abstract double[] support();

    /**
     * Labels and weights with Σ_k w_k φ(y_k) = E_{y ~ p(y | f)}[φ(y)] for the functions the contract takes
     * expectations of: the support with p(y | f) = exp(−ℓ(y, f)) for a discrete likelihood (which then must
     * sum to one); a continuous one overrides this with a quadrature exact for them.
     */
    double[][] labels(double[] f) {
        double[] support = support();
        double[] p = new double[support.length];
        double total = 0;
        for (int k = 0; k < support.length; k++) {
            p[k] = Math.exp(-loss(f, support[k]));
            total += p[k];
        }
        assertEquals(1.0, total, 1e-12, "probabilities exp(-loss) sum to one");
        return new double[][] {support, p};
    }

    /** Outputs f of one example at which to test (K values). */
    double[] outputs(RandomGenerator random) {
        int k = likelihood().outputsPerExample();
        double[] f = new double[k];
        for (int o = 0; o < k; o++) {
            f[o] = 2 * random.nextGaussian();
        }
        return f;
    }

    double loss(double[] f, double y) {
        return likelihood().lossAndResidual(f, new double[] {y}, 1, null);
    }

    private double[] residual(double[] f, double y) {
        double[] r = new double[f.length];
        likelihood().lossAndResidual(f, new double[] {y}, 1, r);
        return r;
    }

    private static double[] gram(double[] b, int k) {
        double[] a = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int m = 0; m < k; m++) {
                    s += b[i * k + m] * b[j * k + m];
                }
                a[i * k + j] = s;
            }
        }
        return a;
    }

    @Test
    void residualIsTheDerivativeOfTheLoss() {
        RandomGenerator random = new Well19937c(1);
        int k = likelihood().outputsPerExample();
        double h = 1e-5;
        for (int trial = 0; trial < 20; trial++) {
            double[] f = outputs(random);
            for (double y : labels(f)[0]) {
                double[] r = residual(f, y);
                for (int o = 0; o < k; o++) {
                    double[] plus = f.clone();
                    double[] minus = f.clone();
                    plus[o] += h;
                    minus[o] -= h;
                    double fd = (loss(plus, y) - loss(minus, y)) / (2 * h);
                    assertEquals(fd, r[o], 1e-7 * Math.max(1, Math.abs(fd)), "dl/df_" + o + " at y = " + y);
                }
            }
        }
    }

    @Test
    void hessianFactorSquaresToTheDerivativeOfTheResidual() {
        RandomGenerator random = new Well19937c(2);
        int k = likelihood().outputsPerExample();
        double h = 1e-5;
        for (int trial = 0; trial < 20; trial++) {
            double[] f = outputs(random);
            for (double y : labels(f)[0]) {
                double[] b = new double[k * k];
                likelihood().hessianFactor(f, new double[] {y}, 1, b);
                double[] hess = gram(b, k);
                for (int o = 0; o < k; o++) {
                    double[] plus = f.clone();
                    double[] minus = f.clone();
                    plus[o] += h;
                    minus[o] -= h;
                    double[] rp = residual(plus, y);
                    double[] rm = residual(minus, y);
                    for (int q = 0; q < k; q++) {
                        double fd = (rp[q] - rm[q]) / (2 * h);
                        assertEquals(fd, hess[q * k + o], 1e-7 * Math.max(1, Math.abs(fd)),
                                "d2l/df_" + q + "df_" + o + " at y = " + y);
                    }
                }
            }
        }
    }

    @Test
    void fisherFactorSquaresToTheExpectedOuterProductOfResiduals() {
        RandomGenerator random = new Well19937c(3);
        int k = likelihood().outputsPerExample();
        for (int trial = 0; trial < 20; trial++) {
            double[] f = outputs(random);
            double[] expected = new double[k * k];
            double[][] labels = labels(f);
            for (int l = 0; l < labels[0].length; l++) {
                double y = labels[0][l];
                double p = labels[1][l];
                double[] r = residual(f, y);
                for (int a = 0; a < k; a++) {
                    for (int c = 0; c < k; c++) {
                        expected[a * k + c] += p * r[a] * r[c];
                    }
                }
            }
            double[] b = new double[k * k];
            likelihood().fisherFactor(f, 1, b);
            double[] fisher = gram(b, k);
            for (int e = 0; e < k * k; e++) {
                assertEquals(expected[e], fisher[e], 1e-12, "Fisher entry " + e);
            }
        }
    }

    @Test
    void samplesFollowTheModelProbabilities() {
        RandomGenerator random = new Well19937c(4);
        double[] f = outputs(random);
        int draws = 40_000;
        double[] fs = new double[draws * f.length];
        for (int i = 0; i < draws; i++) {
            System.arraycopy(f, 0, fs, i * f.length, f.length);
        }
        double[] y = new double[draws];
        likelihood().sample(fs, draws, new Well19937c(5), y);
        likelihood().checkLabels(y, draws);
        if (support() == null) {
            // a continuous likelihood: the sample's mean and second moment against the quadrature's
            double[][] labels = labels(f);
            for (int power = 1; power <= 2; power++) {
                double expected = 0;
                double fourth = 0;
                for (int l = 0; l < labels[0].length; l++) {
                    expected += labels[1][l] * Math.pow(labels[0][l], power);
                    fourth += labels[1][l] * Math.pow(labels[0][l], 2 * power);
                }
                final int q = power;
                double mean = java.util.Arrays.stream(y).map(v -> Math.pow(v, q)).sum() / draws;
                double sd = Math.sqrt((fourth - expected * expected) / draws);
                assertEquals(expected, mean, 5 * sd, "E[y^" + power + "]");
            }
            return;
        }
        for (double label : support()) {
            double p = Math.exp(-loss(f, label));
            long count = java.util.Arrays.stream(y).filter(v -> v == label).count();
            double sd = Math.sqrt(p * (1 - p) / draws);
            assertEquals(p, (double) count / draws, 5 * sd + 1e-12, "frequency of label " + label);
        }
    }

    @Test
    void lossAndDerivativesStayFiniteForHugeOutputs() {
        int k = likelihood().outputsPerExample();
        for (double big : new double[] {-1e4, -300, -40, 40, 300, 1e4}) {
            double[] f = new double[k];
            f[0] = big;
            for (double y : labels(new double[k])[0]) {
                double l = loss(f, y);
                assertTrue(Double.isFinite(l) && l >= 0, "loss at f_0 = " + big + ", y = " + y + ": " + l);
                for (double r : residual(f, y)) {
                    assertTrue(Double.isFinite(r), "residual at f_0 = " + big);
                }
                double[] b = new double[k * k];
                likelihood().hessianFactor(f, new double[] {y}, 1, b);
                likelihood().fisherFactor(f, 1, b);
                for (double v : b) {
                    assertTrue(Double.isFinite(v), "factor at f_0 = " + big);
                }
            }
        }
    }

    /**
     * The library's shortcuts ({@link LikelihoodShortcuts}: the likelihood's own, or the fallback for a
     * likelihood without them) give the values of the {@link Likelihood} methods: the residual bit for bit,
     * the Fisher weight as the square of the Fisher factor (to rounding), and a loss bound that no example's
     * loss exceeds, huge outputs included.
     */
    @Test
    void shortcutsGiveTheLikelihoodsOwnValues() {
        Likelihood l = likelihood();
        int k = l.outputsPerExample();
        RandomGenerator random = new Well19937c(17);
        double bound = LikelihoodShortcuts.maxLoss(l);
        for (int trial = 0; trial < 20; trial++) {
            double[] f = trial < 6 ? new double[k] : outputs(random);
            if (trial < 6) {
                f[0] = new double[] {-1e4, -300, -40, 40, 300, 1e4}[trial];
            }
            double[] ys = support() != null ? support() : labels(f)[0];
            for (double y : ys) {
                double[] expected = residual(f, y);
                double[] r = new double[k];
                LikelihoodShortcuts.residual(l, f, new double[] {y}, 1, r);
                assertArrayEquals(expected, r, 0.0, "residual at f_0 = " + f[0] + ", y = " + y);
                assertTrue(loss(f, y) <= bound, "loss " + loss(f, y) + " above the bound " + bound);
                if (k == 1) {
                    double[] r2 = new double[1];
                    double[] w = new double[1];
                    LikelihoodShortcuts.residualAndFisherWeight(l, f, new double[] {y}, 1, r2, w);
                    assertArrayEquals(expected, r2, 0.0, "residual with the weight at f_0 = " + f[0]);
                    double[] b = new double[1];
                    l.fisherFactor(f, 1, b);
                    assertEquals(b[0] * b[0], w[0], 1e-14 * b[0] * b[0], "Fisher weight at f_0 = " + f[0]);
                }
            }
        }
        if (k != 1) {
            assertThrows(UnsupportedOperationException.class, () -> LikelihoodShortcuts.residualAndFisherWeight(l,
                    new double[k], new double[] {0}, 1, new double[k], new double[k]));
        }
    }
}
