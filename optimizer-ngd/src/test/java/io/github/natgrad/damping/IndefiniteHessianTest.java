package io.github.natgrad.damping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;
import org.junit.jupiter.api.Test;

/**
 * A constructed MLP point whose Hessian is provably indefinite, and what each damping policy does there.
 *
 * <p>The network 1-1-1 (tanh, Gaussian output) f = v·tanh(w x + a) + b at w = a = v = 0 outputs f = b.
 * There ∂f/∂w = v·x = 0 and ∂f/∂v = tanh(0) = 0, so the Gauss-Newton part of the (w, v) block vanishes,
 * ∂²f/∂w² = v x² tanh''(0) = 0, ∂²f/∂v² = 0 and ∂²f/∂w∂v = x tanh'(0) = x. The (w, v) block of the
 * Hessian of the mean loss is therefore [[0, c], [c, 0]] with c = mean_i r_i x_i, r_i = b − y_i, whose
 * eigenvalues are ±|c|; by Cauchy interlacing λ_min(H) ≤ −|c| &lt; 0.
 */
class IndefiniteHessianTest {
    private static final MultilayerPerceptron MLP = MultilayerPerceptron.of(1, Likelihoods.gaussian()).withHidden(1);
    private static final Batch BATCH = Batch.of(new double[][] {{1}, {2}, {3}, {4}}, new double[] {-1, -2.5, -3, -4});
    /** θ = (w, a, v, b): layer 0 is W (1 × 1) then its bias, layer 1 likewise. */
    private static final double[] SADDLE = {0, 0, 0, 0.5};

    private static CurvatureSystem hessian() {
        Likelihood lik = MLP.likelihood();
        Linearization lin = MLP.linearize(SADDLE, BATCH);
        double[] r = new double[4];
        lik.lossAndResidual(lin.outputs(), BATCH.y(), 4, r);
        return Curvatures.hessian().build(lin, BATCH, lik, r, 0.0, Solvers.cholesky());
    }

    private static double c() {
        double s = 0;
        for (int i = 0; i < 4; i++) {
            s += (SADDLE[3] - BATCH.y()[i]) * BATCH.x()[i];
        }
        return s / 4;
    }

    @Test
    void theHessianHasTheClosedFormBlockAndANegativeEigenvalue() {
        assertEquals(0, MLP.weightOffset(0));
        assertEquals(2, MLP.weightOffset(1));
        double[] h = hessian().toDense();
        assertEquals(0.0, h[0], 1e-15, "d2L/dw2");
        assertEquals(0.0, h[2 * 4 + 2], 1e-15, "d2L/dv2");
        assertEquals(c(), h[2], 1e-14, "d2L/dw dv");
        double min = hessian().spectrum().min();
        assertTrue(min <= -Math.abs(c()) + 1e-12, "lambda_min " + min + " <= -|c| = " + -Math.abs(c()));
    }

    @Test
    void fixedDampingRefusesAndNamesTheSmallestEigenvalue() {
        Optimizer opt = NaturalGradient.of(Curvatures.hessian()).withDamping(Damping.fixed(1e-3)).build(MLP);
        double min = hessian().spectrum().min();
        var e = assertThrows(CurvatureNotPositiveDefiniteException.class, () -> opt.step(SADDLE.clone(), BATCH));
        assertEquals(min, e.smallestEigenvalue(), 1e-12);
        assertTrue(e.getMessage().contains(String.format("%.6g", min)), e.getMessage());
        assertTrue(e.getMessage().contains("hessian") && e.getMessage().contains("shiftToPositiveDefinite"),
                e.getMessage());
    }

    private static StepReport stepWith(DampingPolicy policy, double eta) {
        Optimizer opt = NaturalGradient.of(Curvatures.hessian()).withDamping(policy).withStepSize(eta).build(MLP);
        double[] theta = SADDLE.clone();
        StepReport report = opt.step(theta, BATCH);
        assertTrue(report.stepped(), report.toString());
        assertTrue(opt.loss(theta, BATCH) < report.loss(), "the step decreased the loss: " + report);
        return report;
    }

    @Test
    void shiftToPositiveDefiniteShiftsPastTheSmallestEigenvalue() {
        double min = hessian().spectrum().min();
        StepReport report = stepWith(Damping.shiftToPositiveDefinite(1e-3, 1e-6), 0.5);
        assertTrue(report.damping() > -min, "lambda " + report.damping() + " > -lambda_min " + -min);
        assertTrue(report.dampingAction().startsWith("shifted"), report.dampingAction());
        assertTrue(report.cosine() > 0, "a descent direction");
    }

    @Test
    void saddleFreeFlipsTheNegativeEigenvalues() {
        double[] w = hessian().spectrum().eigenvalues();
        long negative = java.util.Arrays.stream(w).filter(v -> v < 0).count();
        StepReport report = stepWith(Damping.saddleFree(1e-3), 0.5);
        assertTrue(report.dampingAction().contains(negative + " negative eigenvalues flipped"), report.dampingAction());
        assertTrue(report.cosine() > 0, "a descent direction");
    }

    @Test
    void levenbergMarquardtRaisesLambdaUntilTheCurvatureFactorises() {
        double min = hessian().spectrum().min();
        StepReport report = stepWith(Damping.levenbergMarquardt(), 0.5);
        assertTrue(report.damping() > -min, "lambda " + report.damping() + " > -lambda_min " + -min);
        assertTrue(report.dampingAction().contains("raised"), report.dampingAction());
        assertTrue(Double.isFinite(report.reductionRatio()), "rho is reported");
    }
}
