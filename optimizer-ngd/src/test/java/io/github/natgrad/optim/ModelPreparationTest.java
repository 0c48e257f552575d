package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.Optimizer;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.models.GeneralizedLinearModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Model#forBatch}, the hook through which a model lays out a batch it will be linearized on many times:
 * the natural-gradient optimizer asks any model for it (no model class named in the optimizer), from the second
 * linearization on the same batch object, once per batch; the preparation changes no bit.
 */
class ModelPreparationTest {

    /** A user's model: the logistic regression behind it, plus a preparation that records its batches. */
    private static class Recording implements Model {
        private final Model inner;
        final List<Batch> prepared = new ArrayList<>();
        int preparedLinearizations;

        Recording(Model inner) {
            this.inner = inner;
        }

        @Override
        public int parameterCount() {
            return inner.parameterCount();
        }

        @Override
        public int inputColumns() {
            return inner.inputColumns();
        }

        @Override
        public Likelihood likelihood() {
            return inner.likelihood();
        }

        @Override
        public Set<ModelCapability> capabilities() {
            return inner.capabilities();
        }

        @Override
        public Linearization linearize(double[] theta, Batch batch) {
            return inner.linearize(theta, batch);
        }

        @Override
        public OnBatch forBatch(Batch batch) {
            prepared.add(batch);
            OnBatch on = inner.forBatch(batch);
            return theta -> {
                preparedLinearizations++;
                return on.linearize(theta);
            };
        }
    }

    private static Batch batch(Random random, int n, int p) {
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = random.nextBoolean() ? 1 : 0;
        }
        return Batch.wrap(x, y, n, p);
    }

    @Test
    void theOptimizerPreparesAnyModelOncePerBatchFromItsSecondLinearization() {
        Random random = new Random(3);
        int p = 6;
        Batch first = batch(random, 50, p);
        Batch second = batch(random, 50, p);
        Recording model = new Recording(GeneralizedLinearModel.logisticRegression(p).withBias());
        Optimizer optimizer = NaturalGradient.of(Curvatures.fisher()).withStepSize(0.5).build(model);
        double[] theta = new double[model.parameterCount()];
        model.linearize(theta, first); // outside the optimizer: not its business
        assertEquals(List.of(), model.prepared);
        optimizer.loss(theta, first); // the optimizer's first linearization on the batch: the plain one
        assertEquals(List.of(), model.prepared, "a batch seen once is not prepared");
        optimizer.step(theta, first);
        optimizer.step(theta, first);
        optimizer.step(theta, first);
        assertEquals(List.of(first), model.prepared, "prepared once, at the second linearization on the batch");
        assertTrue(model.preparedLinearizations >= 2, "the steps after it linearize through the preparation");
        optimizer.step(theta, second);
        optimizer.step(theta, second);
        assertEquals(List.of(first, second), model.prepared, "a new batch object: prepared again");
    }

    @Test
    void aPreparedModelStepsWithTheBitsOfThePlainOne() {
        Random random = new Random(4);
        int p = 5;
        Batch batch = batch(random, 64, p);
        GeneralizedLinearModel glm = GeneralizedLinearModel.logisticRegression(p).withBias();
        Model plain = new Recording(glm) {
            @Override
            public OnBatch forBatch(Batch b) {
                return theta -> glm.linearize(theta, b); // no design: the generic path
            }
        };
        NaturalGradient config = NaturalGradient.of(Curvatures.fisher()).withStepSize(0.7);
        Optimizer prepared = config.build(glm);
        Optimizer generic = config.build(plain);
        double[] a = new double[glm.parameterCount()];
        double[] b = new double[glm.parameterCount()];
        for (int t = 0; t < 6; t++) {
            prepared.step(a, batch);
            generic.step(b, batch);
            for (int j = 0; j < a.length; j++) {
                assertEquals(Double.doubleToRawLongBits(b[j]), Double.doubleToRawLongBits(a[j]),
                        "step " + t + ", parameter " + j);
            }
        }
    }

    @Test
    void aGlmsPreparationHasTheBitsOfItsLinearization() {
        Random random = new Random(5);
        int p = 9;
        Batch batch = batch(random, 40, p);
        GeneralizedLinearModel glm = GeneralizedLinearModel.logisticRegression(p).withBias();
        double[] theta = new double[glm.parameterCount()];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = random.nextGaussian();
        }
        Linearization plain = glm.linearize(theta, batch);
        Linearization fast = glm.forBatch(batch).linearize(theta);
        double[] u = new double[batch.rows()];
        for (int i = 0; i < u.length; i++) {
            u[i] = random.nextGaussian();
            assertEquals(Double.doubleToRawLongBits(plain.outputs()[i]), Double.doubleToRawLongBits(fast.outputs()[i]));
        }
        double[] g1 = new double[theta.length];
        double[] g2 = new double[theta.length];
        plain.vectorJacobianProduct(u, g1);
        fast.vectorJacobianProduct(u, g2);
        for (int j = 0; j < theta.length; j++) {
            assertEquals(Double.doubleToRawLongBits(g1[j]), Double.doubleToRawLongBits(g2[j]), "gradient entry " + j);
        }
    }
}
