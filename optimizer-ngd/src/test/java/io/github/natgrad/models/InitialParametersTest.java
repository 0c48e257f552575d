package io.github.natgrad.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import org.junit.jupiter.api.Test;

/**
 * {@link Model#initialParameters(long)}: θ = 0 for models that declare no seeded initialisation (the paper's start
 * of every GLM run), and the MLP's seeded LeCun initialisation for the network, which declares
 * {@link ModelCapability#SEEDED_INITIALIZATION} — what clients test for instead of the class.
 */
class InitialParametersTest {
    @Test
    void modelsWithoutASeededInitialisationStartAtZero() {
        for (Model m : new Model[] {GeneralizedLinearModel.logisticRegression(5).withBias(),
                GeneralizedLinearModel.linearRegression(3), SoftmaxRegression.of(4, 3).withBias()}) {
            assertFalse(m.capabilities().contains(ModelCapability.SEEDED_INITIALIZATION), m.describe());
            assertArrayEquals(new double[m.parameterCount()], m.initialParameters(7), m.describe());
        }
    }

    @Test
    void theNetworkDeclaresItsSeededInitialisation() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(6, Likelihoods.gaussian()).withHidden(5);
        Model m = mlp;
        assertTrue(m.capabilities().contains(ModelCapability.SEEDED_INITIALIZATION));
        double[] a = m.initialParameters(3);
        assertArrayEquals(a, m.initialParameters(3), "the same seed, the same θ₀");
        assertNotEquals(a[0], m.initialParameters(4)[0], "another seed, another θ₀");
        assertEquals(mlp.parameterCount(), a.length);
        // the first layer's weights are drawn from N(0, 1/6): not all zero, and of that scale
        double s = 0;
        for (int j = 0; j < 30; j++) {
            s += a[j] * a[j];
        }
        assertTrue(s > 0 && s / 30 < 1.0, "mean square " + s / 30);
    }
}
