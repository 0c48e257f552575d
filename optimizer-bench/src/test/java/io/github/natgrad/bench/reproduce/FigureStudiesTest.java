package io.github.natgrad.bench.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.ablate.AblationEngine;
import io.github.natgrad.bench.ablate.LocalEngine;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyException;
import io.github.natgrad.bench.ablate.StudyPlan;
import io.github.natgrad.bench.ablate.StudyRunner;
import io.github.natgrad.bench.ablate.StudyRuntime;
import io.github.natgrad.bench.ablate.StudyStore;
import io.github.natgrad.bench.problems.PaperProblems;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures of the reproduction as studies of the ablate engine: a study file of a kind gives the same
 * table as {@code reproduce} (byte for byte), through the same store and engine, and resumes a table cut
 * by a kill to the same bytes.
 */
class FigureStudiesTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /** Runs a study file (resolved from the repository's studies/ folder) into {@code out}, as ablate does. */
    static void ablate(Path studyFile, Path out) {
        Study study = Study.read(studyFile);
        StudyRuntime runtime = new StudyRuntime(StudyPlan.of(study), null);
        try (StudyStore store = StudyStore.open(out, runtime.plan(), false, QUIET)) {
            StudyRunner.run(runtime, store, new LocalEngine(), new AblationEngine.Options(2, null, null), QUIET, null);
            study.kind().report(study, runtime.problems(), store.rows(), out, QUIET);
        }
    }

    static Path studies() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("studies"))) {
            dir = dir.getParent();
        }
        return dir.resolve("studies");
    }

    @Test
    void fig2StudyFileWritesReproducesTableAndResumesACutTable(@TempDir Path tmp) throws Exception {
        new MisspecExperiment(tmp.resolve("reproduce"), QUIET).run(List.of(
                PaperProblems.misspecLogistic(PaperProblems.Variant.WELL_SPECIFIED, 0),
                PaperProblems.misspecLogistic(PaperProblems.Variant.MISSPECIFIED_NOISE, 0),
                PaperProblems.misspecLogistic(PaperProblems.Variant.MISSPECIFIED_MODEL, 0)));
        String expected = Files.readString(tmp.resolve("reproduce/misspec/misspec.csv"));
        Path out = tmp.resolve("study");
        ablate(studies().resolve("kunstner2019-fig2.yaml"), out);
        assertEquals(expected, Files.readString(out.resolve("misspec.csv")));
        assertTrue(Files.size(out.resolve("misspec-logistic-misspecified-noise.png")) > 0);
        // a kill in the middle of the second row: the first row stays, the cut one is done again
        String[] lines = expected.split("\n");
        Files.writeString(out.resolve("misspec.csv"), lines[0] + "\n" + lines[1] + "\n" + lines[2].substring(0, 30));
        ablate(studies().resolve("kunstner2019-fig2.yaml"), out);
        assertEquals(expected, Files.readString(out.resolve("misspec.csv")));
    }

    @Test
    void aKindRefusesAxesAndUnknownSettings() {
        StudyException axes = assertThrows(StudyException.class, () -> Study.parse("s.yaml",
                "name: s\nexperiment: misspec\nproblems:\n  - paper: vecfield\naxes:\n  kind: [gd]\n"));
        assertTrue(axes.getMessage().contains("axes does not apply to experiment misspec"), axes.getMessage());
        StudyException unknown = assertThrows(StudyException.class, () -> Study.parse("s.yaml",
                "name: s\nexperiment: nonesuch\nproblems:\n  - paper: vecfield\n"));
        assertTrue(unknown.getMessage().contains("unknown value 'nonesuch' for experiment"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("misspec"), unknown.getMessage());
    }
}
