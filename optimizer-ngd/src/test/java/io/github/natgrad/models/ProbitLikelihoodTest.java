package io.github.natgrad.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Likelihood;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class ProbitLikelihoodTest extends LikelihoodContract {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    @Override
    Likelihood likelihood() {
        return Likelihoods.probit();
    }

    @Override
    double[] support() {
        return new double[] {0, 1};
    }

    @Test
    void logCdfMatchesCommonsMathWhereItIsAccurateAndBothBranchesAgree() {
        for (double z = -30; z <= 8; z += 0.125) {
            double reference = Math.log(NORMAL.cumulativeProbability(z));
            assertEquals(reference, NormalTails.logCdf(z), 1e-12 * Math.max(1, Math.abs(reference)), "log Phi(" + z + ")");
            double ratio = NORMAL.density(z) / NORMAL.cumulativeProbability(z);
            assertEquals(ratio, NormalTails.ratio(z), 1e-11 * ratio, "lambda(" + z + ")");
        }
        // continuity at the switch between erfc and the continued fraction
        double below = Math.nextDown(NormalTails.TAIL);
        assertEquals(NormalTails.curvature(NormalTails.TAIL), NormalTails.curvature(below), 1e-13);
        assertEquals(NormalTails.ratio(NormalTails.TAIL), NormalTails.ratio(below), 1e-13);
    }

    @Test
    void farTailFollowsTheAsymptoticSeries() {
        // for t = -z large the Mills ratio is R(t) = Phi(-t)/phi(t) = S/t with
        // S = 1 - 1/t^2 + 3/t^4 - 15/t^6 + 105/t^8 - 945/t^10 + O(t^-12) (A&S 26.2.12), so
        // log Phi(z) = log phi(t) + log R, lambda(z) = 1/R and lambda(z)(z + lambda(z)) = t^2 (1 - S)/S^2
        for (double t : new double[] {50, 400, 1e4}) {
            double u = 1 / (t * t);
            double oneMinusS = u * (1 - u * (3 - u * (15 - u * (105 - u * 945))));
            double s = 1 - oneMinusS;
            double logCdf = -0.5 * t * t - 0.5 * Math.log(2 * Math.PI) + Math.log(s / t);
            assertEquals(logCdf, NormalTails.logCdf(-t), 1e-14 * Math.abs(logCdf), "log Phi(-" + t + ")");
            assertEquals(t / s, NormalTails.ratio(-t), 1e-14 * t, "lambda(-" + t + ")");
            double curvature = t * t * oneMinusS / (s * s);
            // the series truncated after t^-10 is off by about 10395 t^2 / t^12, 1e-13 at t = 50
            assertEquals(curvature, NormalTails.curvature(-t), 1e-12, "curvature at -" + t);
        }
    }

    @Test
    void fisherIsPhiSquaredOverPhiOneMinusPhi() {
        for (double f = -6; f <= 6; f += 0.25) {
            // 1 - Phi(f) as Phi(-f), which keeps its relative accuracy for f > 0
            double expected = Math.pow(NORMAL.density(f), 2)
                    / (NORMAL.cumulativeProbability(f) * NORMAL.cumulativeProbability(-f));
            double[] b = new double[1];
            likelihood().fisherFactor(new double[] {f}, 1, b);
            assertEquals(expected, b[0] * b[0], 1e-10 * expected, "Fisher at f = " + f);
        }
        // far from 0 the Fisher is lambda(f) lambda(-f) ~ phi(f)·|f|, computed without 0/0
        double[] b = new double[1];
        likelihood().fisherFactor(new double[] {-30}, 1, b);
        double expected = NORMAL.density(30) * NormalTails.ratio(-30);
        assertEquals(expected, b[0] * b[0], 1e-12 * expected);
    }

    @Test
    void lossHessianDependsOnTheLabelAndDiffersFromTheFisher() {
        double[] f = {0.7};
        double[] h0 = new double[1];
        double[] h1 = new double[1];
        double[] fisher = new double[1];
        likelihood().hessianFactor(f, new double[] {0}, 1, h0);
        likelihood().hessianFactor(f, new double[] {1}, 1, h1);
        likelihood().fisherFactor(f, 1, fisher);
        assertTrue(Math.abs(h0[0] * h0[0] - h1[0] * h1[0]) > 0.05, "the loss Hessian depends on y");
        assertTrue(Math.abs(h0[0] * h0[0] - fisher[0] * fisher[0]) > 0.05);
        // but its expectation under the model is the Fisher
        double p = NORMAL.cumulativeProbability(0.7);
        assertEquals(fisher[0] * fisher[0], p * h1[0] * h1[0] + (1 - p) * h0[0] * h0[0], 1e-12);
    }
}
