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

    @Test
    void everyOptimizerSupportsEveryOperation() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4);
        Map<String, OptimizerFactory> factories = Map.of(
                "ngd", NaturalGradient.of(Curvatures.fisher()),
                "kfac", LayerwiseNaturalGradient.kfac(),
                "adam", Adam.defaults(),
                "sgd", MomentumSgd.defaults());
        Well19937c r = new Well19937c(1);
        double[] x = new double[20 * 3];
        double[] y = new double[20];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(3);
        }
        Batch b = Batch.wrap(x, y, 20, 3);
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
