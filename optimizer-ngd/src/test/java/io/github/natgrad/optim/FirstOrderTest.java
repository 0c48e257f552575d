package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Nd4jDefaults;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/** Adam and SGD with momentum against ND4J's own updaters, and their state. */
class FirstOrderTest {
    private static final SyntheticGlm DATA = SyntheticGlm.logistic(512, 4, 4.0, 3);
    private static final MultilayerPerceptron MLP = MultilayerPerceptron.of(4, Likelihoods.bernoulli()).withHidden(6)
            .withActivation(Activation.RELU);

    private static Batch batch(int t) {
        int from = (t % 8) * 64;
        return DATA.batch().slice(from, from + 64);
    }

    /** Runs natgrad's optimizer and ND4J's updater from the same θ on the same gradients. */
    private static void matchesNd4j(OptimizerFactory natgrad, IUpdater nd4j) {
        Nd4jDefaults.useDoublePrecision();
        int d = MLP.parameterCount();
        double[] ours = MLP.initialParameters(9);
        double[] theirs = ours.clone();
        Optimizer opt = natgrad.build(MLP);
        MinibatchObjective objective = new MinibatchObjective(MLP, null);
        INDArray view = Nd4j.zeros(DataType.DOUBLE, 1, nd4j.stateSize(d));
        GradientUpdater<?> updater = nd4j.instantiate(view, true);
        double[] g = new double[d];
        for (int t = 0; t < 25; t++) {
            Batch b = batch(t);
            objective.lossAndGradient(theirs, MLP.linearize(theirs, b), b, g);
            INDArray grad = Nd4j.createFromArray(g.clone()).reshape(1, d);
            updater.applyUpdater(grad, t, 0);
            double[] u = grad.toDoubleVector();
            for (int i = 0; i < d; i++) {
                theirs[i] -= u[i];
            }
            opt.step(ours, b);
            for (int i = 0; i < d; i++) {
                assertEquals(theirs[i], ours[i], 1e-12 * (1 + Math.abs(theirs[i])), "step " + t + ", theta[" + i + "]");
            }
        }
    }

    @Test
    void adamFollowsNd4jsAdamUpdater() {
        matchesNd4j(Adam.defaults().withStepSize(0.01),
                new org.nd4j.linalg.learning.config.Adam(0.01, 0.9, 0.999, 1e-8));
    }

    @Test
    void nesterovMomentumFollowsNd4jsNesterovsUpdater() {
        matchesNd4j(MomentumSgd.defaults().withStepSize(0.05).withMomentum(0.8).withNesterov(true),
                new Nesterovs(0.05, 0.8));
    }

    @Test
    void heavyBallIsTheRecurrenceOnAQuadraticModelFreeCheck() {
        // without momentum one step is θ − η g; with μ the second step is θ₁ − η (μ g₀ + g₁)
        MinibatchObjective objective = new MinibatchObjective(MLP, null);
        double[] theta = MLP.initialParameters(1);
        double[] g0 = new double[theta.length];
        double[] g1 = new double[theta.length];
        Optimizer opt = MomentumSgd.defaults().withStepSize(0.1).withMomentum(0.5).build(MLP);
        double[] start = theta.clone();
        objective.lossAndGradient(start, MLP.linearize(start, batch(0)), batch(0), g0);
        opt.step(theta, batch(0));
        double[] mid = theta.clone();
        objective.lossAndGradient(mid, MLP.linearize(mid, batch(1)), batch(1), g1);
        opt.step(theta, batch(1));
        for (int i = 0; i < theta.length; i++) {
            assertEquals(start[i] - 0.1 * g0[i], mid[i], 1e-15);
            assertEquals(mid[i] - 0.1 * (0.5 * g0[i] + g1[i]), theta[i], 1e-14);
        }
    }

    @Test
    void resumedFirstOrderRunsAreBitIdentical() {
        for (OptimizerFactory f : List.of(Adam.defaults(), MomentumSgd.defaults(),
                MomentumSgd.defaults().withNesterov(true))) {
            double[] straight = MLP.initialParameters(5);
            Optimizer a = f.build(MLP);
            for (int t = 0; t < 20; t++) {
                a.step(straight, batch(t));
            }
            double[] resumed = MLP.initialParameters(5);
            Optimizer b = f.build(MLP);
            for (int t = 0; t < 9; t++) {
                b.step(resumed, batch(t));
            }
            OptimizerState saved = b.state();
            Optimizer c = f.build(MLP);
            c.restore(saved);
            for (int t = 9; t < 20; t++) {
                c.step(resumed, batch(t));
            }
            assertArrayEquals(straight, resumed, 0.0, f.toString());
            assertEquals(a.state(), c.state());
        }
        OptimizerState adamState = Adam.defaults().build(MLP).state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MomentumSgd.defaults().build(MLP).restore(adamState));
        assertTrue(e.getMessage().contains("another optimizer"), e.getMessage());
    }

    @Test
    void badHyperParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Adam.defaults().withBetas(1.0, 0.9));
        assertThrows(IllegalArgumentException.class, () -> Adam.defaults().withStepSize(-1));
        assertThrows(IllegalArgumentException.class, () -> MomentumSgd.defaults().withMomentum(-0.1));
    }
}
