package io.github.natgrad.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.MatrixFreeSolver;
import io.github.natgrad.Model;
import io.github.natgrad.NegativeCurvatureException;
import io.github.natgrad.SolveStats;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.models.SoftmaxRegression;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of the matrix-free solvers (EJML style, one nested class per implementation): on real
 * curvature operators, (C + λI) d = g solved through the operator equals the dense Cholesky solve of the
 * same system; the Woodbury solve to 1e-10, CG (residual rule) to 1e-8.
 */
class MatrixFreeSolverContractTest {

    /** A curvature operator and its dense matrix for a model on a random batch. */
    record Problem(CurvatureOperator op, double[] dense, int d, double[] g) {
    }

    static Problem problem(Model model, String kind, int n, double prior, long seed) {
        Random r = new Random(seed);
        int p = model.inputColumns();
        double[] x = new double[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        int k = model.likelihood().outputsPerExample();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = k == 1 && model.likelihood().name().equals("gaussian") ? r.nextGaussian() : r.nextInt(Math.max(2, k));
        }
        Batch batch = Batch.wrap(x, y, n, p);
        double[] theta = new double[model.parameterCount()];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = 0.5 * r.nextGaussian();
        }
        Likelihood lik = model.likelihood();
        Linearization lin = model.linearize(theta, batch);
        double[] res = new double[n * k];
        lik.lossAndResidual(lin.outputs(), y, n, res);
        Curvature a = Curvatures.byName(kind, 1, 5);
        Curvature b = Curvatures.byName(kind, 1, 5);
        double[] dense = a.build(lin, batch, lik, res, prior, Solvers.cholesky()).toDense();
        CurvatureOperator op = b.operator(lin, batch, lik, res, prior);
        double[] g = new double[model.parameterCount()];
        for (int j = 0; j < g.length; j++) {
            g[j] = r.nextGaussian();
        }
        return new Problem(op, dense, model.parameterCount(), g);
    }

    static double[] cholesky(Problem p, double lambda) {
        double[] x = new double[p.d()];
        Solvers.cholesky().factor(p.dense(), p.d(), lambda).orElseThrow().solve(p.g(), x);
        return x;
    }

    static double relative(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff / norm);
    }

    abstract static class Contract {
        abstract MatrixFreeSolver solver();

        abstract double tolerance();

        @Test
        void solvesLikeDenseCholeskyForEveryLowRankKind() {
            Model[] models = {GeneralizedLinearModel.logisticRegression(30).withBias(),
                SoftmaxRegression.of(6, 3).withBias(),
                MultilayerPerceptron.of(3, Likelihoods.bernoulli()).withHidden(5)};
            for (Model m : models) {
                for (String kind : new String[] {"fisher", "mc-fisher", "empirical-fisher", "gauss-newton"}) {
                    for (double lambda : new double[] {1e-3, 0.5}) {
                        Problem p = problem(m, kind, 12, 0.01, kind.hashCode());
                        CurvatureSystem system = solver().system(p.op());
                        Factorization f = system.factor(lambda).orElseThrow();
                        double[] x = new double[p.d()];
                        f.solve(p.g(), x);
                        double err = relative(cholesky(p, lambda), x);
                        assertTrue(err <= tolerance(), solver().name() + " on " + kind + " of " + m.describe()
                                + " lambda " + lambda + ": relative error " + err);
                        assertFalse(f.lastSolve().capReached());
                    }
                }
            }
        }

        @Test
        void denseEntryPointSolvesLikeCholesky() {
            Problem p = problem(GeneralizedLinearModel.logisticRegression(8), "fisher", 40, 0.1, 3);
            double[] x = new double[p.d()];
            solver().factor(p.dense(), p.d(), 0.01).orElseThrow().solve(p.g(), x);
            assertTrue(relative(cholesky(p, 0.01), x) <= tolerance());
        }
    }

    @Nested
    class WoodburyContract extends Contract {
        @Override
        MatrixFreeSolver solver() {
            return Solvers.woodbury();
        }

        @Override
        double tolerance() {
            return 1e-10;
        }

        @Test
        void refusesACurvatureWithASecondOrderTerm() {
            Problem p = problem(MultilayerPerceptron.of(3, Likelihoods.bernoulli()).withHidden(4), "hessian", 8, 0.1, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> solver().system(p.op()));
            assertTrue(e.getMessage().contains("cg"), e.getMessage());
        }

        @Test
        void withoutPriorOrDampingTheRankDeficientSystemIsNotFactorised() {
            Problem p = problem(GeneralizedLinearModel.logisticRegression(30), "fisher", 5, 0.0, 1);
            assertTrue(solver().system(p.op()).factor(0.0).isEmpty());
        }
    }

    @Nested
    class ConjugateGradientContract extends Contract {
        @Override
        ConjugateGradient solver() {
            return ConjugateGradient.defaults().withStoppingRule(ConjugateGradient.StoppingRule.RESIDUAL)
                    .withTolerance(1e-12).withMaxIterations(500);
        }

        @Override
        double tolerance() {
            return 1e-8;
        }

        @Test
        void everyPreconditionerAndStoppingRuleConverges() {
            Problem p = problem(GeneralizedLinearModel.logisticRegression(40).withBias(), "fisher", 60, 0.02, 9);
            double[] expected = cholesky(p, 1e-3);
            for (ConjugateGradient.Preconditioner m : ConjugateGradient.Preconditioner.values()) {
                ConjugateGradient cg = solver().withPreconditioner(m);
                double[] x = new double[p.d()];
                Factorization f = cg.system(p.op()).factor(1e-3).orElseThrow();
                f.solve(p.g(), x);
                assertTrue(relative(expected, x) <= 1e-8, m + ": " + relative(expected, x));
                assertTrue(f.lastSolve().iterations() > 0 && f.lastSolve().products() >= f.lastSolve().iterations());
            }
            for (ConjugateGradient.StoppingRule rule : new ConjugateGradient.StoppingRule[] {
                ConjugateGradient.StoppingRule.MARTENS, ConjugateGradient.StoppingRule.LIBLINEAR}) {
                double[] x = new double[p.d()];
                ConjugateGradient.defaults().withStoppingRule(rule).system(p.op()).factor(1e-3).orElseThrow()
                        .solve(p.g(), x);
                // truncated: a descent direction that reduces the quadratic model, close to the solution
                assertTrue(relative(expected, x) < 0.1, rule + ": " + relative(expected, x));
            }
        }

        @Test
        void reportsTheCapWhenItIsReached() {
            Problem p = problem(GeneralizedLinearModel.logisticRegression(40), "fisher", 60, 0.001, 2);
            Factorization f = solver().withMaxIterations(3).withPreconditioner(ConjugateGradient.Preconditioner.NONE)
                    .system(p.op()).factor(0.0).orElseThrow();
            f.solve(p.g(), new double[p.d()]);
            SolveStats s = f.lastSolve();
            assertTrue(s.capReached(), s.toString());
            assertEquals(3, s.iterations());
            assertTrue(s.toString().contains("CAP REACHED"));
        }

        @Test
        void warmStartFromTheSolutionNeedsNoIteration() {
            Problem p = problem(GeneralizedLinearModel.logisticRegression(20), "fisher", 30, 0.01, 4);
            double[] x = cholesky(p, 0.01);
            Factorization f = solver().withWarmStart(true, 1.0).withTolerance(1e-8).system(p.op()).factor(0.01)
                    .orElseThrow();
            f.solve(p.g(), x);
            assertEquals(0, f.lastSolve().iterations());
        }

        @Test
        void negativeCurvatureIsThrownWithTheRayleighQuotient() {
            // an indefinite dense matrix: diag(-1, 1, 2)
            double[] c = {-1, 0, 0, 0, 1, 0, 0, 0, 2};
            Factorization f = solver().factor(c, 3, 0.0).orElseThrow();
            NegativeCurvatureException e = assertThrows(NegativeCurvatureException.class,
                    () -> f.solve(new double[] {1, 1, 1}, new double[3]));
            assertTrue(e.rayleighQuotient() <= 0, "q = " + e.rayleighQuotient());
            assertTrue(e.getMessage().contains("levenbergMarquardt"), e.getMessage());
        }
    }
}
