package io.github.natgrad.damping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.curvature.DenseCurvatureSystem;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.datasets.SyntheticSparse;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.solve.Solvers;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * {@link Damping#auto()}: λ₀ from the curvature's diagonal, Nielsen's update, the repair of an indefinite
 * curvature, and — the point of it — as few Newton iterations as the undamped Newton method on L2-regularised
 * logistic regression, dense and sparse.
 */
class AutoDampingTest {
    private static final double[] EIGENVALUES = {-0.3, 0.5, 1.0, 2.0};
    private static final RealMatrix INDEFINITE = io.github.natgrad.solve.SolverContractTestAccess.withEigenvalues(
            EIGENVALUES, 9);

    private static CurvatureSystem system(RealMatrix m) {
        return new DenseCurvatureSystem("hessian", io.github.natgrad.solve.SolverContractTestAccess.rowMajor(m),
                m.getRowDimension(), Solvers.cholesky());
    }

    @Test
    void startsFromAThousandthOfTheSmallestDiagonalEntryAndSolvesTheDampedSystem() {
        RealMatrix c = io.github.natgrad.solve.SolverContractTestAccess.withEigenvalues(new double[] {0.5, 1, 3, 8},
                4);
        double smallest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 4; i++) {
            smallest = Math.min(smallest, c.getEntry(i, i));
        }
        assertTrue(smallest >= 0.5 && smallest <= 8, "a diagonal entry lies within the spectrum: " + smallest);
        DampingPolicy policy = Damping.auto().copy();
        Damped d = policy.damp(system(c));
        assertEquals(1e-3 * smallest, d.lambda(), 1e-15);
        double[] g = {1, -2, 0.5, 3};
        double[] x = new double[4];
        d.factorization().solve(g, x);
        RealMatrix damped = c.add(MatrixUtils.createRealIdentityMatrix(4).scalarMultiply(d.lambda()));
        assertArrayEquals(new LUDecomposition(damped).getSolver().solve(MatrixUtils.createRealVector(g)).toArray(), x,
                1e-12);
    }

    @Test
    void nielsensUpdateDividesByThreeOnAGoodStepAndDoublesEverFasterOnBadOnes() {
        RealMatrix c = MatrixUtils.createRealIdentityMatrix(3).scalarMultiply(2.0);
        AutoDamping.Running policy = Damping.auto().copy();
        double l0 = policy.damp(system(c)).lambda();
        assertEquals(2e-3, l0, 1e-18);
        policy.observe(1.0); // 1 − (2ρ − 1)³ = 0 → the floor 1/3
        assertEquals(l0 / 3, policy.currentLambda(), 1e-18);
        policy.observe(0.5); // 1 − 0 = 1: unchanged
        assertEquals(l0 / 3, policy.currentLambda(), 1e-18);
        policy.observe(0.25); // 1 − (−0.5)³ = 1.125
        assertEquals(l0 / 3 * 1.125, policy.currentLambda(), 1e-18);
        double before = policy.currentLambda();
        policy.observe(-0.5); // × ν = 2
        policy.observe(Double.NaN); // × ν = 4
        assertEquals(before * 8, policy.currentLambda(), 1e-15 * before);
        policy.observe(0.9); // success: × max(1/3, 1 − 0.512), ν back to 2
        policy.observe(-1);
        assertEquals(before * 8 * (1 - 0.8 * 0.8 * 0.8) * 2, policy.currentLambda(), 1e-12 * before);
    }

    @Test
    void anIndefiniteCurvatureGetsALambdaThatMakesItPositiveDefinite() {
        Damped d = Damping.auto().copy().damp(system(INDEFINITE));
        double smallest = new EigenDecomposition(INDEFINITE).getRealEigenvalues()[3];
        assertEquals(-0.3, smallest, 1e-12);
        assertTrue(d.lambda() > 0.3, "lambda " + d.lambda() + " must exceed -lambda_min = 0.3");
        assertTrue(d.action().contains("raised"), d.action());
    }

    @Test
    void theStateCarriesLambdaNuAndScale() {
        RealMatrix c = MatrixUtils.createRealIdentityMatrix(3);
        AutoDamping.Running a = Damping.auto().copy();
        a.damp(system(c));
        a.observe(-1);
        OptimizerState.Builder out = OptimizerState.builder("test", GeneralizedLinearModel.logisticRegression(2));
        a.writeState(out, "d.");
        AutoDamping.Running b = Damping.auto().copy();
        b.readState(out.build(), "d.");
        assertEquals(a.currentLambda(), b.currentLambda());
        a.observe(-1);
        b.observe(-1); // ν = 4 carried over
        assertEquals(a.currentLambda(), b.currentLambda());
    }

    @Test
    void theConfigurationIsImmutableAndEachRunStartsFromItsOwnLambdaZero() {
        AutoDamping config = Damping.auto().withInitial(0.5);
        assertEquals(0.5, config.initialLambda());
        assertEquals(1e-3, Damping.auto().relativeInitial());
        assertTrue(Double.isNaN(Damping.auto().initialLambda()));
        RealMatrix c = MatrixUtils.createRealIdentityMatrix(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config.damp(system(c)));
        assertTrue(e.getMessage().contains("copy()"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> config.observe(1.0));
        AutoDamping.Running first = config.copy();
        first.damp(system(c));
        first.observe(-1); // λ = 0.5 · 2
        assertEquals(1.0, first.currentLambda(), 1e-15);
        AutoDamping.Running second = config.copy();
        assertTrue(Double.isNaN(second.currentLambda()), "a new run has not chosen its lambda yet");
        assertEquals(0.5, second.damp(system(c)).lambda(), 1e-15);
        assertEquals(config, first.rule());
    }

    @Test
    void anOptimizersStateRoundTripsTheRunningLambdaAndNu() {
        Batch batch = SyntheticGlm.logistic(200, 5, 10, 11).batch();
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(5);
        NaturalGradient config = NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.auto());
        Optimizer a = config.build(model);
        double[] ta = new double[5];
        a.step(ta, batch);
        a.step(ta, batch);
        OptimizerState saved = a.state();
        Optimizer b = config.build(model);
        b.restore(saved);
        double[] tb = ta.clone();
        for (int i = 0; i < 3; i++) {
            StepReport ra = a.step(ta, batch);
            StepReport rb = b.step(tb, batch);
            assertEquals(ra.damping(), rb.damping());
        }
        assertArrayEquals(ta, tb, 0.0);
    }

    /** Newton iterations to ‖g‖ ≤ 1e-8‖g₀‖ of a configuration, at most 50. */
    private static int iterations(NaturalGradient config, GeneralizedLinearModel model, Batch batch) {
        Optimizer opt = config.build(model);
        double[] theta = new double[model.parameterCount()];
        double g0 = Double.NaN;
        for (int it = 0; it < 50; it++) {
            StepReport r = opt.step(theta, batch);
            g0 = it == 0 ? r.gradientNorm() : g0;
            if (r.gradientNorm() <= 1e-8 * g0) {
                return it;
            }
        }
        return 50;
    }

    @Test
    void takesAsFewIterationsAsNewtonOnL2LogisticRegressionDenseAndSparse() {
        L2Prior prior = L2Prior.ofVariance(1.0);
        Batch dense = SyntheticGlm.logistic(400, 12, 10, 3).batch();
        GeneralizedLinearModel denseModel = GeneralizedLinearModel.logisticRegression(12).withBias();
        NaturalGradient base = NaturalGradient.of(Curvatures.fisher()).withPrior(prior);
        int newton = iterations(base.withDamping(Damping.none()), denseModel, dense);
        int auto = iterations(base, denseModel, dense); // the builder's default damping is auto
        assertTrue(newton <= 10, "Newton took " + newton);
        assertTrue(auto <= newton + 1, "auto took " + auto + " iterations, Newton " + newton);
        // the old default, λ₀ = 1 divided by 1.5 per step, needs many more
        int lm = iterations(base.withDamping(Damping.levenbergMarquardt()), denseModel, dense);
        assertTrue(lm >= auto + 5, "lm took " + lm + ", auto " + auto);

        Batch sparse = SyntheticSparse.logistic(2000, 5000, 60_000, 1.0, 4).batch();
        GeneralizedLinearModel sparseModel = GeneralizedLinearModel.logisticRegression(5000).withBias();
        NaturalGradient cg = base.withSolver(ConjugateGradient.tron());
        int newtonCg = iterations(cg.withDamping(Damping.none()), sparseModel, sparse);
        int autoCg = iterations(cg.withStepRejection(10), sparseModel, sparse);
        assertTrue(newtonCg <= 12, "Newton-CG took " + newtonCg);
        assertTrue(autoCg <= newtonCg + 1, "auto CG took " + autoCg + " iterations, Newton-CG " + newtonCg);
    }
}
