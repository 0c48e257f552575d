package io.github.natgrad.bench.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.ablate.GridValues;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyException;
import io.github.natgrad.bench.ablate.StudyPlan;
import io.github.natgrad.bench.ablate.StudyProblem;
import io.github.natgrad.bench.ablate.StudyRuntime;
import io.github.natgrad.bench.problems.Problem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fig. 3 grid as the study kind {@code optim}: a study file run by the ablate engine writes the same
 * runs.csv, summary.csv, curves.csv and cosine.csv, byte for byte, as {@code reproduce optim}
 * ({@link OptimExperiment}) on the same problems and grid, and its settings are checked with their line.
 */
class OptimKindTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static final String STUDY = """
            name: optim-small
            experiment: optim
            problems:
              - paper: logistic-well-specified
              - paper: linear-misspecified-model
            settings:
              step-sizes: {logspace: [-2, 1, 14]}
              dampings: [1.0e-3, 3.1622776601683794e-2, 1.0]
              iterations: 15
            """;

    @Test
    void studyFileWritesTheFilesOfReproduceOptim(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("optim-small.yaml");
        Files.writeString(file, STUDY);
        Path out = tmp.resolve("study");
        FigureStudiesTest.ablate(file, out);

        Study study = Study.read(file);
        List<Problem> problems = new StudyRuntime(StudyPlan.of(study), null).problems().stream()
                .map(StudyProblem::glm).toList();
        Grid grid = new Grid(GridValues.logspace(-2, 1, 14), new double[] {1e-3, 3.1622776601683794e-2, 1.0}, 15);
        assertArrayEquals(grid.stepSizes(), OptimKind.grid(study).stepSizes());
        new OptimExperiment(tmp.resolve("reproduce"), grid, 2, QUIET, false).run(problems);
        for (String name : List.of("runs.csv", "summary.csv", "curves.csv", "cosine.csv")) {
            assertEquals(Files.readString(tmp.resolve("reproduce/optim").resolve(name)),
                    Files.readString(out.resolve(name)), name);
        }
        // 14 step sizes: two sweep blocks per optimizer (12 + 2); every run of the grid once, in grid order
        List<String> rows = Files.readAllLines(out.resolve("runs.csv"));
        assertEquals(1 + 2 * (14 + 2 * 14 * 3), rows.size());
        assertTrue(rows.get(1).startsWith("logistic-well-specified,GD,0.010000000000000000,,15,"), rows.get(1));
        assertEquals(2 * 3 * 2, StudyPlan.of(study).tasks().size());
    }

    @Test
    void badSettingsAreRefusedWithTheirLine() {
        StudyException e = assertThrows(StudyException.class, () -> Study.parse("bad.yaml", """
                name: bad
                experiment: optim
                problems:
                  - paper: logistic-well-specified
                settings:
                  step-sizes: {logspace: [-2, 1]}
                """));
        assertTrue(e.getMessage().contains("logspace takes [start, stop, count]"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.yaml:6:"), e.getMessage());
        StudyException negative = assertThrows(StudyException.class, () -> Study.parse("neg.yaml", """
                name: neg
                experiment: optim
                problems:
                  - paper: logistic-well-specified
                settings:
                  dampings: [-1]
                """));
        assertTrue(negative.getMessage().contains("dampings must be positive"), negative.getMessage());
    }
}
