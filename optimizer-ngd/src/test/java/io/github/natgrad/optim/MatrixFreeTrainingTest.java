package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.CsrMatrix;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.NegativeCurvatureException;
import io.github.natgrad.Optimizer;
import io.github.natgrad.Solver;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.solve.Solvers;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training through the matrix-free solvers: Newton-CG with the Armijo line search, Woodbury and auto reach
 * the optimum the dense Newton method reaches; a sparse batch trains like its dense copy; negative
 * curvature of a network's Hessian met by CG is repaired by Levenberg-Marquardt (and reported) and refused
 * with a clear error by a fixed damping.
 */
class MatrixFreeTrainingTest {

    static Batch logisticData(int n, int p, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * p];
        double[] w = new double[p];
        for (int j = 0; j < p; j++) {
            w[j] = r.nextGaussian();
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int j = 0; j < p; j++) {
                double v = r.nextDouble() < 0.7 ? 0 : r.nextGaussian();
                x[i * p + j] = v;
                f += v * w[j];
            }
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-f)) ? 1 : 0;
        }
        return Batch.wrap(x, y, n, p);
    }

    static double[] train(NaturalGradient config, Model model, Batch batch, int steps) {
        Optimizer opt = config.build(model);
        double[] theta = new double[model.parameterCount()];
        for (int s = 0; s < steps; s++) {
            opt.step(theta, batch);
        }
        return theta;
    }

    @Test
    void everySolverReachesTheDenseNewtonOptimum() {
        Batch batch = logisticData(80, 120, 1);
        Model model = GeneralizedLinearModel.logisticRegression(120).withBias();
        NaturalGradient newton = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(1.0))
                .withDamping(Damping.none());
        double[] reference = train(newton, model, batch, 30);
        Optimizer ref = newton.build(model);
        double optimum = ref.loss(reference, batch);
        for (Solver solver : new Solver[] {Solvers.conjugateGradient(), Solvers.woodbury(), Solvers.auto()}) {
            NaturalGradient config = newton.withSolver(solver).withLineSearch(ArmijoLineSearch.liblinear());
            double[] theta = train(config, model, batch, 30);
            double gap = (ref.loss(theta, batch) - optimum) / optimum;
            assertTrue(Math.abs(gap) < 1e-10, solver.name() + ": relative gap " + gap);
        }
    }

    @Test
    void sparseBatchTrainsLikeItsDenseCopy() {
        Batch dense = logisticData(60, 40, 2);
        Batch sparse = Batch.of(CsrMatrix.fromDense(dense.x(), 60, 40), dense.y());
        Model model = GeneralizedLinearModel.logisticRegression(40).withBias();
        NaturalGradient config = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(2.0))
                .withSolver(Solvers.conjugateGradient()).withLineSearch(ArmijoLineSearch.liblinear());
        double[] a = train(config, model, dense, 5);
        double[] b = train(config, model, sparse, 5);
        for (int j = 0; j < a.length; j++) {
            assertEquals(a[j], b[j], 1e-12 * (1 + Math.abs(a[j])));
        }
    }

    @Test
    void stepReportCarriesCgStatisticsAndTheCap() {
        Batch batch = logisticData(50, 60, 3);
        Model model = GeneralizedLinearModel.logisticRegression(60);
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(1))
                .withDamping(Damping.none()).withSolver(ConjugateGradient.defaults().withMaxIterations(2)).build(model);
        StepReport report = opt.step(new double[60], batch);
        assertEquals("cg", report.solve().method());
        assertEquals(2, report.solve().iterations());
        assertTrue(report.solve().capReached());
        assertTrue(report.dampingAction().contains("cg cap reached"), report.dampingAction());
    }

    /** A tanh network at a point where its Hessian is indefinite. */
    static Object[] indefiniteNetwork() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(2, Likelihoods.gaussian()).withHidden(6);
        Random r = new Random(5);
        int n = 20;
        double[] x = new double[n * 2];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = r.nextGaussian();
            x[2 * i + 1] = r.nextGaussian();
            y[i] = 3 * Math.sin(2 * x[2 * i]) + r.nextGaussian();
        }
        double[] theta = mlp.initialParameters(3);
        for (int j = 0; j < theta.length; j++) {
            theta[j] *= 2.5;
        }
        return new Object[] {mlp, Batch.wrap(x, y, n, 2), theta};
    }

    @Test
    void negativeCurvatureIsRepairedByLevenbergMarquardtAndReported() {
        Object[] net = indefiniteNetwork();
        Model mlp = (Model) net[0];
        Batch batch = (Batch) net[1];
        double[] theta = (double[]) net[2];
        // the dense Hessian is indefinite here
        Optimizer dense = NaturalGradient.of(Curvatures.hessian()).withDamping(Damping.fixed(1e-6)).build(mlp);
        assertThrows(io.github.natgrad.CurvatureNotPositiveDefiniteException.class, () -> dense.step(theta.clone(), batch));

        Optimizer fixed = NaturalGradient.of(Curvatures.hessian()).withDamping(Damping.fixed(1e-6))
                .withSolver(Solvers.conjugateGradient()).build(mlp);
        NegativeCurvatureException e = assertThrows(NegativeCurvatureException.class,
                () -> fixed.step(theta.clone(), batch));
        assertTrue(e.getMessage().contains("levenbergMarquardt"), e.getMessage());

        Optimizer lm = NaturalGradient.of(Curvatures.hessian()).withDamping(Damping.levenbergMarquardt(1e-6, 1e-8, 1e8))
                .withSolver(Solvers.conjugateGradient()).build(mlp);
        double[] t = theta.clone();
        StepReport report = lm.step(t, batch);
        assertTrue(report.dampingAction().contains("negative curvature"), report.dampingAction());
        assertTrue(report.damping() > 1e-6);
        double before = report.loss();
        for (int s = 0; s < 30; s++) {
            report = lm.step(t, batch);
        }
        assertTrue(report.loss() < before, report.loss() + " vs " + before);

        Optimizer shift = NaturalGradient.of(Curvatures.hessian()).withDamping(Damping.shiftToPositiveDefinite())
                .withSolver(Solvers.conjugateGradient()).build(mlp);
        StepReport shifted = shift.step(theta.clone(), batch);
        assertTrue(shifted.dampingAction().startsWith("shifted: negative curvature"), shifted.dampingAction());
    }
}
