package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.GramBuilder;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A library leaves the process as it found it: ND4J's default data type and the OpenBLAS thread count are
 * the same after natgrad's entry points as before, and two optimizers stepping at the same time in two
 * threads give the same bits as the same optimizers run one after the other, on both Gram paths (the SIMD
 * kernel for D ≤ {@value GramBuilder#MAX_SIMD_DIMENSION} when it is on, OpenBLAS {@code dsyrk} above).
 */
class NoSideEffectsTest {

    @Test
    void batchAndInd4jStepLeaveTheDefaultDataTypeAndTheBlasThreadsAlone() {
        DataType before = Nd4j.defaultFloatingPointType();
        int threads = Blas.threads();
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {3, 2}, 'c');
        INDArray y = Nd4j.create(new float[] {0, 1, 1}, new long[] {3}, 'c');
        assertEquals(DataType.FLOAT, x.dataType());
        Batch batch = Batch.of(x, y);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, batch.x(), 0.0, "float inputs converted locally");
        assertEquals(DataType.DOUBLE, batch.features().dataType());
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.fixed(1e-2))
                .build(GeneralizedLinearModel.logisticRegression(2));
        INDArray theta = Nd4j.zeros(DataType.DOUBLE, 2);
        assertTrue(opt.step(theta, batch).stepped());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.step(Nd4j.zeros(DataType.FLOAT, 2), batch));
        assertTrue(e.getMessage().contains("DOUBLE"), e.getMessage());
        assertEquals(before, Nd4j.defaultFloatingPointType(), "ND4J's default data type was changed");
        assertEquals(threads, Blas.threads(), "the OpenBLAS thread count was changed");
    }

    /** Two runs of {@code steps} steps each; returns θ after every step, run-major. */
    private static double[][] twoRuns(int n, int p, int steps, boolean concurrently) throws Exception {
        SyntheticGlm[] data = {SyntheticGlm.logistic(n, p, 3.0, 11), SyntheticGlm.logistic(n, p, 5.0, 12)};
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(p).withBias();
        double[][] out = new double[2][];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(concurrently ? 2 : 1);
            Future<?>[] futures = new Future<?>[2];
            for (int r = 0; r < 2; r++) {
                int run = r;
                java.util.concurrent.Callable<double[]> job = () -> {
                    Optimizer opt = NaturalGradient.of(run == 0 ? Curvatures.fisher() : Curvatures.empiricalFisher())
                            .withStepSize(0.5).withDamping(Damping.fixed(1e-3)).build(model);
                    double[] theta = new double[model.parameterCount()];
                    double[] trace = new double[steps * theta.length];
                    start.await();
                    for (int t = 0; t < steps; t++) {
                        opt.step(theta, data[run].batch());
                        System.arraycopy(theta, 0, trace, t * theta.length, theta.length);
                    }
                    return trace;
                };
                if (concurrently) {
                    futures[r] = pool.submit(job);
                } else {
                    out[r] = pool.submit(job).get();
                }
            }
            if (concurrently) {
                for (int r = 0; r < 2; r++) {
                    out[r] = (double[]) futures[r].get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    @ParameterizedTest(name = "p = {0}")
    @ValueSource(ints = {30, GramBuilder.MAX_SIMD_DIMENSION + 40})
    void twoOptimizersInTwoThreadsGiveTheBitsOfOneAfterTheOther(int p) throws Exception {
        int n = p < GramBuilder.MAX_SIMD_DIMENSION ? 400 : 700;
        int steps = p < GramBuilder.MAX_SIMD_DIMENSION ? 20 : 3;
        assertTrue(p + 1 <= GramBuilder.MAX_SIMD_DIMENSION || !GramBuilder.usesSimd(p + 1), "the dsyrk path");
        int threads = Blas.threads();
        double[][] sequential = twoRuns(n, p, steps, false);
        for (int repeat = 0; repeat < 2; repeat++) {
            double[][] parallel = twoRuns(n, p, steps, true);
            for (int r = 0; r < 2; r++) {
                assertArrayEquals(sequential[r], parallel[r], 0.0, "run " + r + ", p = " + p + ", repeat " + repeat);
            }
        }
        assertEquals(threads, Blas.threads(), "the OpenBLAS thread count was changed");
    }
}
