package io.github.natgrad.bench.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study's heat maps: one panel per value of every untuned axis, a linear scale for a bounded metric,
 * values to 3 significant digits, and a README whose words match the rule that picked the best run.
 */
class StudyFiguresTest {
    private static final String STUDY = """
            name: figures
            problems:
              - synthetic: {generator: logistic, n: 120, p: 3, seed: 2}
                name: syn
                test-fraction: 0.25
            axes:
              kind: [fisher]
              damping-policy: [fixed, levenberg-marquardt]
              step-size: [0.3, 1]
              damping: [0.001, 0.1]
              seed: [1, 2]
              iterations: 5
            metric: test-accuracy
            """;

    @TempDir
    Path tmp;

    @Test
    void anAccuracyStudyHasOnePanelPerDampingPolicyOnALinearScaleAndSaysItMaximises() throws IOException {
        Path out = run(STUDY);
        List<String> maps = heatMaps(out);
        assertEquals(List.of("heatmap-syn-fisher-damping-policy-fixed.svg",
                "heatmap-syn-fisher-damping-policy-levenberg-marquardt.svg"), maps);
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("The best run of a group maximises the metric"), readme);
        assertFalse(readme.contains("minimises"), readme);
    }

    @Test
    void anObjectiveStudySaysItMinimises() throws IOException {
        Path out = run(STUDY.replace("metric: test-accuracy", "metric: final-objective"));
        assertTrue(Files.readString(out.resolve("README.md")).contains("The best run of a group minimises the metric"));
    }

    @Test
    void anAccuracyIsOnALinearScaleAnObjectiveOnALogOneOnlyPastTwoDecades() {
        assertFalse(StudyReport.logScale(Metric.TEST_ACCURACY, true, 0.001, 0.99));
        assertFalse(StudyReport.logScale(Metric.FINAL_OBJECTIVE, true, 0.3, 0.5));
        assertTrue(StudyReport.logScale(Metric.FINAL_OBJECTIVE, true, 0.001, 10));
        assertFalse(StudyReport.logScale(Metric.FINAL_OBJECTIVE, false, -1, 10));
        assertEquals("syn-fisher: test-accuracy, median over seeds (blank: diverged or failed)",
                StudyReport.heatMapTitle("syn-fisher", Metric.TEST_ACCURACY, false, true));
        assertEquals("syn-fisher: log10 final-objective (blank: diverged or failed)",
                StudyReport.heatMapTitle("syn-fisher", Metric.FINAL_OBJECTIVE, true, false));
    }

    @Test
    void cellValuesHaveThreeSignificantDigits() {
        assertEquals("0.855", format(0.8550724637681160));
        assertEquals("0.0349", format(0.034866319543237310));
        assertEquals("3.14", format(3.14159));
        assertEquals("123", format(123.4));
        assertEquals("1.23E-5", format(1.234e-5));
        assertEquals("4.57E5", format(456789));
    }

    private static String format(double v) {
        return new DecimalFormat(StudyReport.threeDigitPattern(Math.abs(v)), DecimalFormatSymbols.getInstance(Locale.ROOT))
                .format(v);
    }

    private Path run(String study) throws IOException {
        Path file = tmp.resolve("study.yaml");
        Files.writeString(file, study);
        Path out = tmp.resolve("out");
        assertEquals(0, Main.run("ablate", "--study", file.toString(), "--out", out.toString(), "--threads", "1"));
        return out;
    }

    private static List<String> heatMaps(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("heatmap-") && n.endsWith(".svg"))
                    .sorted().toList();
        }
    }
}
