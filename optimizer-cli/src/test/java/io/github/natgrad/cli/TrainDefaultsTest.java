package io.github.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.CsrMatrix;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.training.GlmTrainer;
import io.github.natgrad.training.TrainSpec;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command's defaults are the library's {@code TrainSpec} defaults; and the library's builder for train's defaults,
 * {@code NaturalGradient.trustRegionNewton(fisher).withPrior(σ² = C)},
 * is the configuration {@code natgrad train} builds when given no tuning option: the same steps, bit for bit, and
 * the same CG products, on a sparse problem large enough that the auto solver picks CG and on a dense-sized one
 * where it factorises.
 */
class TrainDefaultsTest {
    /** {@code natgrad train} with only the required options is the library's {@code TrainSpec.builder()} as is. */
    @Test
    void theCommandsDefaultsAreTheLibrarysTrainSpecDefaults() {
        for (String model : new String[] {"linear", "logistic", "softmax"}) {
            CommandLine cl = Main.trainCommandLine();
            cl.parseArgs("train", "--model", model, "--data", "a.libsvm", "--out", "out");
            TrainCommand command = cl.getSubcommands().get("train").getCommand();
            assertEquals(TrainSpec.builder().model(model).data(Path.of("a.libsvm")).out(Path.of("out")).build(),
                    command.glmSpec(Path.of("a.libsvm")), model);
        }
    }

    @Test
    void trustRegionNewtonIsTrainsDefaultStepForStep() {
        for (int p : new int[] {40, 3000}) {
            Batch batch = problem(600, p, 17);
            CommandLine cl = Main.trainCommandLine();
            cl.parseArgs("train", "--model", "logistic", "--data", "unused.libsvm", "--out", "unused");
            TrainCommand command = cl.getSubcommands().get("train").getCommand();
            TrainSpec spec = command.glmSpec(Path.of("unused.libsvm"));
            Model model = GlmTrainer.model("logistic", false, p, 2, "test");
            Optimizer cli = GlmTrainer.configuration(spec, batch.rows()).build(model);
            Optimizer library = NaturalGradient.trustRegionNewton(Curvatures.fisher())
                    .withPrior(L2Prior.ofVariance(1.0)).build(model);
            double[] a = new double[p];
            double[] b = new double[p];
            long products = 0;
            for (int step = 0; step < 6; step++) {
                StepReport ra = cli.step(a, batch);
                StepReport rb = library.step(b, batch);
                assertArrayEquals(a, b, "p = " + p + ", step " + step);
                assertEquals(ra.solve().products(), rb.solve().products(), "p = " + p + ", step " + step);
                assertEquals(ra.loss(), rb.loss(), 0.0);
                products += ra.solve().products();
            }
            assertTrue(products > 0);
        }
    }

    /** A seeded sparse two-class problem: about 10 entries per row. */
    private static Batch problem(int n, int p, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int perRow = Math.min(10, p);
        int[] start = new int[n + 1];
        int[] col = new int[n * perRow];
        double[] val = new double[n * perRow];
        double[] y = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int j = -1;
            double f = 0;
            for (int e = 0; e < perRow; e++) {
                j += 1 + r.nextInt(Math.max(1, (p - j - 1) / (perRow - e)));
                if (j >= p) {
                    break;
                }
                col[k] = j;
                val[k] = r.nextGaussian();
                f += val[k] * ((j % 7) - 3) / 3.0;
                k++;
            }
            start[i + 1] = k;
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-f)) ? 1 : 0;
        }
        return Batch.of(CsrMatrix.of(n, p, start, java.util.Arrays.copyOf(col, k), java.util.Arrays.copyOf(val, k)), y);
    }
}
