package io.github.natgrad.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.natgrad.Likelihood;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * The clipped Bernoulli likelihood the reproduction uses (Kunstner et al.'s code: σ(f) and σ(−f) each
 * clipped to [ε, 1 − ε]) against closed forms written here, inside the clip, on both sides of its
 * boundaries f = ±logit(1 − ε), and far beyond them.
 */
class ClippedBernoulliLikelihoodTest {

    private static double sigmoid(double f) {
        return 1.0 / (1.0 + Math.exp(-f));
    }

    private static double clip(double p, double eps) {
        return Math.min(1 - eps, Math.max(eps, p));
    }

    /** −y log clip(σ(f)) − (1 − y) log clip(σ(−f)), p₁ − y, p₁p₀: the authors' formulas, written out. */
    private static double[] expected(double f, double y, double eps) {
        double p1 = clip(sigmoid(f), eps);
        double p0 = clip(sigmoid(-f), eps);
        return new double[] {-y * Math.log(p1) - (1 - y) * Math.log(p0), p1 - y, p1 * p0};
    }

    private static double[] actual(Likelihood lik, double f, double y) {
        double[] r = new double[1];
        double loss = lik.lossAndResidual(new double[] {f}, new double[] {y}, 1, r);
        double[] b = new double[1];
        lik.fisherFactor(new double[] {f}, 1, b);
        double[] h = new double[1];
        lik.hessianFactor(new double[] {f}, new double[] {y}, 1, h);
        assertEquals(b[0], h[0], 0.0, "the loss-Hessian factor is the Fisher factor");
        return new double[] {loss, r[0], b[0] * b[0]};
    }

    @Test
    void lossResidualAndCurvatureFollowTheClippedClosedFormsAcrossTheBoundaries() {
        for (double eps : new double[] {1e-8, 0.05}) {
            Likelihood lik = Likelihoods.bernoulli(eps);
            double boundary = Math.log((1 - eps) / eps); // σ(boundary) = 1 − ε
            double[] fs = {0, 0.7, -2.3, boundary * (1 - 1e-6), boundary * (1 + 1e-6), -boundary * (1 + 1e-6),
                    -boundary * (1 - 1e-6), 2 * boundary, -3 * boundary, 40, -40, 800, -800};
            for (double f : fs) {
                for (double y : new double[] {0, 1}) {
                    double[] e = expected(f, y, eps);
                    double[] a = actual(lik, f, y);
                    String at = "eps " + eps + ", f " + f + ", y " + y;
                    assertEquals(e[0], a[0], 1e-12 * Math.max(1, e[0]), "loss at " + at);
                    assertEquals(e[1], a[1], 1e-15, "residual at " + at);
                    assertEquals(e[2], a[2], 1e-15 * Math.max(e[2], 1e-300) + 1e-300, "curvature at " + at);
                }
            }
        }
    }

    @Test
    void beyondTheClipTheLossIsCappedAtMinusLogEpsilonAndTheCurvatureAtEpsilonTimesOneMinusEpsilon() {
        double eps = 1e-8;
        Likelihood lik = Likelihoods.bernoulli(eps);
        for (double f : new double[] {25, 100, 1e6}) {
            // the wrong label costs −log ε, not f: the clip caps the loss of a confident mistake
            assertEquals(-Math.log(eps), actual(lik, f, 0)[0], 1e-12);
            assertEquals(-Math.log(eps), actual(lik, -f, 1)[0], 1e-12);
            assertEquals(-Math.log1p(-eps), actual(lik, f, 1)[0], 2e-16); // 1 − ε itself rounds by 1e-16
            assertEquals(1 - eps, actual(lik, f, 0)[1], 0.0);
            assertEquals(eps * (1 - eps), actual(lik, f, 0)[2], 1e-15 * eps);
        }
        // inside the clip it is the unclipped likelihood
        Likelihood plain = Likelihoods.bernoulli();
        for (double f : new double[] {-15, -1, 0, 2, 15}) {
            for (double y : new double[] {0, 1}) {
                double[] a = actual(lik, f, y);
                double[] b = actual(plain, f, y);
                for (int k = 0; k < 3; k++) {
                    assertEquals(b[k], a[k], 1e-7 * Math.abs(b[k]) + 1e-15, "f " + f + ", y " + y + ", part " + k);
                }
            }
        }
    }

    @Test
    void samplesFollowTheClippedProbability() {
        double eps = 0.05;
        Likelihood lik = Likelihoods.bernoulli(eps);
        int draws = 40_000;
        double[] f = new double[draws];
        java.util.Arrays.fill(f, 10.0); // σ(10) ≈ 0.99995, clipped to 0.95
        double[] y = new double[draws];
        lik.sample(f, draws, new Well19937c(9), y);
        double ones = java.util.Arrays.stream(y).sum() / draws;
        assertEquals(1 - eps, ones, 5 * Math.sqrt(eps * (1 - eps) / draws));
    }

    @Test
    void aClipOutsideZeroToOneHalfIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Likelihoods.bernoulli(0.5));
        assertThrows(IllegalArgumentException.class, () -> Likelihoods.bernoulli(-1e-8));
        assertThrows(IllegalArgumentException.class, () -> Likelihoods.bernoulli(Double.NaN));
    }
}
