package io.github.natgrad.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import java.util.Arrays;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

class MultilayerPerceptronTest {

    @Test
    void withoutHiddenLayersItIsSoftmaxRegressionUpToTheParameterLayout() {
        int p = 3;
        int k = 4;
        MultilayerPerceptron mlp = MultilayerPerceptron.of(p, Likelihoods.categorical(k));
        SoftmaxRegression softmax = SoftmaxRegression.of(p, k).withBias();
        assertEquals(softmax.parameterCount(), mlp.parameterCount());
        var random = new Well19937c(31);
        double[] thetaSoftmax = new double[softmax.parameterCount()];
        for (int j = 0; j < thetaSoftmax.length; j++) {
            thetaSoftmax[j] = random.nextGaussian();
        }
        // softmax: row c = (w_c, b_c); MLP: W (k × p) row-major, then b (k)
        double[] thetaMlp = new double[mlp.parameterCount()];
        int[] map = new int[thetaMlp.length];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < p; j++) {
                map[c * p + j] = c * (p + 1) + j;
            }
            map[k * p + c] = c * (p + 1) + p;
        }
        for (int e = 0; e < map.length; e++) {
            thetaMlp[e] = thetaSoftmax[map[e]];
        }
        double[] x = new double[5 * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        Batch batch = Batch.wrap(x, new double[] {0, 1, 2, 3, 1}, 5, p);
        assertArrayEquals(softmax.linearize(thetaSoftmax, batch).outputs(), mlp.linearize(thetaMlp, batch).outputs(),
                1e-14);
        for (String kind : new String[] {"hessian", "fisher", "empirical-fisher"}) {
            double[] a = ModelContract.curvature(softmax, kind, thetaSoftmax, batch);
            double[] b = ModelContract.curvature(mlp, kind, thetaMlp, batch);
            int d = map.length;
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    assertEquals(a[map[r] * d + map[c]], b[r * d + c], 1e-14, kind + "[" + r + "][" + c + "]");
                }
            }
        }
    }

    @Test
    void initialisationIsSeededWithLeCunScaleAndZeroBiases() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(50, Likelihoods.gaussian()).withHidden(40);
        double[] a = mlp.initialParameters(7);
        assertArrayEquals(a, mlp.initialParameters(7));
        assertFalse(Arrays.equals(a, mlp.initialParameters(8)));
        // layer 0: 40 × 50 weights of variance 1/50, then 40 zero biases
        double sum = 0;
        for (int e = 0; e < 2000; e++) {
            sum += a[e] * a[e];
        }
        assertEquals(1.0 / 50, sum / 2000, 0.1 / 50, "sample variance within 10% (2000 draws: sd about 3%)");
        for (int e = 2000; e < 2040; e++) {
            assertEquals(0.0, a[e]);
        }
        assertEquals(2040, mlp.weightOffset(1));
    }

    @Test
    void badConfigurationsAndInputsAreRejected() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(2, Likelihoods.bernoulli()).withHidden(3);
        assertThrows(IllegalArgumentException.class, () -> mlp.withHidden(3, 0));
        var e = assertThrows(IllegalArgumentException.class,
                () -> mlp.linearize(new double[3], Batch.wrap(new double[] {1, 2}, new double[] {1}, 1, 2)));
        assertTrue(e.getMessage().contains("theta"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mlp.linearize(new double[mlp.parameterCount()],
                Batch.wrap(new double[] {1, 2, 3}, new double[] {1}, 1, 3)));
        assertTrue(e.getMessage().contains("3 input columns"), e.getMessage());
        assertTrue(mlp.describe().contains("2-3-1"), mlp.describe());
    }

    @Test
    void activationsArePerLayerAndSurviveChangesOfTheWidths() {
        MultilayerPerceptron relu = MultilayerPerceptron.of(2, Likelihoods.bernoulli()).withActivation(Activation.RELU)
                .withHidden(3, 4);
        assertArrayEquals(new Activation[] {Activation.RELU, Activation.RELU}, relu.activations());
        MultilayerPerceptron mixed = relu.withActivations(Activation.SIGMOID, Activation.IDENTITY);
        assertArrayEquals(new Activation[] {Activation.SIGMOID, Activation.IDENTITY}, mixed.activations());
        assertTrue(mixed.describe().contains("sigmoid-identity"), mixed.describe());
        assertTrue(relu.describe().contains(", relu,"), relu.describe());
        var e = assertThrows(IllegalArgumentException.class, () -> relu.withActivations(Activation.TANH));
        assertTrue(e.getMessage().contains("2 hidden layers but 1 activations"), e.getMessage());

        // the hidden layer's σ is what the forward pass applies: identity makes a 1-hidden-layer net linear
        MultilayerPerceptron linear = MultilayerPerceptron.of(1, Likelihoods.gaussian()).withHidden(1)
                .withActivations(Activation.IDENTITY);
        double[] theta = {2.0, 0.5, 3.0, -1.0}; // W0, b0, W1, b1: f = 3 (2x + 0.5) - 1
        double[] f = linear.linearize(theta, Batch.wrap(new double[] {-1.5}, new double[] {0}, 1, 1)).outputs();
        assertEquals(3 * (2 * -1.5 + 0.5) - 1, f[0], 1e-15);
        MultilayerPerceptron sigmoid = linear.withActivations(Activation.SIGMOID);
        f = sigmoid.linearize(theta, Batch.wrap(new double[] {-1.5}, new double[] {0}, 1, 1)).outputs();
        assertEquals(3 / (1 + Math.exp(-(2 * -1.5 + 0.5))) - 1, f[0], 1e-15);
    }
}
