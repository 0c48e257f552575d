package io.github.natgrad.bench.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.bench.ablate.GridPath;
import io.github.natgrad.datasets.NamedDataset;
import io.github.natgrad.optim.DampingSweep;
import io.github.natgrad.bench.problems.PaperProblems;
import io.github.natgrad.bench.problems.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The grid path of the study engine ({@link GridPath}: the library's {@code DampingSweep}, runs advanced together) against the plain
 * one-run-at-a-time definition (the library's optimizer, run by {@link ReferenceRunner}) on small grids:
 * same iterations and divergence flags, and every loss of every curve within a relative 1e-9, the
 * reproduction's requirement (the sweep advances its runs with batched products, one {@code dgemm} for
 * all runs' outputs, gradients and curvatures, which sum in another order than the optimizer's one-run
 * kernels, and whose order depends on how many runs share the sweep: so neither the optimizer's bits nor
 * a run's bits alone are required, only agreement to 1e-9; step sizes above 1 take steps longer than the damped
 * Newton step, so each iteration amplifies the rounding differences: there, only on linear problems where
 * such runs diverge within a few steps, the tolerance is 1e-6). A loss that is not finite must be not finite in both, and nowhere is the tolerance taken
 * relative to an infinite value.
 */
class GridPathTest {
    static final double TOLERANCE = 1e-9;
    static final double UNSTABLE_TOLERANCE = 1e-6;
    static final double[] STEP_SIZES = {1e-3, 0.1, 1.0};
    static final double[] LINEAR_STEP_SIZES = {1e-3, 0.1, 1.0, 1e3};
    static final double[] DAMPINGS = {1e-4, 1e-2, 1.0, 1e4};

    /** a and b equal within a relative {@code tolerance}, or both not finite (the same non-finite class). */
    static void assertClose(double a, double b, double tolerance, String what) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            assertEquals(Double.isNaN(a), Double.isNaN(b), what + ": " + a + " vs " + b);
            assertEquals(a, b, 0.0, what + ": a non-finite loss must be the same in both");
            return;
        }
        assertEquals(a, b, tolerance * Math.max(Math.abs(a), Math.abs(b)), what);
    }

    /** One method at one step size for every damping (gradient descent: once, damping 0) through the grid path. */
    static RunResult[] run(GridPath engine, Method method, double lr, double[] dampings, int iterations, boolean curves) {
        double[] lambdas = method.damped() ? dampings : new double[] {0.0};
        double[] etas = new double[lambdas.length];
        java.util.Arrays.fill(etas, lr);
        String kind = switch (method) {
            case GD -> "gd";
            case NGD -> "fisher";
            case EFGD -> "empirical-fisher";
        };
        DampingSweep.Run[] runs = engine.run(kind, etas, lambdas, iterations, curves);
        RunResult[] out = new RunResult[runs.length];
        for (int k = 0; k < runs.length; k++) {
            out[k] = new RunResult(runs[k].iterations(), runs[k].finalLoss(), runs[k].diverged(), runs[k].curve());
        }
        return out;
    }

    static GridPath assertSameAsReference(Problem problem, double[] stepSizes, double[] dampings, int iterations) {
        GridPath engine = new GridPath(problem);
        // the sweep's batched products (one dgemm for all runs) sum in another order than the optimizer's
        // one-run kernels, on dense and sparse designs alike: equal up to rounding
        double tolerance = TOLERANCE;
        double unstable = UNSTABLE_TOLERANCE;
        for (Method method : Method.values()) {
            for (double lr : stepSizes) {
                RunResult[] fast = run(engine, method, lr, dampings, iterations, true);
                RunResult[] lean = run(engine, method, lr, dampings, iterations, false);
                for (int s = 0; s < fast.length; s++) {
                    RunResult ref = ReferenceRunner.run(problem, method, lr, dampings[s], iterations);
                    String what = problem.name() + " " + method + " lr " + lr + " damping " + dampings[s];
                    assertEquals(ref.diverged(), fast[s].diverged(), what);
                    assertEquals(ref.iterations(), fast[s].iterations(), what);
                    // without curves the engine skips losses it does not need, but takes the same steps
                    assertEquals(fast[s].iterations(), lean[s].iterations(), what);
                    assertEquals(fast[s].diverged(), lean[s].diverged(), what);
                    assertEquals(fast[s].finalLoss(), lean[s].finalLoss(), 0.0, what);
                    if (method.damped() && s == 1) { // a run alone: the same run, up to rounding
                        RunResult alone = run(engine, method, lr, new double[] {dampings[s]}, iterations, false)[0];
                        assertEquals(lean[s].iterations(), alone.iterations(), what + " alone");
                        assertClose(lean[s].finalLoss(), alone.finalLoss(), lr <= 1 ? tolerance : unstable,
                                what + " alone");
                    }
                    assertEquals(ref.curve().length, fast[s].curve().length, what);
                    for (int t = 0; t < ref.curve().length; t++) {
                        assertClose(ref.curve()[t], fast[s].curve()[t], lr <= 1 ? tolerance : unstable,
                                what + " iteration " + t);
                    }
                    assertClose(ref.finalLoss(), lean[s].finalLoss(), lr <= 1 ? tolerance : unstable,
                            what + " final loss without curves");
                }
            }
        }
        return engine;
    }

    @Test
    void denseLogisticMatchesTheLibrary() {
        GridPath engine = assertSameAsReference(
                PaperProblems.misspecLogistic(PaperProblems.Variant.MISSPECIFIED_MODEL, 3), STEP_SIZES, DAMPINGS, 30);
        assertFalse(engine.sparse());
    }

    @Test
    void linearWithPriorMatchesTheLibraryAndDiverges() {
        Problem p = PaperProblems.misspecLinear(PaperProblems.Variant.MISSPECIFIED_NOISE, 4);
        assertSameAsReference(p, LINEAR_STEP_SIZES, DAMPINGS, 30);
        // a huge step size diverges: stopped early, flagged, and its last loss exceeds 100 x the initial loss
        RunResult gd = run(new GridPath(p), Method.GD, 1e3, DAMPINGS, 100, true)[0];
        assertTrue(gd.diverged());
        assertTrue(gd.iterations() < 100 && gd.iterations() > 0, "stopped at " + gd.iterations());
        assertTrue(gd.finalLoss() > Grid.DIVERGENCE_FACTOR * gd.initialLoss());
        for (int t = 0; t < gd.iterations(); t++) {
            assertTrue(gd.curve()[t] <= Grid.DIVERGENCE_FACTOR * gd.initialLoss());
        }
        RunResult small = run(new GridPath(p), Method.GD, 1e-2, DAMPINGS, 100, true)[0];
        assertFalse(small.diverged());
        assertEquals(100, small.iterations());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void sparseLogisticWithBiasMatchesTheLibrary(boolean binary) {
        // a1a-like: binary (or real) features, few set per row, bias appended
        Random random = new Random(7);
        int n = 300;
        int p = 40;
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 5; k++) {
                x[i * p + random.nextInt(p)] = binary ? 1.0 : 0.5 + random.nextDouble();
            }
            y[i] = random.nextBoolean() ? 1 : 0;
        }
        Problem problem = new Problem("sparse", Batch.wrap(x, y, n, p), true, true, 0);
        assertTrue(new GridPath(problem).sparse());
        assertSameAsReference(problem, STEP_SIZES, DAMPINGS, 20);
    }

    @Test
    void realDatasetsMatchTheLibrary() {
        Path data = io.github.natgrad.datasets.TestData.dataDir("the real-data check");
        double[] lrs = {1e-6, 1e-2, 1.0};
        double[] dampings = {1e-3, 1.0, 1e5};
        assertSameAsReference(PaperProblems.named(NamedDataset.BREAST_CANCER, data), lrs, dampings, 10);
        assertSameAsReference(PaperProblems.named(NamedDataset.WINE, data), lrs, dampings, 10);
        assertSameAsReference(PaperProblems.named(NamedDataset.A1A, data), lrs, dampings, 10);
    }
}
