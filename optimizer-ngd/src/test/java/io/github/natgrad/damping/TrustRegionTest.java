package io.github.natgrad.damping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.curvature.DenseCurvatureSystem;
import io.github.natgrad.data.LabelMapping;
import io.github.natgrad.data.LabeledData;
import io.github.natgrad.data.LibsvmReader;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.ArmijoLineSearch;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.solve.Solvers;
import io.github.natgrad.solve.TrustRegionSolve;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

/**
 * The trust-region damping ({@link TrustRegion}, TRON's rules): its step against closed forms on quadratics
 * (interior: Newton's step; boundary: (C + λI)⁻¹g with ‖·‖ = Δ, here λ = ‖g‖/Δ − c for C = cI, and the
 * trust-region optimality condition ∇L(θ₁) = λ(θ₀ − θ₁), λ ≥ 0, for a least-squares problem), TRON's radius
 * update, and LIBLINEAR's objective on a1a in as many Newton iterations and CG products as LIBLINEAR.
 */
class TrustRegionTest {

    private static CurvatureSystem isotropic(double c, int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + i] = c;
        }
        return new DenseCurvatureSystem("dense", m, d, Solvers.cholesky());
    }

    @Test
    void lambdaSearchMeetsTheClosedFormOnTheBoundaryAndNewtonInside() {
        double[] g = {3, 4}; // ‖g‖ = 5; C = 2I: Newton's step g/2 has length 2.5
        TrustRegion boundary = Damping.trustRegion().withInitialRadius(1.0);
        Damped damped = boundary.damp(isotropic(2.0, 2));
        double[] x = new double[2];
        damped.factorization().solve(g, x);
        // (C + λI)x = g with ‖x‖ = 1: λ = ‖g‖/Δ − c = 3, x = g/5
        assertEquals(0.6, x[0], 1e-3 * 0.6);
        assertEquals(0.8, x[1], 1e-3 * 0.8);
        assertEquals(3.0, boundary.lastLambda(), 1e-2);
        assertTrue(((TrustRegionSolve) damped.factorization()).reachedBoundary());

        TrustRegion inside = Damping.trustRegion().withInitialRadius(10.0);
        double[] y = new double[2];
        Damped free = inside.damp(isotropic(2.0, 2));
        free.factorization().solve(g, y);
        assertEquals(1.5, y[0], 1e-14);
        assertEquals(2.0, y[1], 1e-14);
        assertEquals(0.0, inside.lastLambda());
        assertFalse(((TrustRegionSolve) free.factorization()).reachedBoundary());
    }

    @Test
    void radiusFollowsTronsRules() {
        double[] g = {3, 4};
        // a perfect model on the boundary (actual = predicted): the step is taken and Δ ← σ₃Δ
        TrustRegion good = Damping.trustRegion().withInitialRadius(1.0);
        good.damp(isotropic(2.0, 2)).factorization().solve(g, new double[2]);
        assertTrue(good.update(2.0, 2.0, 3.0, 1.0));
        assertEquals(4.0, good.currentRadius(), 4e-3);
        // an increase of the objective: rejected, Δ ← min(α‖s‖, σ₂Δ) with α = max(σ₁, −½gᵀs/(f⁺ − f − gᵀs))
        TrustRegion bad = Damping.trustRegion().withInitialRadius(1.0);
        bad.damp(isotropic(2.0, 2)).factorization().solve(g, new double[2]);
        double gd = 5.0; // gᵀd for d = g/5
        double actual = -1.0;
        assertFalse(bad.update(actual, 2.0, gd, 1.0));
        double alpha = Math.max(0.25, -0.5 * (-gd) / (-actual + gd));
        assertEquals(Math.min(alpha * 1.0, 0.5 * 1.0), bad.currentRadius(), 1e-3);
        // a mediocre step (η₀p ≤ a < η₁p) is taken, Δ ← max(σ₁Δ, min(α‖s‖, σ₂Δ))
        TrustRegion fair = Damping.trustRegion().withInitialRadius(1.0);
        fair.damp(isotropic(2.0, 2)).factorization().solve(g, new double[2]);
        assertTrue(fair.update(0.2, 2.0, gd, 1.0));
        double alphaFair = Math.max(0.25, -0.5 * (-gd) / (-0.2 + gd));
        assertEquals(Math.max(0.25, Math.min(alphaFair, 0.5)), fair.currentRadius(), 1e-3);
    }

    @Test
    void leastSquaresStepIsTheTrustRegionMinimiser() {
        int n = 60;
        int p = 3;
        SplittableRandom random = new SplittableRandom(4);
        double[][] x = new double[n][p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = random.nextGaussian() * (j + 1);
            }
            y[i] = 2 * x[i][0] - x[i][1] + 0.5 * x[i][2] + 0.1 * random.nextGaussian();
        }
        Batch batch = Batch.of(x, y);
        GeneralizedLinearModel model = GeneralizedLinearModel.linearRegression(p);
        // interior (Δ₀ large): one step is Newton's, the least-squares solution (Commons Math's OLS)
        Optimizer wide = NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.trustRegion()
                .withInitialRadius(1e3)).build(model);
        double[] theta = new double[p];
        StepReport r = wide.step(theta, batch);
        assertTrue(r.stepped());
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters();
        for (int j = 0; j < p; j++) {
            assertEquals(beta[j], theta[j], 1e-9 * Math.abs(beta[j]) + 1e-12);
        }
        // boundary (Δ₀ = 0.5 < ‖β‖): ‖θ₁‖ = Δ and ∇L(θ₁) = λθ₁·(−1) with λ > 0, the gradient by central differences
        Optimizer narrow = NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.trustRegion()
                .withInitialRadius(0.5)).build(model);
        double[] t1 = new double[p];
        narrow.step(t1, batch);
        double norm = Math.sqrt(t1[0] * t1[0] + t1[1] * t1[1] + t1[2] * t1[2]);
        assertEquals(0.5, norm, 1e-3 * 0.5);
        double[] grad = new double[p];
        double h = 1e-6;
        for (int j = 0; j < p; j++) {
            double[] a = t1.clone();
            double[] b = t1.clone();
            a[j] += h;
            b[j] -= h;
            grad[j] = (narrow.loss(a, batch) - narrow.loss(b, batch)) / (2 * h);
        }
        double gt = 0;
        double gg = 0;
        for (int j = 0; j < p; j++) {
            gt += grad[j] * t1[j];
            gg += grad[j] * grad[j];
        }
        double cosine = -gt / Math.sqrt(gg * norm * norm);
        assertEquals(1.0, cosine, 1e-5, "the gradient at the boundary point points back to θ₀ = 0");
    }

    @Test
    void refusesALineSearch() {
        NaturalGradient both = NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.trustRegion())
                .withLineSearch(ArmijoLineSearch.liblinear());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> both.build(GeneralizedLinearModel.logisticRegression(3)));
        assertTrue(e.getMessage().contains("trust-region") && e.getMessage().contains("line search"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Damping.trustRegion().withInitialRadius(0.0));
    }

    /**
     * a1a, C = 1, no bias: LIBLINEAR 2.30 ({@code liblinear-train -s 0 -c 1 -e 1e-4}, Debian 2.3.0) takes 6
     * iterations and 48 CG products (2, 4, 7, 8, 12, 15) to objective 516.3439553 (computed from its model file).
     */
    @Test
    void a1aReachesLiblinearsObjectiveInTronsIterationsAndProducts() {
        String property = System.getProperty("natgrad.data.dir");
        assumeTrue(property != null && Files.isRegularFile(Path.of(property, "a1a.libsvm")),
                "natgrad.data.dir does not hold a1a.libsvm; skipping");
        LabeledData a1a = LibsvmReader.of(LabelMapping.BINARY).read(Path.of(property, "a1a.libsvm"));
        Batch batch = a1a.batch();
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(a1a.columns());
        Optimizer tron = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(1.0))
                .withDamping(Damping.trustRegion()).withSolver(ConjugateGradient.tron()).build(model);
        double[] theta = new double[model.parameterCount()];
        long products = 0;
        int iterations = 0;
        double target = 516.3439553 / a1a.rows();
        while (tron.loss(theta, batch) > target * (1 + 1e-9) && iterations < 20) {
            StepReport r = tron.step(theta, batch);
            assertTrue(r.stepped(), r.dampingAction());
            products += r.solve().products();
            iterations++;
        }
        assertTrue(iterations <= 6, iterations + " iterations (LIBLINEAR: 6)");
        assertTrue(products <= 48, products + " CG products (LIBLINEAR: 48)");
    }
}
