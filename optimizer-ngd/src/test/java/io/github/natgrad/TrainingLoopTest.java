package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import java.util.Random;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training loops on a seeded, ill-conditioned synthetic logistic problem: over minibatches, true-Fisher
 * NGD reaches a target loss in far fewer steps than gradient descent at its best step size; full batch,
 * it converges to the optimum found independently by Newton's method in Commons Math.
 */
class TrainingLoopTest {
    private static final int N = 4000;
    private static final int P = 20;
    private static final SyntheticGlm DATA = SyntheticGlm.logistic(N, P, 20.0, 2019);
    private static final GeneralizedLinearModel MODEL = GeneralizedLinearModel.logisticRegression(P).withBias();
    private static double[] optimum;
    private static double optimalLoss;

    /** Newton's method with Commons Math (no natgrad code), to a gradient norm below 1e-13. */
    @BeforeAll
    static void newton() {
        RealMatrix x = Reference.design(DATA.batch(), true);
        double[] y = DATA.batch().y();
        RealVector theta = Reference.vector(new double[P + 1]);
        for (int it = 0; it < 50; it++) {
            RealVector f = x.operate(theta);
            double[] w = new double[N];
            double[] r = new double[N];
            for (int i = 0; i < N; i++) {
                double s = Reference.sigmoid(f.getEntry(i));
                w[i] = s * (1 - s);
                r[i] = s - y[i];
            }
            RealVector g = x.transpose().operate(Reference.vector(r)).mapDivide(N);
            if (g.getNorm() < 1e-13) {
                break;
            }
            theta = theta.subtract(new LUDecomposition(Reference.weightedGram(x, w)).getSolver().solve(g));
        }
        optimum = theta.toArray();
        RealVector f = x.operate(theta);
        double loss = 0;
        for (int i = 0; i < N; i++) {
            double s = Reference.sigmoid(f.getEntry(i));
            loss -= y[i] * Math.log(s) + (1 - y[i]) * Math.log(1 - s);
        }
        optimalLoss = loss / N;
    }

    /** Steps of minibatch training (batches of 200, reshuffled each epoch, seeded) until the full loss ≤ target. */
    private static int stepsToTarget(NaturalGradient config, double target, int maxSteps) {
        Optimizer opt = config.build(MODEL);
        double[] theta = new double[P + 1];
        Random random = new Random(7);
        int[] order = new int[N];
        for (int i = 0; i < N; i++) {
            order[i] = i;
        }
        int batchSize = 200;
        int step = 0;
        while (step < maxSteps) {
            for (int i = N - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < N && step < maxSteps; from += batchSize, step++) {
                int[] idx = java.util.Arrays.copyOfRange(order, from, from + batchSize);
                StepReport r = opt.step(theta, DATA.batch().select(idx));
                if (r.diverged()) {
                    return Integer.MAX_VALUE;
                }
                if (opt.loss(theta, DATA.batch()) <= target) {
                    return step + 1;
                }
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void minibatchNaturalGradientNeedsFarFewerStepsThanTheBestGradientDescent() {
        double target = optimalLoss + 0.01;
        int ngd = stepsToTarget(NaturalGradient.of(Curvatures.fisher()).withStepSize(0.5)
                .withDamping(Damping.fixed(1e-4)), target, 1000);
        int bestGd = Integer.MAX_VALUE;
        double bestEta = Double.NaN;
        for (double eta : new double[] {0.1, 0.3, 1, 3, 10, 30, 100}) {
            int s = stepsToTarget(NaturalGradient.gradientDescent(eta), target, 1000);
            if (s < bestGd) {
                bestGd = s;
                bestEta = eta;
            }
        }
        System.out.printf("minibatch: NGD %d steps, best GD %d steps (eta %.3g)%n", ngd, bestGd, bestEta);
        assertTrue(ngd <= 50, "NGD steps " + ngd);
        assertTrue(10L * ngd < bestGd, "NGD " + ngd + " steps vs gradient descent " + bestGd + " at eta " + bestEta);
    }

    @Test
    void fullBatchNaturalGradientConvergesToTheOptimum() {
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.none()).build(MODEL);
        double[] theta = new double[P + 1];
        for (int i = 0; i < 30; i++) {
            opt.step(theta, DATA.batch());
        }
        assertEquals(optimalLoss, opt.loss(theta, DATA.batch()), 1e-6 * 1e-3);
        for (int j = 0; j <= P; j++) {
            assertEquals(optimum[j], theta[j], 1e-6, "theta[" + j + "]");
        }
    }
}
