package io.github.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runs.csv says why every diverged run stopped (on the grid path and on the library path, above the
 * divergence factor or not finite), never an empty error column; such runs count as diverged, not failed.
 * {@code ablate --dry-run} needs no {@code --out}, writes nothing and lists the data files it would read.
 */
class AblateReasonsTest {
    @TempDir
    Path tmp;

    static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    private List<CSVRecord> runs(String yaml, String name) throws IOException {
        Path study = tmp.resolve(name + ".yaml");
        Files.writeString(study, yaml);
        Path out = tmp.resolve(name);
        CommandRun r = run("ablate", "--study", study.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        try (var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(Files.readString(out.resolve("runs.csv"))))) {
            return parser.getRecords();
        }
    }

    private static void assertReasons(List<CSVRecord> rows, String expectedStart, String expectedPart) {
        int diverged = 0;
        for (CSVRecord row : rows) {
            if (Boolean.parseBoolean(row.get("diverged"))) {
                diverged++;
                String error = row.get("error");
                assertTrue(error.startsWith(expectedStart) && error.contains(expectedPart), row.toString());
                assertTrue(error.startsWith("diverged at iteration " + row.get("iterations_run") + ":"), row.toString());
            } else {
                assertEquals("", row.get("error"), row.toString());
            }
        }
        assertTrue(diverged > 0 && diverged < rows.size(), "some runs diverged, some did not: " + rows);
    }

    private static final String GLM = """
            name: %s
            problems:
              - synthetic: {generator: linear, n: 60, p: 3, seed: 2}
                model: linear-regression
                name: glm
            axes:
              kind: [gd, fisher]
              step-size: [0.5, 1.0e6]
              damping: [1.0e-3]
              iterations: 5
            fast-path: %s
            """;

    @Test
    void aRunAboveTheDivergenceFactorSaysSoOnBothPaths() throws IOException {
        List<CSVRecord> grid = runs(GLM.formatted("grid", "true"), "grid");
        List<CSVRecord> library = runs(GLM.formatted("library", "false"), "library");
        assertReasons(grid, "diverged at iteration ", "rose above 100x the initial ");
        assertReasons(library, "diverged at iteration ", "rose above 100x the initial ");
        for (int k = 0; k < grid.size(); k++) {
            assertEquals(grid.get(k).get("error"), library.get(k).get("error"), "one reason, whichever path");
        }
        String summary = Files.readString(tmp.resolve("grid/summary.csv"));
        for (String line : summary.split("\n")) {
            if (!line.startsWith("problem")) {
                assertTrue(line.endsWith(",0"), "diverged runs are not failed runs: " + line);
            }
        }
    }

    @Test
    void aLossThatOverflowsIsNamed() throws IOException {
        List<CSVRecord> rows = runs("""
                name: overflow
                problems:
                  - synthetic: {generator: linear, n: 40, p: 3, seed: 4}
                    model: linear-regression
                axes:
                  kind: [gd]
                  step-size: [0.01, 1.0e8]
                  iterations: 40
                divergence: {factor: 1.0e300}
                """, "overflow");
        assertReasons(rows, "diverged at iteration ", ": loss ");
        for (CSVRecord row : rows) {
            if (Boolean.parseBoolean(row.get("diverged"))) {
                assertTrue(row.get("error").matches("diverged at iteration \\d+: loss (Infinity|NaN)"), row.toString());
            }
        }
    }

    private static List<Path> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void dryRunNeedsNoOutWritesNothingAndListsTheDataFiles() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("small.libsvm"), "+1 1:0.5 2:1\n-1 2:-1 3:0.25\n+1 1:1 3:-0.5\n-1 1:-1\n");
        Path study = data.resolve("files.yaml");
        String problems = """
                name: files
                problems:
                  - file: small.libsvm
                    format: libsvm
                    columns: 3
                    name: small
                %s
                axes:
                  kind: [gd]
                  step-size: [0.1, 0.2]
                  iterations: 3
                """;
        Files.writeString(study, problems.formatted(""));
        List<Path> before = tree(tmp);
        CommandRun ok = run("ablate", "--study", study.toString(), "--dry-run");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("  small (file): " + data.resolve("small.libsvm").toAbsolutePath() + "  exists"),
                ok.out());
        assertTrue(ok.out().contains("dry run: 2 runs"), ok.out());
        assertEquals(before, tree(tmp), "a dry run writes nothing");

        Files.writeString(study, problems.formatted("""
                  - dataset: a1a
                    name: adult
                """));
        Path nowhere = tmp.resolve("nowhere");
        CommandRun missing = run("ablate", "--study", study.toString(), "--dry-run", "--data-dir", nowhere.toString());
        assertEquals(2, missing.code(), missing.out());
        assertTrue(missing.out().contains("  adult (dataset a1a): " + nowhere.resolve("a1a.libsvm").toAbsolutePath()
                + "  MISSING"), missing.out());
        assertTrue(missing.err().contains("1 of 2 data files missing"), missing.err());
        assertFalse(Files.exists(nowhere));

        CommandRun noOut = run("ablate", "--study", study.toString());
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().contains("--out DIR is required"), noOut.err());
    }
}
