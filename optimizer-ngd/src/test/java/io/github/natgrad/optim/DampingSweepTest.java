package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Optimizer;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.solve.Solvers;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A damping sweep against its definition: each run is the library optimizer with {@code Damping.fixed(λ)},
 * stepped one step at a time from θ₀ = 0, to a relative 1e-9 (dense designs use batched products, sparse ones the pair kernel) —
 * and it stops where the optimizer would (loss above the factor × initial loss, or C + λI not positive
 * definite).
 */
class DampingSweepTest {

    /** θ after {@code iterations} library steps, or null if a step was refused. */
    private static double[] reference(NaturalGradient config, double lambda, GeneralizedLinearModel model, Batch batch,
            int iterations) {
        Optimizer opt = config.withDamping(Damping.fixed(lambda)).build(model);
        double[] theta = new double[model.parameterCount()];
        for (int t = 0; t < iterations; t++) {
            try {
                opt.step(theta, batch);
            } catch (CurvatureNotPositiveDefiniteException e) {
                return null;
            }
        }
        return theta;
    }

    /**
     * Dense designs: the sweep advances its runs with batched products (one product for all runs' outputs,
     * gradients and curvatures), whose summation order differs from the one-run optimizer's, so a run equals
     * the optimizer's to a relative 1e-9 (the reproduction's requirement), not bit for bit; a run alone agrees
     * with the same run in a larger group to the same tolerance; and the same sweep always gives the same bits.
     */
    @Test
    void denseRunsAreTheOptimizersWhateverTheirGroup() {
        SyntheticGlm data = SyntheticGlm.logistic(300, 8, 5.0, 21);
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(8).withBias()
                .withLikelihood(Likelihoods.bernoulli(1e-8));
        double[] dampings = {1e-6, 1e-2, 1.0, 100.0};
        DampingSweep sweep = DampingSweep.of(model, data.batch());
        assertFalse(sweep.sparse());
        for (NaturalGradient config : new NaturalGradient[] {NaturalGradient.of(Curvatures.fisher()).withStepSize(0.7),
                NaturalGradient.of(Curvatures.empiricalFisher()).withStepSize(0.3).withPrior(L2Prior.ofVariance(2.0)),
                NaturalGradient.of(Curvatures.gaussNewton()).withSolver(Solvers.eigen())}) {
            DampingSweep.Run[] runs = sweep.run(config, dampings, 15, Double.POSITIVE_INFINITY, true);
            DampingSweep.Run[] again = sweep.run(config, dampings, 15, Double.POSITIVE_INFINITY, true);
            for (int s = 0; s < dampings.length; s++) {
                assertEquals(15, runs[s].iterations());
                assertFalse(runs[s].diverged());
                assertArrayEquals(runs[s].theta(), again[s].theta(), 0.0, "the same sweep, the same bits");
                assertClose(reference(config, dampings[s], model, data.batch(), 15), runs[s].theta(),
                        config + " lambda " + dampings[s]);
                DampingSweep.Run alone = sweep.run(config, new double[] {dampings[s]}, 15, Double.POSITIVE_INFINITY,
                        false)[0];
                assertClose(runs[s].theta(), alone.theta(), "a run alone");
                Optimizer opt = config.build(model);
                double loss = opt.loss(runs[s].theta(), data.batch());
                assertEquals(loss, runs[s].finalLoss(), 1e-12 * Math.abs(loss));
                assertEquals(runs[s].finalLoss(), alone.finalLoss(), 1e-9 * Math.abs(loss));
            }
        }
    }

    /**
     * Runs that differ in step size as well as damping advance in one sweep; each is the optimizer's run with
     * that step size and damping (to 1e-9), and runs that blow up stop where the optimizer's loss passes the
     * factor (the products then shrink to the active runs). A run alone gets the bits it gets among many
     * runs (single-threaded OpenBLAS), and the same sweep with curves recorded gives the same bits: the
     * reproduction re-runs a best run's sweep with curves and requires the grid's final loss exactly, and
     * {@code ablate} must give the reproduction's numbers.
     */
    @Test
    void runsWithTheirOwnStepSizesAreTheOptimizersAndDoNotDependOnTheirSweep() {
        SyntheticGlm data = SyntheticGlm.logistic(250, 7, 4.0, 8);
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(7).withBias()
                .withLikelihood(Likelihoods.bernoulli(1e-8));
        DampingSweep sweep = DampingSweep.of(model, data.batch());
        double[] lrs = {0.05, 1.0, 300.0};
        double[] lambdas = {1e-8, 1e-3, 1.0, 1e3};
        double[] etas = new double[lrs.length * lambdas.length];
        double[] all = new double[etas.length];
        for (int i = 0; i < lrs.length; i++) {
            for (int s = 0; s < lambdas.length; s++) {
                etas[i * lambdas.length + s] = lrs[i];
                all[i * lambdas.length + s] = lambdas[s];
            }
        }
        double factor = 3.0;
        int iterations = 12;
        for (NaturalGradient config : new NaturalGradient[] {NaturalGradient.of(Curvatures.fisher()),
                NaturalGradient.of(Curvatures.empiricalFisher())}) {
            DampingSweep.Run[] runs = sweep.run(config, etas, all, iterations, factor, false);
            DampingSweep.Run[] withCurves = sweep.run(config, etas, all, iterations, factor, true);
            int stopped = 0;
            for (int i = 0; i < lrs.length; i++) {
                for (int s = 0; s < lambdas.length; s++) {
                    DampingSweep.Run run = runs[i * lambdas.length + s];
                    String what = config + " lr " + lrs[i] + " lambda " + lambdas[s];
                    assertEquals(lrs[i], run.stepSize(), 0.0);
                    assertEquals(lambdas[s], run.damping(), 0.0);
                    DampingSweep.Run alone = sweep.run(config.withStepSize(lrs[i]), new double[] {lambdas[s]},
                            iterations, factor, false)[0];
                    assertEquals(alone.iterations(), run.iterations(), what);
                    assertEquals(alone.diverged(), run.diverged(), what);
                    // a run's rows of the batched products do not depend on the other runs (DenseDesign's own
                    // product kernel sums each row on its own): bit for bit
                    assertEquals(alone.finalLoss(), run.finalLoss(), 0.0, what + ": alone, bit for bit");
                    assertArrayEquals(alone.theta(), run.theta(), 0.0, what + ": alone, bit for bit");
                    DampingSweep.Run curve = withCurves[i * lambdas.length + s];
                    assertEquals(run.finalLoss(), curve.finalLoss(), 0.0, what + ": the same sweep with curves");
                    assertArrayEquals(run.theta(), curve.theta(), 0.0, what + ": the same sweep with curves");
                    assertEquals(run.iterations() + 1, curve.curve().length, what);
                    assertEquals(run.finalLoss(), curve.curve()[run.iterations()], 0.0, what);
                    // the optimizer's own run, one step at a time, with the sweep's stopping rule
                    Optimizer opt = config.withStepSize(lrs[i]).withDamping(Damping.fixed(lambdas[s])).build(model);
                    double[] theta = new double[model.parameterCount()];
                    double initial = opt.loss(theta, data.batch());
                    int t = 0;
                    boolean blewUp = false;
                    while (t < iterations) {
                        opt.step(theta, data.batch());
                        t++;
                        if (!(opt.loss(theta, data.batch()) <= factor * initial)) {
                            blewUp = true;
                            break;
                        }
                    }
                    assertEquals(blewUp, run.diverged(), what);
                    assertEquals(t, run.iterations(), what);
                    assertClose(theta, run.theta(), what);
                    stopped += run.diverged() ? 1 : 0;
                }
            }
            assertTrue(stopped > 0 && stopped < runs.length, "some runs stop early, some do not: " + stopped);
        }
    }

    @Test
    void stepSizesAreChecked() {
        SyntheticGlm data = SyntheticGlm.logistic(50, 3, 1.0, 1);
        DampingSweep sweep = DampingSweep.of(GeneralizedLinearModel.logisticRegression(3), data.batch());
        NaturalGradient config = NaturalGradient.of(Curvatures.fisher());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sweep.run(config, new double[] {0.1}, new double[] {1.0, 2.0}, 3, 10, false));
        assertTrue(e.getMessage().contains("1 step sizes for 2 dampings"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> sweep.run(config, new double[] {-0.1}, new double[] {1.0}, 3, 10, false));
        assertTrue(e.getMessage().contains("step sizes must be finite and positive"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> sweep.run(config, new double[] {Double.NaN}, new double[] {1.0}, 3, 10, false));
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-9 * Math.max(1, Math.abs(expected[j])), what + " theta[" + j + "]");
        }
    }

    @Test
    void aConstantFisherIsFactorisedOnceAndGivesTheOptimizersSteps() {
        SyntheticGlm data = SyntheticGlm.linear(200, 6, 10.0, 4);
        GeneralizedLinearModel model = GeneralizedLinearModel.linearRegression(6);
        NaturalGradient config = NaturalGradient.of(Curvatures.fisher()).withStepSize(0.5)
                .withPrior(L2Prior.ofVariance(4.0)).withSolver(Solvers.eigen());
        assertTrue(Curvatures.fisher().constantForLinearModel(model.likelihood()));
        assertFalse(Curvatures.empiricalFisher().constantForLinearModel(model.likelihood()));
        double[] dampings = {1e-8, 1e-3, 10.0};
        DampingSweep.Run[] runs = DampingSweep.of(model, data.batch()).run(config, dampings, 20, 100, false);
        for (int s = 0; s < dampings.length; s++) {
            double[] expected = reference(config, dampings[s], model, data.batch(), 20);
            // one decomposition at θ = 0 serves every iterate: equal to the per-step build up to rounding
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], runs[s].theta()[j], 1e-12 * Math.max(1, Math.abs(expected[j])), "lambda "
                        + dampings[s]);
            }
        }
    }

    @Test
    void sparseDesignsAgreeWithTheOptimizer() {
        Random random = new Random(5);
        int n = 400;
        int p = 50;
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                x[i * p + random.nextInt(p)] = 0.5 + random.nextDouble();
            }
            y[i] = random.nextBoolean() ? 1 : 0;
        }
        Batch batch = Batch.wrap(x, y, n, p);
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(p).withBias();
        DampingSweep sweep = DampingSweep.of(model, batch);
        assertTrue(sweep.sparse());
        double[] dampings = {1e-3, 1.0};
        for (NaturalGradient config : new NaturalGradient[] {NaturalGradient.of(Curvatures.fisher()),
                NaturalGradient.of(Curvatures.empiricalFisher()).withStepSize(0.5),
                NaturalGradient.of(Curvatures.monteCarloFisher(2, 3))}) {
            DampingSweep.Run[] runs = sweep.run(config, dampings, 10, 100, false);
            for (int s = 0; s < dampings.length; s++) {
                double[] expected = reference(config, dampings[s], model, batch, 10);
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], runs[s].theta()[j], 1e-9 * Math.max(1, Math.abs(expected[j])),
                            config + " lambda " + dampings[s] + " theta[" + j + "]");
                }
            }
        }
    }

    /**
     * Runs whose weights equal another's (all runs at θ₀, runs whose step sizes are too small to move the
     * weights, saturated runs) share one curvature and, on LAPACK's path, its factor per damping: the
     * results must be those of the sweep that computes every curvature itself, bit for bit. Step sizes
     * 1e-20 (every weight stays at its θ₀ value, so curvatures are remembered and read back), 1e-3, 1 and
     * 1e6 (predictions saturate at the clipped likelihood's bounds); D = 51 takes the sparse path with the
     * batched Cholesky and its kept factors, D = 141 the sparse path with LAPACK's factorisation, D = 9 the
     * dense path with the batched Cholesky.
     */
    @Test
    void sharedCurvaturesChangeNoBit() {
        DampingSweep sparse = binarySparseSweep(50);
        DampingSweep wide = binarySparseSweep(140);
        SyntheticGlm data = SyntheticGlm.logistic(200, 8, 5.0, 3);
        GeneralizedLinearModel denseModel = GeneralizedLinearModel.logisticRegression(8).withBias()
                .withLikelihood(Likelihoods.bernoulli(1e-8));
        DampingSweep dense = DampingSweep.of(denseModel, data.batch());
        assertFalse(dense.sparse());
        double[] etas = {1e-20, 1e-3, 1.0, 1e6};
        double[] lambdas = {1e-8, 1e-3, 1.0, 1e4};
        double[] stepSizes = new double[etas.length * lambdas.length];
        double[] dampings = new double[stepSizes.length];
        for (int i = 0; i < etas.length; i++) {
            for (int j = 0; j < lambdas.length; j++) {
                stepSizes[i * lambdas.length + j] = etas[i];
                dampings[i * lambdas.length + j] = lambdas[j];
            }
        }
        for (DampingSweep sweep : new DampingSweep[] {sparse, wide, dense}) {
            for (NaturalGradient config : new NaturalGradient[] {NaturalGradient.of(Curvatures.fisher()),
                    NaturalGradient.of(Curvatures.empiricalFisher())}) {
                DampingSweep.Run[] on = sweep.run(config, stepSizes, dampings, 30, 100, false, true, true);
                DampingSweep.Run[] off = sweep.run(config, stepSizes, dampings, 30, 100, false, false, true);
                for (int s = 0; s < on.length; s++) {
                    String run = (sweep.sparse() ? "sparse " : "dense ") + config + " eta " + stepSizes[s]
                            + " lambda " + dampings[s];
                    assertArrayEquals(off[s].theta(), on[s].theta(), run);
                    assertEquals(off[s].finalLoss(), on[s].finalLoss(), 0.0, run);
                    assertEquals(off[s].iterations(), on[s].iterations(), run);
                    assertEquals(off[s].diverged(), on[s].diverged(), run);
                }
            }
        }
    }

    /** A logistic sweep on 300 binary rows of p features, 5 set per row (as a1a), with a bias: the sparse path. */
    private static DampingSweep binarySparseSweep(int p) {
        Random random = new Random(11);
        int n = 300;
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 5; k++) {
                x[i * p + random.nextInt(p)] = 1.0;
            }
            y[i] = random.nextBoolean() ? 1 : 0;
        }
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(p).withBias()
                .withLikelihood(Likelihoods.bernoulli(1e-8));
        DampingSweep sweep = DampingSweep.of(model, Batch.wrap(x, y, n, p));
        assertTrue(sweep.sparse());
        return sweep;
    }

    @Test
    void aRunStopsWhereTheOptimizerWouldAndBadInputIsRefused() {
        SyntheticGlm data = SyntheticGlm.linear(100, 3, 1.0, 9);
        GeneralizedLinearModel model = GeneralizedLinearModel.linearRegression(3);
        DampingSweep sweep = DampingSweep.of(model, data.batch());
        DampingSweep.Run gd = sweep.run(NaturalGradient.gradientDescent(50.0), new double[] {0.0}, 100, 100, true)[0];
        assertTrue(gd.diverged());
        assertTrue(gd.iterations() > 0 && gd.iterations() < 100);
        assertTrue(gd.finalLoss() > 100 * gd.curve()[0]);
        assertEquals(gd.iterations() + 1, gd.curve().length);
        // C = 0 (all-zero inputs) with λ = 0 cannot be factorised: the run stops there, counted as diverged
        Batch twoRows = Batch.of(new double[][] {{0, 0, 0}, {0, 0, 0}}, new double[] {1, 2});
        DampingSweep.Run refused = DampingSweep.of(model, twoRows)
                .run(NaturalGradient.of(Curvatures.hessian()), new double[] {0.0}, 5, 100, false)[0];
        assertTrue(refused.diverged());
        assertEquals(0, refused.iterations());
        assertThrows(IllegalArgumentException.class, () -> sweep.run(NaturalGradient.of(Curvatures.fisher()),
                new double[] {-1.0}, 5, 100, false));
        assertThrows(IllegalArgumentException.class, () -> sweep.run(NaturalGradient.of(Curvatures.fisher()),
                new double[0], 5, 100, false));
        assertThrows(IllegalArgumentException.class, () -> DampingSweep.of(GeneralizedLinearModel.linearRegression(4),
                data.batch()));
    }

    /**
     * A sweep honours every option of the configuration it runs or refuses it by name: a line search and step
     * rejection evaluate the loss at trial points, which a sweep's fixed-step runs do not.
     */
    @Test
    void optionsASweepCannotHonourAreRefusedByName() {
        SyntheticGlm data = SyntheticGlm.logistic(50, 3, 1.0, 4);
        DampingSweep sweep = DampingSweep.of(GeneralizedLinearModel.logisticRegression(3), data.batch());
        NaturalGradient fisher = NaturalGradient.of(Curvatures.fisher());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sweep.run(
                fisher.withLineSearch(new ArmijoLineSearch(1e-4, 0.5, 10)), new double[] {1.0}, 5, 100, false));
        assertTrue(e.getMessage().contains("line search"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sweep.run(fisher.withStepRejection(3),
                new double[] {1.0}, new double[] {1.0}, 5, 100, false));
        assertTrue(e.getMessage().contains("step rejection"), e.getMessage());
        assertEquals(1, sweep.run(fisher, new double[] {1.0}, 5, 100, false).length);
    }

    /**
     * Dominant dampings (λ ≫ ‖C‖) take the series of {@code solve.NeumannSeries} instead of the Cholesky
     * solve, on dense and sparse designs: their runs agree with the Cholesky solve's (the sweep with the series
     * off) to a relative 1e-13 after 20 steps, and with the one-run optimizer to 1e-9 as every run does; they
     * differ in some bits (so the series ran); the runs with small dampings keep their bits; and a run alone
     * gets the bits it gets among the others.
     */
    @Test
    void dominantDampingsTakeTheSeriesAndAgreeWithCholeskyToRounding() {
        SyntheticGlm dense = SyntheticGlm.logistic(300, 8, 2.0, 31);
        GeneralizedLinearModel denseModel = GeneralizedLinearModel.logisticRegression(8).withBias()
                .withLikelihood(Likelihoods.bernoulli(1e-8));
        Random random = new Random(7);
        int n = 300;
        int p = 50;
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                x[i * p + random.nextInt(p)] = 0.5 + random.nextDouble();
            }
            y[i] = random.nextBoolean() ? 1 : 0;
        }
        Batch sparseBatch = Batch.wrap(x, y, n, p);
        GeneralizedLinearModel sparseModel = GeneralizedLinearModel.logisticRegression(p).withBias();
        double[] lambdas = {1e-3, 1.0, 1e5, 1e8, 1e12};
        double[] etas = {0.5, 1e3, 1e4};
        double[] stepSizes = new double[etas.length * lambdas.length];
        double[] dampings = new double[stepSizes.length];
        for (int i = 0; i < etas.length; i++) {
            for (int j = 0; j < lambdas.length; j++) {
                stepSizes[i * lambdas.length + j] = etas[i];
                dampings[i * lambdas.length + j] = lambdas[j];
            }
        }
        for (boolean isSparse : new boolean[] {false, true}) {
            GeneralizedLinearModel model = isSparse ? sparseModel : denseModel;
            Batch batch = isSparse ? sparseBatch : dense.batch();
            DampingSweep sweep = DampingSweep.of(model, batch);
            assertEquals(isSparse, sweep.sparse());
            for (NaturalGradient config : new NaturalGradient[] {NaturalGradient.of(Curvatures.fisher()),
                    NaturalGradient.of(Curvatures.empiricalFisher()).withPrior(L2Prior.ofVariance(10.0))}) {
                DampingSweep.Run[] series = sweep.run(config, stepSizes, dampings, 20, 100, false, true, true);
                DampingSweep.Run[] cholesky = sweep.run(config, stepSizes, dampings, 20, 100, false, true, false);
                int differ = 0;
                for (int r = 0; r < series.length; r++) {
                    String run = (isSparse ? "sparse " : "dense ") + config + " eta " + stepSizes[r] + " lambda "
                            + dampings[r];
                    assertEquals(cholesky[r].diverged(), series[r].diverged(), run);
                    double[] a = series[r].theta();
                    double[] b = cholesky[r].theta();
                    if (dampings[r] >= 1e5) { // small steps (η/λ ≤ 0.1): no run diverges
                        assertFalse(series[r].diverged(), run);
                        double scale = Arrays.stream(b).map(Math::abs).max().orElseThrow();
                        assertArrayEquals(b, a, 1e-13 * scale, run);
                    }
                    if (!Arrays.equals(a, b)) {
                        differ++;
                    }
                    if (dampings[r] <= 1e-3) {
                        assertArrayEquals(b, a, 0.0, "not dominant: the Cholesky bits, " + run);
                    }
                    if (dampings[r] >= 1e8 && stepSizes[r] == 1e4) {
                        assertClose(reference(config.withStepSize(stepSizes[r]), dampings[r], model, batch, 20), a,
                                run);
                        DampingSweep.Run[] alone = sweep.run(config, new double[] {stepSizes[r]},
                                new double[] {dampings[r]}, 20, 100, false, true, true);
                        assertArrayEquals(a, alone[0].theta(), 0.0, "a run alone, " + run);
                    }
                }
                assertTrue(differ > 0, "the series ran for some dominant damping");
            }
        }
    }
}
