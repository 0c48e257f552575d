package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.MatrixFreeSolver;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepEvent;
import io.github.natgrad.StepSizeSchedule;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.solve.Solvers;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * {@link Optimizer} has no optional operations: every optimizer natgrad builds exports and restores its state,
 * takes a listener and a schedule, and the factories' return types are the interfaces.
 */
class OptimizerOperationsTest {

    @Test
    void theInterfaceHasNoDefaultThatThrows() {
        for (Method m : Optimizer.class.getDeclaredMethods()) {
            if (m.isDefault()) {
                assertEquals("step", m.getName(), m + " is a default method: only step(INDArray, Batch) may be one");
            } else {
                assertTrue(Modifier.isAbstract(m.getModifiers()) || Modifier.isStatic(m.getModifiers()), m.toString());
            }
        }
    }

    /** Each kind of optimizer natgrad builds: dense natural gradient, K-FAC, Adam, SGD. */
    private static Map<String, OptimizerFactory> everyFactory() {
        return Map.of(
                "ngd", NaturalGradient.of(Curvatures.fisher()),
                "kfac", LayerwiseNaturalGradient.kfac(),
                "adam", Adam.defaults(),
                "sgd", MomentumSgd.defaults());
    }

    /** n examples of 3 Gaussian inputs with labels in {0, 1, 2}, from the seed. */
    private static Batch threeClasses(int n, long seed) {
        Well19937c r = new Well19937c(seed);
        double[] x = new double[n * 3];
        double[] y = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(3);
        }
        return Batch.wrap(x, y, n, 3);
    }

    @Test
    void everyOptimizerSupportsEveryOperation() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4);
        Map<String, OptimizerFactory> factories = everyFactory();
        Batch b = threeClasses(20, 1);
        for (Map.Entry<String, OptimizerFactory> e : factories.entrySet()) {
            Optimizer a = e.getValue().build(mlp);
            List<StepEvent> events = new ArrayList<>();
            a.addListener(events::add);
            a.setSchedule(StepSizeSchedule.constant(0.05));
            double[] theta = mlp.initialParameters(2);
            a.step(theta, b);
            OptimizerState saved = a.state();
            double[] resumed = theta.clone();
            a.step(theta, b);
            Optimizer c = e.getValue().build(mlp);
            c.setSchedule(StepSizeSchedule.constant(0.05));
            c.restore(saved);
            c.step(resumed, b);
            assertArrayEquals(theta, resumed, 0.0, e.getKey() + " resumed from its state");
        }
    }

    /**
     * The plumbing every optimizer shares ({@link OptimizerRun}) answers the same way in each: the step count in
     * the state, reset, the refusals of a null schedule, a null listener and another optimizer's state.
     */
    @Test
    void everyOptimizerKeepsItsCountAndRefusesBadInputTheSameWay() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4);
        Map<String, OptimizerFactory> factories = everyFactory();
        Batch b = threeClasses(10, 2);
        OptimizerState foreign = Adam.defaults().withEpsilon(1e-3).build(mlp).state();
        for (Map.Entry<String, OptimizerFactory> e : factories.entrySet()) {
            String name = e.getKey();
            Optimizer o = e.getValue().build(mlp);
            double[] theta = mlp.initialParameters(3);
            o.step(theta, b);
            o.step(theta, b);
            assertEquals(2, o.state().getLong("steps"), name);
            o.reset();
            assertEquals(0, o.state().getLong("steps"), name + " after reset");
            IllegalArgumentException schedule = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> o.setSchedule(null), name);
            assertEquals("schedule must not be null", schedule.getMessage(), name);
            IllegalArgumentException listener = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> o.addListener(null), name);
            assertEquals("listener must not be null", listener.getMessage(), name);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> o.restore(null), name);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> o.restore(foreign), name);
            assertEquals(0, o.state().getLong("steps"), name + ": a refused restore changes nothing");
        }
    }

    @Test
    void solverFactoriesReturnTheInterfaces() throws Exception {
        for (String name : new String[] {"conjugateGradient", "woodbury", "auto"}) {
            assertEquals(MatrixFreeSolver.class, Solvers.class.getMethod(name).getReturnType(), name);
        }
        assertEquals(io.github.natgrad.Solver.class, Solvers.class.getMethod("cholesky").getReturnType());
        assertEquals(Optimizer.class, LayerwiseNaturalGradient.class.getMethod("build", io.github.natgrad.Model.class)
                .getReturnType());
        assertEquals(Optimizer.class, NaturalGradient.class.getMethod("build", io.github.natgrad.Model.class)
                .getReturnType());
    }
}
