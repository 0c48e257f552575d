package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.linalg.DenseDesign;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The runs in lanes ({@link DenseDesign.RunLanes}, designs of D ≤ 5) change no bit: every run's θ, final
 * loss, iterations, divergence and curve equal, bit for bit, those of the same sweep with the runs in rows
 * (the products of {@link DenseDesign.Workspace}), for the Fisher and the empirical Fisher, with and without
 * clipping, a prior and curves, over step sizes from too small to move anything to diverging ones (so runs
 * stop at different iterations and the active runs shrink), and with a run count that is not a multiple
 * of the lanes or of the chunk.
 */
class DampingSweepLanesTest {

    private static Batch problem(int n, int p, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextBoolean() ? 1 : 0;
            for (int j = 0; j < p; j++) {
                x[i * p + j] = (y[i] == 1 ? 1.0 : -1.0) + 2 * random.nextGaussian();
            }
        }
        return Batch.wrap(x, y, n, p);
    }

    @Test
    void lanesGiveTheBitsOfTheRowsPath() {
        double[] etas = {1e-20, 0.1, 1.0, 10.0, 1e3};
        double[] lambdas = {0.0, 1e-10, 1e-4, 0.1, 1.0, 10.0, 1e4};
        double[] stepSizes = new double[etas.length * lambdas.length];
        double[] dampings = new double[stepSizes.length];
        for (int i = 0; i < etas.length; i++) {
            for (int j = 0; j < lambdas.length; j++) {
                stepSizes[i * lambdas.length + j] = etas[i];
                dampings[i * lambdas.length + j] = lambdas[j];
            }
        }
        int compared = 0;
        for (int[] shape : new int[][] {{500, 2, 0}, {133, 1, 1}, {97, 4, 1}}) {
            for (double clip : new double[] {0.0, 1e-8}) {
                GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(shape[1]);
                model = (shape[2] == 1 ? model.withBias() : model).withLikelihood(Likelihoods.bernoulli(clip));
                DampingSweep sweep = DampingSweep.of(model, problem(shape[0], shape[1], 17 + shape[0]));
                for (NaturalGradient base : new NaturalGradient[] {NaturalGradient.of(Curvatures.fisher()),
                        NaturalGradient.of(Curvatures.empiricalFisher()),
                        NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(0.1))}) {
                    for (boolean curves : new boolean[] {false, true}) {
                        DampingSweep.Run[] lanes = sweep.run(base, stepSizes, dampings, 20, 100, curves, true, false,
                                true);
                        DampingSweep.Run[] rows = sweep.run(base, stepSizes, dampings, 20, 100, curves, true, false,
                                false);
                        for (int s = 0; s < rows.length; s++) {
                            String run = shape[0] + "x" + shape[1] + " clip " + clip + " " + base + " curves " + curves
                                    + " eta " + stepSizes[s] + " lambda " + dampings[s];
                            assertArrayEquals(rows[s].theta(), lanes[s].theta(), run);
                            assertArrayEquals(rows[s].curve(), lanes[s].curve(), run);
                            assertEquals(rows[s].finalLoss(), lanes[s].finalLoss(), 0.0, run);
                            assertEquals(rows[s].iterations(), lanes[s].iterations(), run);
                            assertEquals(rows[s].diverged(), lanes[s].diverged(), run);
                            compared++;
                        }
                    }
                }
            }
        }
        assertEquals(3 * 2 * 3 * 2 * stepSizes.length, compared);
    }

    @Test
    void smallDesignsHaveLanesAndWideOnesDoNot() {
        double[] y = new double[10];
        DenseDesign small = DenseDesign.of(new double[10 * 5], 10, 5, true);
        DenseDesign wide = DenseDesign.of(new double[10 * 6], 10, 6, true);
        assertTrue(small.hasRunLanes());
        assertTrue(small.runLanes(41, y).isPresent());
        assertTrue(wide.runLanes(41, y).isEmpty());
        assertTrue(DenseDesign.of(new double[10 * 2], 10, 2, false).runLanes(41, y).isEmpty());
    }
}
