package io.github.natgrad.layerwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.RandomData;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepEvent;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.solve.Solvers;
import io.github.natgrad.training.StateFiles;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layer-wise structures against dense references built independently: the exact Fisher from natgrad's
 * per-example Jacobian path, and A ⊗ G assembled from a plain-Java forward pass and per-example Jacobian rows.
 */
class LayerwiseCurvatureTest {

    private static Batch batch(Model model, int n, long seed) {
        return RandomData.labelled(model, n, seed);
    }

    private static double[] random(int d, long seed) {
        return RandomData.gaussian(d, seed, 1.0);
    }

    /** The dense Fisher (1/N) Σ J_iᵀ Λ_i J_i at θ from the dense curvature kind. */
    private static double[] denseFisher(Model model, double[] theta, Batch b) {
        Linearization lin = model.linearize(theta, b);
        int n = b.rows();
        int k = model.likelihood().outputsPerExample();
        double[] residual = new double[n * k];
        model.likelihood().lossAndResidual(lin.outputs(), b.y(), n, residual);
        CurvatureSystem s = Curvatures.fisher().copy().build(lin, b, model.likelihood(), residual, 0.0,
                Solvers.cholesky());
        return s.toDense();
    }

    /** The estimate F̂ after one step at θ (θ is not changed: the step runs on a copy). */
    private static LayerwiseOptimizer estimated(LayerwiseNaturalGradient config, Model model, double[] theta, Batch b) {
        LayerwiseOptimizer opt = (LayerwiseOptimizer) config.build(model);
        opt.step(theta.clone(), b);
        return opt;
    }

    private static double[] product(LayerwiseOptimizer opt, double[] v) {
        double[] out = new double[v.length];
        opt.curvatureProduct(v, out);
        return out;
    }

    private static double[] multiply(double[] m, double[] v) {
        int d = v.length;
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += m[i * d + j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    private static final LayerwiseNaturalGradient EXACT = LayerwiseNaturalGradient.kfac()
            .withCurvature(Curvatures.fisher());

    @Test
    void kfacIsTheExactFisherForOneLayerAndOneExample() {
        MultilayerPerceptron softmax = MultilayerPerceptron.of(4, Likelihoods.categorical(3));
        double[] theta = random(softmax.parameterCount(), 1);
        Batch one = batch(softmax, 1, 2);
        double[] fisher = denseFisher(softmax, theta, one);
        LayerwiseOptimizer kfac = estimated(EXACT, softmax, theta, one);
        for (long s = 10; s < 15; s++) {
            double[] v = random(theta.length, s);
            assertArrayEquals(multiply(fisher, v), product(kfac, v), 1e-12);
        }
        // with two examples E[a aᵀ ⊗ g gᵀ] ≠ E[a aᵀ] ⊗ E[g gᵀ]: K-FAC is an approximation there
        Batch two = batch(softmax, 2, 3);
        double[] fisher2 = denseFisher(softmax, theta, two);
        double[] v = random(theta.length, 20);
        double[] exact = multiply(fisher2, v);
        double[] approx = product(estimated(EXACT, softmax, theta, two), v);
        double gap = 0;
        for (int i = 0; i < v.length; i++) {
            gap = Math.max(gap, Math.abs(exact[i] - approx[i]));
        }
        assertTrue(gap > 1e-3, "K-FAC should differ from the Fisher for two examples, gap " + gap);
    }

    /** (A ⊗ G) v assembled densely: A from a plain-Java forward pass, G from per-example Jacobian rows. */
    @Test
    void kroneckerProductEqualsDenseAKroneckerGOnASmallNetwork() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4, 5);
        int n = 6;
        int k = 3;
        double[] theta = random(mlp.parameterCount(), 4);
        Batch b = batch(mlp, n, 5);
        int[] sizes = {3, 4, 5, 3};
        // plain-Java forward pass: inputs of every layer
        double[][] inputs = new double[3][];
        inputs[0] = b.x();
        for (int l = 0; l < 2; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int w = mlp.weightOffset(l);
            double[] h = new double[n * out];
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) {
                    double s = theta[w + out * in + o];
                    for (int j = 0; j < in; j++) {
                        s += theta[w + o * in + j] * inputs[l][i * in + j];
                    }
                    h[i * out + o] = Math.tanh(s);
                }
            }
            inputs[l + 1] = h;
        }
        // per-example Jacobian rows B_iᵀ J_i with the Fisher factor: the bias entries are the gradients g
        Linearization lin = mlp.linearize(theta, b);
        double[] factor = new double[n * k * k];
        mlp.likelihood().fisherFactor(lin.outputs(), n, factor);
        int d = mlp.parameterCount();
        DoubleBuffer rows = Blas.allocate((long) n * k * d);
        lin.jacobianRows(0, n, factor, k, rows);
        double[] expected = new double[d];
        double[] v = random(d, 6);
        for (int l = 0; l < 3; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int p = in + 1;
            int w = mlp.weightOffset(l);
            double[] a = new double[p * p];
            double[] g = new double[out * out];
            for (int i = 0; i < n; i++) {
                for (int x = 0; x < p; x++) {
                    for (int y = 0; y < p; y++) {
                        double ax = x < in ? inputs[l][i * in + x] : 1.0;
                        double ay = y < in ? inputs[l][i * in + y] : 1.0;
                        a[x * p + y] += ax * ay / n;
                    }
                }
                for (int c = 0; c < k; c++) {
                    int row = (i * k + c) * d + w + out * in;
                    for (int x = 0; x < out; x++) {
                        for (int y = 0; y < out; y++) {
                            g[x * out + y] += rows.get(row + x) * rows.get(row + y) / n;
                        }
                    }
                }
            }
            // θ index of entry (o, j) of [W | b]
            java.util.function.IntBinaryOperator index = (o, j) -> j < in ? w + o * in + j : w + out * in + o;
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < p; j++) {
                    double s = 0;
                    for (int o2 = 0; o2 < out; o2++) {
                        for (int j2 = 0; j2 < p; j2++) {
                            s += g[o * out + o2] * a[j * p + j2] * v[index.applyAsInt(o2, j2)];
                        }
                    }
                    expected[index.applyAsInt(o, j)] = s;
                }
            }
        }
        assertArrayEquals(expected, product(estimated(EXACT, mlp, theta, b), v), 1e-12);
    }

    @Test
    void blockDiagonalAndDiagonalStructuresAreTheExactFishersBlocksAndDiagonal() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4)
                .withActivation(Activation.SOFTPLUS);
        double[] theta = random(mlp.parameterCount(), 7);
        Batch b = batch(mlp, 9, 8);
        int d = mlp.parameterCount();
        double[] fisher = denseFisher(mlp, theta, b);
        int boundary = mlp.weightOffset(1);
        double[] blockFisher = fisher.clone();
        double[] diagonal = new double[d * d];
        for (int i = 0; i < d; i++) {
            diagonal[i * d + i] = fisher[i * d + i];
            for (int j = 0; j < d; j++) {
                if ((i < boundary) != (j < boundary)) {
                    blockFisher[i * d + j] = 0;
                }
            }
        }
        LayerwiseOptimizer blocks = estimated(EXACT.withStructure(Structure.BLOCK_DIAGONAL), mlp, theta, b);
        LayerwiseOptimizer diag = estimated(EXACT.withStructure(Structure.DIAGONAL), mlp, theta, b);
        for (long s = 30; s < 33; s++) {
            double[] v = random(d, s);
            assertArrayEquals(multiply(blockFisher, v), product(blocks, v), 1e-12);
            assertArrayEquals(multiply(diagonal, v), product(diag, v), 1e-12);
        }
    }

    @Test
    void choleskyAndEigenInversesGiveTheSameStep() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(5, Likelihoods.categorical(4)).withHidden(6)
                .withActivation(Activation.RELU);
        Batch b = batch(mlp, 20, 9);
        for (Structure s : Structure.values()) {
            double[] t1 = random(mlp.parameterCount(), 10);
            double[] t2 = t1.clone();
            LayerwiseNaturalGradient c = LayerwiseNaturalGradient.kfac().withStructure(s).withDamping(1e-2);
            c.build(mlp).step(t1, b);
            c.withSolver(Solvers.eigen()).build(mlp).step(t2, b);
            assertArrayEquals(t1, t2, 1e-9, s.toString());
        }
    }

    /** With η so small that θ stays put, the estimate after batches 1 and 2 is (decay S₁ + S₂)/(decay + 1). */
    @Test
    void movingAverageWeighsBatchesByDecay() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4);
        double[] theta = random(mlp.parameterCount(), 11);
        Batch b1 = batch(mlp, 8, 12);
        Batch b2 = batch(mlp, 8, 13);
        LayerwiseNaturalGradient still = EXACT.withStepSize(1e-300).withDamping(Damping.fixed(1e-3));
        LayerwiseOptimizer averaged = (LayerwiseOptimizer) still.withDecay(0.5).build(mlp);
        double[] t = theta.clone();
        averaged.step(t, b1);
        averaged.step(t, b2);
        assertArrayEquals(theta, t, 0.0);
        for (Structure s : new Structure[] {Structure.DIAGONAL, Structure.BLOCK_DIAGONAL}) {
            LayerwiseOptimizer avg = (LayerwiseOptimizer) still.withStructure(s).withDecay(0.5).build(mlp);
            double[] tt = theta.clone();
            avg.step(tt, b1);
            avg.step(tt, b2);
            LayerwiseOptimizer s1 = estimated(still.withStructure(s).withDecay(0.0), mlp, theta, b1);
            LayerwiseOptimizer s2 = estimated(still.withStructure(s).withDecay(0.0), mlp, theta, b2);
            double[] v = random(theta.length, 14);
            double[] p1 = product(s1, v);
            double[] p2 = product(s2, v);
            double[] expected = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                expected[i] = (0.5 * p1[i] + p2[i]) / 1.5;
            }
            assertArrayEquals(expected, product(avg, v), 1e-12, s.toString());
        }
    }

    @Test
    void periodsAndWarmupDecideWhenEstimatesAndInversesAreRefreshed() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4);
        LayerwiseOptimizer opt = (LayerwiseOptimizer) LayerwiseNaturalGradient.kfac().withWarmup(2).withCurvaturePeriod(3)
                .withInversePeriod(4).build(mlp);
        List<StepEvent> events = new ArrayList<>();
        opt.addListener(events::add);
        double[] theta = mlp.initialParameters(1);
        for (int t = 0; t < 9; t++) {
            opt.step(theta, batch(mlp, 16, 100 + t));
        }
        List<Long> estimates = new ArrayList<>();
        List<Long> inverses = new ArrayList<>();
        for (StepEvent e : events) {
            if (e instanceof StepEvent.CurvatureRefreshed r) {
                (r.what().equals("estimate") ? estimates : inverses).add(r.step());
            }
        }
        assertEquals(List.of(0L, 1L, 3L, 6L), estimates);
        assertEquals(List.of(0L, 1L, 4L, 8L), inverses);
    }

    @Test
    void interruptedAndResumedKfacRunContinuesBitIdentically() throws Exception {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(4, Likelihoods.categorical(3)).withHidden(6)
                .withActivation(Activation.RELU);
        LayerwiseNaturalGradient config = LayerwiseNaturalGradient.kfac().withMomentum(0.5).withInversePeriod(3)
                .withDampingPeriod(2).withDecay(0.9).withSeed(77);
        double[] straight = mlp.initialParameters(2);
        LayerwiseOptimizer a = (LayerwiseOptimizer) config.build(mlp);
        for (int t = 0; t < 14; t++) {
            a.step(straight, batch(mlp, 32, 200 + t));
        }
        double[] resumed = mlp.initialParameters(2);
        LayerwiseOptimizer first = (LayerwiseOptimizer) config.build(mlp);
        for (int t = 0; t < 7; t++) {
            first.step(resumed, batch(mlp, 32, 200 + t));
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("kfac", ".state");
        try {
            StateFiles.save(first.state(), file);
            LayerwiseOptimizer second = (LayerwiseOptimizer) config.build(mlp);
            second.restore(StateFiles.load(file));
            for (int t = 7; t < 14; t++) {
                second.step(resumed, batch(mlp, 32, 200 + t));
            }
            assertArrayEquals(straight, resumed, 0.0);
            assertEquals(a.state(), second.state());
            assertEquals(a.damping(), second.damping());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void badConfigurationsAreRefusedWithTheReason() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerwiseNaturalGradient.kfac().withDecay(1.0));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerwiseNaturalGradient.kfac().withDecay(-0.1));
        LayerwiseOptimizer opt = (LayerwiseOptimizer) LayerwiseNaturalGradient.kfac().withCurvatureBatchSize(50).build(mlp);
        e = assertThrows(IllegalArgumentException.class, () -> opt.step(mlp.initialParameters(1), batch(mlp, 20, 1)));
        assertTrue(e.getMessage().contains("curvature batch of 50"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerwiseNaturalGradient.kfac().build(GeneralizedLinearModel.logisticRegression(3)));
        assertTrue(e.getMessage().contains("DENSE_LAYERS"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerwiseNaturalGradient.kfac()
                .withStructure(Structure.BLOCK_DIAGONAL).build(MultilayerPerceptron.of(784, Likelihoods.categorical(10)))
                .step(new double[7850], batch(MultilayerPerceptron.of(784, Likelihoods.categorical(10)), 2, 1)));
        assertTrue(e.getMessage().contains("Kronecker"), e.getMessage());
    }

    @Test
    void curvatureBatchUsesTheFirstExamples() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4);
        double[] theta = random(mlp.parameterCount(), 21);
        Batch b = batch(mlp, 30, 22);
        LayerwiseOptimizer sub = estimated(EXACT.withCurvatureBatchSize(10), mlp, theta, b);
        LayerwiseOptimizer first10 = estimated(EXACT, mlp, theta, b.slice(0, 10));
        double[] v = random(theta.length, 23);
        assertArrayEquals(product(first10, v), product(sub, v), 1e-14);
    }
}
