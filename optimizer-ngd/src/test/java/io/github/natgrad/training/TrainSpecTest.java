package io.github.natgrad.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link TrainSpec}'s builder: every setting by name, copies that keep every setting, and a run needs its data. */
class TrainSpecTest {
    /** A spec in which every component differs from its default. */
    private static TrainSpec everySettingChanged() {
        return new TrainSpec("softmax", Path.of("train.csv"), "csv", Path.of("test.csv"), 7, 4.5, true, "mc-fisher", 3,
                "cg", 17, "martens", "jacobi", true, "lm", 0.25, 2, true, 0.5, 9, 1e-7, 0.03, Path.of("out"),
                Path.of("theta.txt"), 42, true);
    }

    @Test
    void aCopyKeepsEverySetting() {
        TrainSpec s = everySettingChanged();
        assertEquals(s, s.toBuilder().build());
        for (java.lang.reflect.RecordComponent c : TrainSpec.class.getRecordComponents()) {
            try {
                assertNotEquals(c.getAccessor().invoke(TrainSpec.DEFAULTS), c.getAccessor().invoke(s), c.getName());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void theBuilderSetsEachSettingByName() {
        TrainSpec s = everySettingChanged();
        TrainSpec built = TrainSpec.builder().model(s.model()).data(s.data()).format(s.format()).test(s.test())
                .columns(s.columns()).priorVariance(s.priorVariance()).bias(s.bias()).curvature(s.curvature())
                .mcSamples(s.mcSamples()).solver(s.solver()).cgMaxIterations(s.cgMaxIterations()).cgStop(s.cgStop())
                .cgPreconditioner(s.cgPreconditioner()).cgWarmStart(s.cgWarmStart()).damping(s.damping())
                .lambda(s.lambda()).stepRejection(s.stepRejection()).lineSearch(s.lineSearch()).stepSize(s.stepSize())
                .maxIterations(s.maxIterations()).gradientTolerance(s.gradientTolerance()).epsilon(s.epsilon())
                .out(s.out()).saveParameters(s.saveParameters()).seed(s.seed()).quiet(s.quiet()).build();
        assertEquals(s, built);
        assertEquals(TrainSpec.DEFAULTS, TrainSpec.builder().build());
    }

    @Test
    void aSpecWithoutDataIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GlmTrainer.validate(TrainSpec.builder().model("logistic").build()));
        assertTrue(e.getMessage().contains("--data"), e.getMessage());
    }
}
