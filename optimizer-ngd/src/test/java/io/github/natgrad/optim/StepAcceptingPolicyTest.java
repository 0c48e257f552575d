package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepAcceptingPolicy;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.GeneralizedLinearModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

/**
 * A damping policy written outside the library plugs into the optimizer's acceptance through the
 * {@link StepAcceptingPolicy} contract alone (no stage names it): the optimizer asks it to judge each trial,
 * retries at least {@link StepAcceptingPolicy#minimumRetries()} times, and refuses a line search with it.
 */
class StepAcceptingPolicyTest {

    /** λ = 0 (Newton); takes the step on the {@code acceptOn}-th trial (never when 0); records every trial. */
    private static final class Judge implements StepAcceptingPolicy {
        final int acceptOn;
        final List<double[]> trials;

        Judge(int acceptOn, List<double[]> trials) {
            this.acceptOn = acceptOn;
            this.trials = trials;
        }

        @Override
        public String name() {
            return "test-judge";
        }

        @Override
        public Damped damp(CurvatureSystem curvature) {
            return Damping.fixed(0.0).damp(curvature);
        }

        @Override
        public boolean update(double actual, double predicted, double etaGd, double eta) {
            trials.add(new double[] {actual, predicted, etaGd, eta});
            return trials.size() == acceptOn;
        }

        @Override
        public int minimumRetries() {
            return 5;
        }

        @Override
        public DampingPolicy copy() {
            return new Judge(acceptOn, trials);
        }
    }

    private static final int N = 50;
    private static final int P = 3;

    private static double[][] x() {
        SplittableRandom random = new SplittableRandom(7);
        double[][] x = new double[N][P];
        for (double[] row : x) {
            for (int j = 0; j < P; j++) {
                row[j] = random.nextGaussian() * (j + 1);
            }
        }
        return x;
    }

    private static double[] y(double[][] x) {
        SplittableRandom random = new SplittableRandom(8);
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            y[i] = x[i][0] - 2 * x[i][1] + 0.3 * x[i][2] + 0.1 * random.nextGaussian();
        }
        return y;
    }

    @Test
    void thePolicyJudgesEachTrialAndTheAcceptedStepIsNewtons() {
        double[][] x = x();
        double[] y = y(x);
        List<double[]> trials = new ArrayList<>();
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).withDamping(new Judge(3, trials))
                .build(GeneralizedLinearModel.linearRegression(P));
        double[] theta = new double[P];
        StepReport r = opt.step(theta, Batch.of(x, y));
        assertTrue(r.stepped(), r.dampingAction());
        assertEquals(3, trials.size(), "two rejected trials, then the accepted one");
        assertTrue(r.dampingAction().contains("accepted after 2 rejected tries"), r.dampingAction());
        // least squares: the quadratic model is exact, so actual = predicted, and Newton's step is the OLS fit
        for (double[] t : trials) {
            assertEquals(t[1], t[0], 1e-10 * Math.abs(t[1]));
            assertEquals(1.0, t[3]);
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters();
        for (int j = 0; j < P; j++) {
            assertEquals(beta[j], theta[j], 1e-9 * Math.abs(beta[j]));
        }
    }

    @Test
    void aPolicyThatNeverAcceptsGetsItsMinimumRetriesAndLeavesThetaAlone() {
        double[][] x = x();
        List<double[]> trials = new ArrayList<>();
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).withDamping(new Judge(0, trials))
                .build(GeneralizedLinearModel.linearRegression(P));
        double[] theta = {0.1, 0.2, 0.3};
        StepReport r = opt.step(theta, Batch.of(x, y(x)));
        assertFalse(r.stepped());
        assertEquals(6, trials.size(), "the first try and minimumRetries() = 5 retries");
        assertEquals(0.1, theta[0]);
        assertEquals(0.2, theta[1]);
        assertEquals(0.3, theta[2]);
    }

    @Test
    void aLineSearchOnTopIsRefusedByThePolicysName() {
        NaturalGradient both = NaturalGradient.of(Curvatures.fisher()).withDamping(new Judge(1, new ArrayList<>()))
                .withLineSearch(ArmijoLineSearch.liblinear());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> both.build(GeneralizedLinearModel.linearRegression(P)));
        assertTrue(e.getMessage().contains("test-judge") && e.getMessage().contains("line search"), e.getMessage());
    }
}
