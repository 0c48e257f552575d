package io.github.natgrad.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.solve.ConjugateGradient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link TrainSpec}'s builder: every setting by name, copies that keep every setting, and a run needs its data. */
class TrainSpecTest {
    /** A spec in which every component differs from its default. */
    private static TrainSpec everySettingChanged() {
        return new TrainSpec("softmax", Path.of("train.csv"), TrainSpec.DataFormat.CSV, Path.of("test.csv"), 7, 4.5, true,
                TrainSpec.CurvatureKind.MC_FISHER, 3, TrainSpec.SolverChoice.CG, 17, ConjugateGradient.StoppingRule.MARTENS,
                ConjugateGradient.Preconditioner.JACOBI, true, TrainSpec.DampingChoice.LM, 0.25, 2, true, 0.5, 9, 1e-7, 0.03, Path.of("out"),
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

    /** The choices read back from their labels (the command line's spelling), and an unknown one named with every choice. */
    @Test
    void choicesParseFromTheirLabelsAtTheEdge() {
        assertEquals(TrainSpec.DampingChoice.TRUST_REGION,
                TrainSpec.parse(TrainSpec.DampingChoice.class, "Trust-Region", "--damping"));
        assertEquals("trust-region", TrainSpec.label(TrainSpec.DEFAULTS.damping()));
        assertEquals("fisher", TrainSpec.label(TrainSpec.DEFAULTS.curvature()));
        assertEquals("auto", TrainSpec.label(TrainSpec.DEFAULTS.solver()));
        assertEquals("tron", TrainSpec.label(TrainSpec.DEFAULTS.cgStop()));
        assertEquals("mixed", TrainSpec.label(TrainSpec.DEFAULTS.cgPreconditioner()));
        assertEquals(TrainSpec.CurvatureKind.EMPIRICAL_FISHER, TrainSpec.CurvatureKind.of("ef"));
        assertEquals(TrainSpec.CurvatureKind.MC_FISHER, TrainSpec.CurvatureKind.of("mc-fisher"));
        assertEquals(TrainSpec.DataFormat.CSV, TrainSpec.DataFormat.of(Path.of("dir.libsvm/a.CSV")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainSpec.parse(TrainSpec.DampingChoice.class, "levenberg", "--damping"));
        assertEquals("unknown --damping 'levenberg'; choose trust-region, auto, none, fixed, lm or shift", e.getMessage());
        for (TrainSpec.CurvatureKind k : TrainSpec.CurvatureKind.values()) {
            assertEquals(TrainSpec.label(k), io.github.natgrad.curvature.Curvatures.NAMES.get(k.ordinal()));
        }
    }

    @Test
    void aSpecWithoutDataIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GlmTrainer.validate(TrainSpec.builder().model("logistic").build()));
        assertTrue(e.getMessage().contains("--data"), e.getMessage());
    }
}
