package io.github.natgrad.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Optimizer;
import io.github.natgrad.ProblemShape;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The automatic solver choice, and Levenberg-Marquardt damping through every solver. */
class AutoSolverTest {

    @Test
    void choosesDenseWoodburyOrCgFromTheShapeAndMemory() {
        AutoSolver auto = AutoSolver.defaults().withMemoryBudget(1L << 30);
        assertEquals("cholesky", auto.choose(new ProblemShape(1000, 1, 200, 200_000, true, true)).name());
        assertEquals("woodbury", auto.choose(new ProblemShape(500, 1, 5000, 2_500_000, true, true)).name());
        assertEquals("cg", auto.choose(new ProblemShape(500, 1, 5000, 2_500_000, false, true)).name(),
                "no low-rank form (Hessian of a network): CG");
        assertEquals("cg", auto.choose(new ProblemShape(100_000, 1, 1_000_000, 10_000_000, true, true)).name());
        assertEquals("cholesky", auto.choose(new ProblemShape(500, 1, 5000, 2_500_000, true, false)).name(),
                "a model without J v stays dense");
        assertEquals("cg", AutoSolver.defaults().withMemoryBudget(1000).choose(new ProblemShape(10, 1, 2000, 20000, true,
                true)).name(), "neither D x D nor U fits the budget");
    }

    @Test
    void levenbergMarquardtWorksWithEverySolverAndMatchesTheDenseRun() {
        Random r = new Random(4);
        int n = 40;
        int p = 60;
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int j = 0; j < p; j++) {
                x[i * p + j] = r.nextGaussian();
                f += x[i * p + j] * (j % 3 - 1);
            }
            y[i] = f > 0 ? 1 : 0;
        }
        Batch batch = Batch.wrap(x, y, n, p);
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(p);
        NaturalGradient lm = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(10))
                .withDamping(Damping.levenbergMarquardt());
        double[] reference = new double[p];
        Optimizer dense = lm.build(model);
        for (int s = 0; s < 8; s++) {
            dense.step(reference, batch);
        }
        for (io.github.natgrad.Solver solver : new io.github.natgrad.Solver[] {Solvers.woodbury(),
            ConjugateGradient.defaults().withStoppingRule(ConjugateGradient.StoppingRule.RESIDUAL).withTolerance(1e-13)
                    .withMaxIterations(1000)}) {
            Optimizer opt = lm.withSolver(solver).build(model);
            double[] theta = new double[p];
            StepReport last = null;
            for (int s = 0; s < 8; s++) {
                last = opt.step(theta, batch);
            }
            assertTrue(Double.isFinite(last.reductionRatio()), "rho from the quadratic model");
            for (int j = 0; j < p; j++) {
                assertEquals(reference[j], theta[j], 1e-8 * (1 + Math.abs(reference[j])), solver.name());
            }
        }
    }
}
