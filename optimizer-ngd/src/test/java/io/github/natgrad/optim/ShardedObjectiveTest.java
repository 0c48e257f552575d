package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticSparse;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.SoftmaxRegression;
import io.github.natgrad.solve.Solvers;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sharded optimizer against the local one: on a batch split into shards, every step's objective equals the
 * local optimizer's on the whole batch to 1e-5 relative and the converged one to 1e-9 (summation order aside: an
 * undamped CG solve amplifies the last bits within a step), for every matrix-free curvature
 * kind, with Levenberg-Marquardt damping and with the line search; the summed operator equals the kind's operator
 * on the whole batch (products and diagonal); the dense structure (the summed D × D matrix, solved by Cholesky or
 * eigen) equals the local dense run to 1e-9 and its matrix the kind's matrix (and the operator's columns) on the whole
 * batch; the state moves between the two; bad configurations are refused.
 */
class ShardedObjectiveTest {

    static Batch softmaxData(int n, int p, int k, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i * p + j] = r.nextGaussian();
            }
            y[i] = (x[i * p] > 0 ? 1 : 0) + (r.nextDouble() < 0.3 ? 1 : 0) % k;
        }
        return Batch.wrap(x, y, n, p);
    }

    private static void assertSameRun(NaturalGradient config, Model model, Batch batch, int shards, int steps) {
        Optimizer local = config.build(model);
        ShardedOptimizer sharded = config.build(InMemoryShards.split(model, batch, shards));
        double[] a = new double[model.parameterCount()];
        double[] b = new double[model.parameterCount()];
        StringBuilder log = new StringBuilder();
        for (int s = 0; s < steps; s++) {
            StepReport ra = local.step(a, batch);
            StepReport rb = sharded.step(b);
            log.append(ra).append(" eta ").append(ra.stepSize()).append('\n').append(rb).append(" eta ").append(rb.stepSize()).append('\n');
            double diff = 0;
            for (int j = 0; j < a.length; j++) {
                diff = Math.max(diff, Math.abs(a[j] - b[j]));
            }
            log.append("max |dtheta| ").append(diff).append('\n');
            // an undamped CG solve of an ill-conditioned system amplifies the last bits of the sums (a direction
            // moves by 1e-5 with one shard, whose products differ from the local ones in rounding only), so the
            // runs agree along the way to 1e-5 ...
            assertEquals(ra.loss(), rb.loss(), 1e-5 * Math.abs(ra.loss()), "objective at step " + s + "\n" + log);
        }
        // ... and to 1e-9 where they end (near the optimum)
        assertEquals(local.loss(a, batch), sharded.loss(b), 1e-9 * Math.abs(local.loss(a, batch)), log.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fisher", "gauss-newton", "hessian", "empirical-fisher"})
    void logisticNewtonCgEqualsTheLocalRun(String kind) {
        Batch batch = SyntheticSparse.logistic(600, 300, 6000, 1.0, 11).batch();
        Model model = GeneralizedLinearModel.logisticRegression(300).withBias();
        NaturalGradient config = NaturalGradient.of(Curvatures.byName(kind, 1, 0)).withPrior(L2Prior.ofVariance(1.0))
                .withSolver(Solvers.conjugateGradient()).withDamping(Damping.levenbergMarquardt().withInitial(1.0));
        assertSameRun(config, model, batch, 4, 8);
    }

    @Test
    void lineSearchAndOtherLikelihoodsEqualTheLocalRun() {
        Batch batch = SyntheticSparse.logistic(500, 200, 4000, 1.0, 3).batch();
        NaturalGradient newton = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(2.0))
                .withSolver(Solvers.conjugateGradient()).withDamping(Damping.none()).withLineSearch(ArmijoLineSearch.liblinear());
        assertSameRun(newton, GeneralizedLinearModel.logisticRegression(200), batch, 3, 10);
        assertSameRun(newton, GeneralizedLinearModel.of(Likelihoods.probit(), 200).withBias(), batch, 5, 10);
        Batch dense = softmaxData(300, 6, 3, 5);
        NaturalGradient lm = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(1.0))
                .withSolver(Solvers.conjugateGradient()).withDamping(Damping.levenbergMarquardt().withInitial(1.0));
        assertSameRun(lm, SoftmaxRegression.of(6, 3).withBias(), dense, 3, 6);
        assertSameRun(lm, GeneralizedLinearModel.linearRegression(6), Batch.wrap(
                dense.x(), dense.y(), dense.rows(), dense.columns()), 2, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic", "probit"})
    void summedOperatorIsTheKindsOperatorOnTheWholeBatch(String likelihood) {
        Batch batch = SyntheticSparse.logistic(400, 120, 3000, 1.0, 7).batch();
        Model model = GeneralizedLinearModel.of(likelihood.equals("probit") ? Likelihoods.probit()
                : Likelihoods.bernoulli(), 120).withBias();
        double[] theta = new double[model.parameterCount()];
        Random r = new Random(1);
        for (int j = 0; j < theta.length; j++) {
            theta[j] = 0.3 * r.nextGaussian();
        }
        Curvature kind = Curvatures.fisher();
        Linearization lin = model.linearize(theta, batch);
        double[] residual = new double[batch.rows()];
        model.likelihood().lossAndResidual(lin.outputs(), batch.y(), batch.rows(), residual);
        CurvatureOperator whole = kind.copy().operator(lin, batch, model.likelihood(), residual, 0.01);
        InMemoryShards shards = InMemoryShards.split(model, batch, 7);
        double[] g = new double[theta.length];
        double[] gWhole = new double[theta.length];
        double lossSum = shards.lossAndGradient(theta, g);
        lin.vectorJacobianProduct(residual, gWhole);
        assertEquals(model.likelihood().lossAndResidual(lin.outputs(), batch.y(), batch.rows(), null), lossSum,
                1e-12 * lossSum);
        for (int j = 0; j < g.length; j++) {
            assertEquals(gWhole[j], g[j], 1e-12 * (1 + Math.abs(gWhole[j])), "gradient [" + j + "]");
        }
        CurvatureOperator summed = shards.curvature(kind, 0.01);
        double[] v = new double[theta.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = r.nextGaussian();
        }
        double[] a = new double[v.length];
        double[] b = new double[v.length];
        whole.multiply(v, a);
        summed.multiply(v, b);
        double[] da = whole.diagonal().orElseThrow();
        double[] db = summed.diagonal().orElseThrow();
        for (int j = 0; j < v.length; j++) {
            assertEquals(a[j], b[j], 1e-12 * (1 + Math.abs(a[j])), "C v [" + j + "]");
            assertEquals(da[j], db[j], 1e-12 * (1 + Math.abs(da[j])), "diag [" + j + "]");
        }
    }

    @Test
    void denseStructureEqualsTheLocalDenseRun() {
        // the dense structure: the kind's D x D matrix summed over the shards, factorised by Cholesky (or eigen), is
        // the local optimizer's dense step on the whole batch
        Batch batch = SyntheticSparse.logistic(500, 60, 4000, 1.0, 13).batch();
        NaturalGradient newton = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(2.0))
                .withSolver(Solvers.cholesky()).withDamping(Damping.none()).withLineSearch(ArmijoLineSearch.liblinear());
        assertSameDenseRun(newton, GeneralizedLinearModel.logisticRegression(60).withBias(), batch, 4, 8);
        NaturalGradient lm = NaturalGradient.of(Curvatures.hessian()).withPrior(L2Prior.ofVariance(1.0))
                .withSolver(Solvers.eigen()).withDamping(Damping.levenbergMarquardt().withInitial(1.0));
        assertSameDenseRun(lm, GeneralizedLinearModel.of(Likelihoods.probit(), 60), batch, 3, 6);
        Batch dense = softmaxData(300, 6, 3, 5);
        NaturalGradient softmax = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(1.0))
                .withSolver(Solvers.cholesky()).withDamping(Damping.none()).withLineSearch(ArmijoLineSearch.liblinear());
        assertSameDenseRun(softmax, SoftmaxRegression.of(6, 3).withBias(), dense, 3, 8);
    }

    private static void assertSameDenseRun(NaturalGradient config, Model model, Batch batch, int shards, int steps) {
        Optimizer local = config.build(model);
        ShardedOptimizer sharded = config.build(InMemoryShards.split(model, batch, shards).withDenseCurvature());
        double[] a = new double[model.parameterCount()];
        double[] b = new double[model.parameterCount()];
        for (int s = 0; s < steps; s++) {
            StepReport ra = local.step(a, batch);
            StepReport rb = sharded.step(b);
            assertEquals(ra.solve().method(), rb.solve().method(), rb.toString()); // cholesky or eigen, no CG
            assertEquals(ra.loss(), rb.loss(), 1e-9 * Math.abs(ra.loss()), "objective at step " + s);
        }
        assertEquals(local.loss(a, batch), sharded.loss(b), 1e-9 * Math.abs(local.loss(a, batch)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fisher", "hessian", "empirical-fisher"})
    void summedMatrixIsTheKindsMatrixOnTheWholeBatch(String kindName) {
        Batch batch = SyntheticSparse.logistic(300, 40, 2000, 1.0, 17).batch();
        Model model = GeneralizedLinearModel.of(Likelihoods.probit(), 40).withBias();
        int d = model.parameterCount();
        double[] theta = new double[d];
        Random r = new Random(3);
        for (int j = 0; j < d; j++) {
            theta[j] = 0.2 * r.nextGaussian();
        }
        Curvature kind = Curvatures.byName(kindName, 1, 0);
        Linearization lin = model.linearize(theta, batch);
        double[] residual = new double[batch.rows()];
        model.likelihood().lossAndResidual(lin.outputs(), batch.y(), batch.rows(), residual);
        double[] whole = kind.copy().build(lin, batch, model.likelihood(), residual, 0.0, Solvers.cholesky()).toDense();
        InMemoryShards shards = InMemoryShards.split(model, batch, 5).withDenseCurvature();
        shards.lossAndGradient(theta, new double[d]);
        double[] summed = shards.curvatureMatrix(kind);
        // independent of the library's dense build: the matrix-free operator's columns C e_j
        CurvatureOperator op = kind.copy().operator(lin, batch, model.likelihood(), residual, 0.0);
        double[] e = new double[d];
        double[] column = new double[d];
        for (int j = 0; j < d; j++) {
            e[j] = 1;
            op.multiply(e, column);
            e[j] = 0;
            for (int i = 0; i < d; i++) {
                double expected = whole[i * d + j];
                assertEquals(expected, summed[i * d + j] / batch.rows(), 1e-12 * (1 + Math.abs(expected)),
                        "C[" + i + "][" + j + "]");
                assertEquals(column[i], summed[i * d + j] / batch.rows(), 1e-10 * (1 + Math.abs(column[i])),
                        "C e_j [" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void stateMovesBetweenTheLocalAndTheShardedOptimizer() {
        Batch batch = SyntheticSparse.logistic(300, 100, 2000, 1.0, 9).batch();
        Model model = GeneralizedLinearModel.logisticRegression(100);
        NaturalGradient config = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(1.0))
                .withSolver(Solvers.conjugateGradient()).withDamping(Damping.levenbergMarquardt().withInitial(1.0));
        ShardedOptimizer first = config.build(InMemoryShards.split(model, batch, 3));
        double[] theta = new double[100];
        for (int s = 0; s < 3; s++) {
            first.step(theta);
        }
        OptimizerState state = first.state();
        double[] resumedTheta = theta.clone();
        ShardedOptimizer resumed = config.build(InMemoryShards.split(model, batch, 3));
        resumed.restore(state);
        StepReport a = first.step(theta);
        StepReport b = resumed.step(resumedTheta);
        assertEquals(a.loss(), b.loss(), 0.0);
        assertEquals(a.damping(), b.damping(), 0.0);
        assertEquals(theta[5], resumedTheta[5], 0.0);
    }

    @Test
    void refusesADenseSolverAndASamplingKind() {
        Batch batch = SyntheticSparse.logistic(50, 20, 200, 1.0, 1).batch();
        Model model = GeneralizedLinearModel.logisticRegression(20);
        InMemoryShards shards = InMemoryShards.split(model, batch, 2);
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class,
                () -> NaturalGradient.of(Curvatures.fisher()).withSolver(Solvers.cholesky()).build(shards));
        assertTrue(dense.getMessage().contains("use the cg or auto solver"), dense.getMessage());
        IllegalArgumentException mc = assertThrows(IllegalArgumentException.class,
                () -> NaturalGradient.of(Curvatures.monteCarloFisher(1, 0)).withSolver(Solvers.conjugateGradient())
                        .build(shards));
        assertTrue(mc.getMessage().contains("use the exact fisher kind"), mc.getMessage());
        // the dense structure takes a direct solver, but not Woodbury (it needs the rows, not the summed matrix)
        NaturalGradient.of(Curvatures.fisher()).withSolver(Solvers.cholesky()).build(shards.withDenseCurvature());
        IllegalArgumentException woodbury = assertThrows(IllegalArgumentException.class,
                () -> NaturalGradient.of(Curvatures.fisher()).withSolver(Solvers.woodbury())
                        .build(shards.withDenseCurvature()));
        assertTrue(woodbury.getMessage().contains("cholesky, eigen, cg or auto"), woodbury.getMessage());
        UnsupportedOperationException matrixFree = assertThrows(UnsupportedOperationException.class,
                () -> shards.curvatureMatrix(Curvatures.fisher()));
        assertTrue(matrixFree.getMessage().contains("matrix-free"), matrixFree.getMessage());
    }
}
