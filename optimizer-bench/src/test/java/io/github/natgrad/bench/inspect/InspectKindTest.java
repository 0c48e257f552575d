package io.github.natgrad.bench.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.natgrad.bench.ablate.AblationEngine;
import io.github.natgrad.bench.ablate.LocalEngine;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyException;
import io.github.natgrad.bench.ablate.StudyPlan;
import io.github.natgrad.bench.ablate.StudyRunner;
import io.github.natgrad.bench.ablate.StudyRuntime;
import io.github.natgrad.bench.ablate.StudyStore;
import io.github.natgrad.datasets.Datasets;
import io.github.natgrad.models.Activation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspection as a study kind: a study file of {@code experiment: inspect} writes, per problem, the
 * JSON that {@code inspect --json} prints with the same options (the command runs {@link Inspection}), through
 * the one store and engine, and resumes a table cut by a kill to the same bytes.
 */
class InspectKindTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static final String STUDY = """
            name: inspect-test
            experiment: inspect
            problems:
              - dataset: synthetic-logistic
              - dataset: synthetic-linear
            settings:
              model: logistic
              at: init
              lambda: 1.0e-6
              seed: 3
            """;

    private static void ablate(Path studyFile, Path out) {
        Study study = Study.read(studyFile);
        StudyRuntime runtime = new StudyRuntime(StudyPlan.of(study), null);
        try (StudyStore store = StudyStore.open(out, runtime.plan(), false, QUIET)) {
            StudyRunner.run(runtime, store, new LocalEngine(), new AblationEngine.Options(2, null, null), QUIET, null);
            study.kind().report(study, runtime.problems(), store.rows(), out, QUIET);
        }
    }

    /** What {@code inspect --model logistic --dataset NAME --at init --lambda 1e-6 --seed 3 --json} prints. */
    private static String command(String dataset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Inspection.run(new Inspection.Settings(ModelKind.LOGISTIC, "init", 1e-6, 1, 3, new int[] {8}, Activation.TANH,
                MlpLikelihood.AUTO, 200, 30, 1000), Datasets.load(dataset, null, 3), true, null,
                new PrintStream(out, true, StandardCharsets.UTF_8), QUIET);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStudyWritesTheCommandsJsonPerProblemAndResumesACutTable(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("inspect.yaml");
        Files.writeString(file, STUDY.replace("synthetic-linear",
                "synthetic-probit"));
        Path out = tmp.resolve("study");
        ablate(file, out);
        for (String d : new String[] {"synthetic-logistic", "synthetic-probit"}) {
            String expected = command(d);
            assertEquals(expected, Files.readString(out.resolve("inspect-" + d + ".json")), d);
            JsonNode json = new ObjectMapper().readTree(expected);
            // the data drawn from the study's seed: 500 x 5 and a bias
            assertEquals(500, json.get("n").asInt());
            assertEquals(6, json.get("d").asInt());
            assertEquals(d, json.get("dataset").asText());
            assertEquals(1e-6, json.get("damping").asDouble(), 0.0);
        }
        // a kill in the middle of the second row: the first stays, the cut one is done again
        String table = Files.readString(out.resolve("inspect.csv"));
        String[] lines = table.split("\n");
        assertEquals(3, lines.length);
        Files.writeString(out.resolve("inspect.csv"), lines[0] + "\n" + lines[1] + "\n" + lines[2].substring(0, 40));
        ablate(file, out);
        assertEquals(table, Files.readString(out.resolve("inspect.csv")));
    }

    @Test
    void aProblemThatIsNotARegisteredDatasetOrAMissingModelIsRefusedWithItsLine(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, STUDY.replace("  - dataset: synthetic-linear\n", "  - paper: vecfield\n"));
        StudyException e = assertThrows(StudyException.class, () -> Study.read(file));
        assertTrue(e.getMessage().contains("registered dataset") && e.getMessage().contains("bad.yaml:5:"), e.getMessage());
        Files.writeString(file, STUDY.replace("  model: logistic\n", ""));
        e = assertThrows(StudyException.class, () -> Study.read(file));
        assertTrue(e.getMessage().contains("settings: model is required"), e.getMessage());
        Files.writeString(file, STUDY.replace("model: logistic", "model: svm"));
        e = assertThrows(StudyException.class, () -> Study.read(file));
        assertTrue(e.getMessage().contains("model 'svm' is not one of"), e.getMessage());
    }
}
