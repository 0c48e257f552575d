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
    void fig1StudyFileWritesReproducesFilesAndResumesACutTable(@TempDir Path tmp) throws Exception {
        new VecfieldExperiment(tmp.resolve("reproduce"), QUIET, 205, 2).run(PaperProblems.vecfield(0));
        // the study file with short trajectories, as a test can afford
        String text = Files.readString(studies().resolve("kunstner2019-fig1.yaml")).replace("rows: 50000", "rows: 205");
        assertTrue(text.contains("rows: 205"));
        Path file = tmp.resolve("fig1.yaml");
        Files.writeString(file, text);
        Path out = tmp.resolve("study");
        ablate(file, out);
        for (String f : List.of("trajectories.csv", "fields.csv", "optimum.csv")) {
            assertEquals(Files.readString(tmp.resolve("reproduce/vecfield").resolve(f)), Files.readString(out.resolve(f)), f);
        }
        assertTrue(Files.size(out.resolve("vecfield-ef.png")) > 0);
        // a kill in the middle of the second trajectory: the first stays, the second is done again
        String expected = Files.readString(out.resolve("trajectories.csv"));
        String[] lines = expected.split("\n");
        assertEquals(1 + 12 * 22, lines.length); // rows 0, 10, ..., 200 and 204 of 12 trajectories
        StringBuilder cut = new StringBuilder();
        for (int i = 0; i < 1 + 22 + 5; i++) {
            cut.append(lines[i]).append('\n');
        }
        cut.append(lines[28], 0, 12);
        Files.writeString(out.resolve("trajectories.csv"), cut.toString());
        ablate(file, out);
        assertEquals(expected, Files.readString(out.resolve("trajectories.csv")));
    }

    @Test
    void dampingStudyFileWritesTheDampingGridsFiles(@TempDir Path tmp) throws Exception {
        MlpDampingExperiment.defaults().withExamples(120).withSteps(8).withGrid(new double[] {0.3, 1.0},
                new double[] {1e-3, 1.0}).run(tmp.resolve("grid"), 0, QUIET);
        // the study file on a grid a test can afford
        String text = Files.readString(studies().resolve("mlp-damping-policies.yaml")).replace("n: 400", "n: 120")
                .replace("steps: 100", "steps: 8").replace("step-sizes: [0.1, 0.3, 1.0]", "step-sizes: [0.3, 1.0]")
                .replace("dampings: [1.0E-4, 0.001, 0.01, 0.1, 1.0]", "dampings: [0.001, 1.0]");
        assertTrue(text.contains("n: 120") && text.contains("steps: 8") && text.contains("dampings: [0.001, 1.0]"));
        Path file = tmp.resolve("damping.yaml");
        Files.writeString(file, text);
        Path out = tmp.resolve("study");
        ablate(file, out);
        for (String f : List.of("runs.csv", "summary.csv", "curves.csv", "README.md")) {
            assertEquals(Files.readString(tmp.resolve("grid").resolve(f)), Files.readString(out.resolve(f)), f);
        }
        assertTrue(Files.size(out.resolve("loss-curves.png")) > 0);
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
        StudyException setting = assertThrows(StudyException.class, () -> Study.parse("s.yaml",
                "name: s\nexperiment: vecfield\nproblems:\n  - paper: vecfield\nsettings: {rows: 10, steps: 3}\n"));
        assertTrue(setting.getMessage().contains("unknown key 'steps' in settings; known: [rows]"), setting.getMessage());
    }
}
