package io.github.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming: a study killed with {@code kill -9} (a real child JVM, several times) loses at most the run in
 * flight per kill and ends with the rows of an uninterrupted run; a changed study or another study in the
 * folder is refused and nothing there is lost.
 */
class AblateResumeTest {
    /**
     * 1000 short runs, one run per task (no grid path), needing no data. Linear regression: its runs give
     * the same bits in every JVM (the SIMD exp/log kernels of the logistic loss can differ in the last
     * bit between interpreted and compiled code, so a logistic study is not bit-reproducible across JVMs).
     */
    static final String THOUSAND = """
            name: thousand
            problems:
              - synthetic: {generator: linear, n: 60, p: 4, seed: 3}
                model: linear-regression
            axes:
              kind: [fisher, empirical-fisher]
              step-size: {linspace: [0.02, 1.0, 50]}
              damping: {logspace: [-4, 0, 10]}
              iterations: 3
            fast-path: false
            """;

    @TempDir
    Path tmp;

    /** The rows of a runs.csv without the seconds column (the 10th of 11), complete lines only. */
    static List<String> rowsWithoutSeconds(Path runs) throws IOException {
        String text = Files.readString(runs);
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int k = 1; k < lines.length - 1; k++) {
            String[] f = lines[k].split(",", -1);
            f[f.length - 2] = "";
            out.add(String.join(",", f));
        }
        return out;
    }

    @Test
    void killNineLosesAtMostTheRunInFlight() throws Exception {
        Path study = tmp.resolve("thousand.yaml");
        Files.writeString(study, THOUSAND);
        Path out = tmp.resolve("out");
        Path runs = out.resolve("runs.csv");
        int kills = 0;
        int before = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            Process child = child(study, out);
            AtomicInteger computed = new AtomicInteger();
            int threshold = 150;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("computed ")) {
                        computed.set(Integer.parseInt(line.substring(9).trim()));
                        if (computed.get() >= threshold) {
                            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).inheritIO().start().waitFor();
                            kills++;
                            break;
                        }
                    }
                }
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            int stored = rowsWithoutSeconds(runs).size();
            // each 'computed N' is printed just before the task's run is stored: at most that one is lost
            assertTrue(stored >= before + computed.get() - 1, "stored " + stored + " rows, had " + before
                    + " and computed " + computed.get() + " before kill " + kills);
            before = stored;
        }
        assertEquals(3, kills);
        Process last = child(study, out);
        last.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(0, last.waitFor());
        List<String> resumed = rowsWithoutSeconds(runs);
        assertEquals(1000, resumed.size());
        assertEquals(1000, new HashSet<>(resumed).size());
        // the same rows, in the same order, as an uninterrupted run
        Path clean = tmp.resolve("clean");
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", clean.toString(), "--threads", "2"));
        List<String> expected = rowsWithoutSeconds(clean.resolve("runs.csv"));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), resumed.get(i), "row " + (i + 1));
        }
    }

    private Process child(Path study, Path out) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "ablate", "--study", study.toString(),
                "--out", out.toString(), "--threads", "1", "--trace-runs");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(false);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    @Test
    void aChangedStudyOrAnotherStudyIsRefusedAndNothingIsLost() throws IOException {
        String small = THOUSAND.replace("{linspace: [0.02, 1.0, 50]}", "[0.1, 0.5]").replace("iterations: 3", "iterations: 5");
        Path study = tmp.resolve("s.yaml");
        Files.writeString(study, small);
        Path out = tmp.resolve("out");
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", out.toString()));
        String runs = Files.readString(out.resolve("runs.csv"));
        assertEquals(41, runs.split("\n").length);
        // the same command again: nothing to do, same file
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", out.toString()));
        assertEquals(runs, Files.readString(out.resolve("runs.csv")));
        // a cut-short last line (a kill mid-write) is dropped and the run done again
        String[] lines = runs.split("\n");
        Files.writeString(out.resolve("runs.csv"), String.join("\n", java.util.Arrays.copyOf(lines, lines.length - 1))
                + "\n" + lines[lines.length - 1].substring(0, 20));
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", out.toString()));
        assertEquals(rowsWithoutSeconds(Path.of(out + "/runs.csv")).size(), 40);
        // edited study: refused, then --fresh keeps the old runs aside
        Files.writeString(study, small.replace("iterations: 5", "iterations: 6"));
        assertEquals(2, Main.run("ablate", "--study", study.toString(), "--out", out.toString()));
        assertEquals(40, rowsWithoutSeconds(out.resolve("runs.csv")).size());
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", out.toString(), "--fresh"));
        Set<String> kept = new HashSet<>();
        try (var files = Files.list(out)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("runs-")).forEach(kept::add);
        }
        assertEquals(1, kept.size());
        assertTrue(rowsWithoutSeconds(out.resolve("runs.csv")).get(0).contains(",6,"));
        // another study into the same folder: refused
        Path other = tmp.resolve("other.yaml");
        Files.writeString(other, small.replace("name: thousand", "name: other"));
        assertEquals(2, Main.run("ablate", "--study", other.toString(), "--out", out.toString()));
        assertEquals(40, rowsWithoutSeconds(out.resolve("runs.csv")).size());
    }
}
