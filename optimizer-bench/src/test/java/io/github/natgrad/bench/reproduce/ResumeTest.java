package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.GridValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.problems.PaperProblems;
import io.github.natgrad.bench.problems.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optim experiment's outputs, its best-run rule and its resumability: a grid interrupted part-way
 * (runs.csv holding part of the grid and a line cut short) and re-run computes only the missing runs and
 * ends with the same files as a clean run.
 */
class ResumeTest {
    static final Grid GRID = new Grid(GridValues.logspace(-2, 1, 4), GridValues.logspace(-3, 0, 3), 15);

    @TempDir
    Path tmp;

    private static List<Problem> problems() {
        return List.of(PaperProblems.misspecLogistic(PaperProblems.Variant.WELL_SPECIFIED, 2),
                PaperProblems.misspecLinear(PaperProblems.Variant.MISSPECIFIED_MODEL, 2));
    }

    private static String run(Path out) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new OptimExperiment(out, GRID, 2, new PrintStream(log, true, StandardCharsets.UTF_8)).run(problems());
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void interruptedGridResumesToTheSameFiles() throws IOException {
        Path clean = tmp.resolve("clean");
        run(clean);
        Path runs = clean.resolve("optim/runs.csv");
        List<String> lines = Files.readAllLines(runs);
        assertEquals(1 + 2 * GRID.runsPerDataset(), lines.size());
        assertEquals(OptimRuns.HEADER, lines.get(0));

        // simulate an interruption: the header, the first 20 rows in another order, a line cut short
        Path resumed = tmp.resolve("resumed");
        Files.createDirectories(resumed.resolve("optim"));
        StringBuilder partial = new StringBuilder(lines.get(0)).append('\n');
        for (int k = 20; k >= 1; k--) {
            partial.append(lines.get(k)).append('\n');
        }
        partial.append(lines.get(21), 0, lines.get(21).length() / 2);
        // a finished run with a marked loss: if it were recomputed, the mark would disappear
        String marked = lines.get(5).replaceAll(",[^,]*,(true|false)$", "," + GridValues.format(12345.0) + ",$1");
        partial.replace(partial.indexOf(lines.get(5)), partial.indexOf(lines.get(5)) + lines.get(5).length(), marked);
        Files.writeString(resumed.resolve("optim/runs.csv"), partial.toString());

        String log = run(resumed);
        List<String> after = Files.readAllLines(resumed.resolve("optim/runs.csv"));
        assertTrue(after.contains(marked), "a finished run was recomputed");
        assertTrue(log.contains((GRID.runsPerDataset() - 20) + " of " + GRID.runsPerDataset() + " runs to do"), log);

        // with the marked row restored, the resumed files equal the clean ones
        Files.writeString(resumed.resolve("optim/runs.csv"), Files.readString(resumed.resolve("optim/runs.csv"))
                .replace(marked, lines.get(5)));
        assertEquals(Files.readString(runs), Files.readString(resumed.resolve("optim/runs.csv")));
        for (String f : List.of("curves.csv", "cosine.csv")) {
            assertEquals(Files.readString(clean.resolve("optim").resolve(f)),
                    Files.readString(resumed.resolve("optim").resolve(f)), f);
        }

        // a third run has nothing to do
        String again = run(resumed);
        assertTrue(again.contains("already in"), again);
    }

    @Test
    void summaryHoldsTheBestRunOfEachOptimizer() throws IOException {
        Path out = tmp.resolve("s");
        run(out);
        List<String> runs = Files.readAllLines(out.resolve("optim/runs.csv"));
        List<String> summary = Files.readAllLines(out.resolve("optim/summary.csv"));
        assertEquals("dataset,optimizer,lr,damping,initial_loss,final_loss,runs,diverged_runs", summary.get(0));
        assertEquals(1 + 2 * 3, summary.size());
        for (String row : summary.subList(1, summary.size())) {
            String[] f = row.split(",", -1);
            // independent of the experiment: scan runs.csv in grid order for the lowest final loss
            String bestLine = null;
            double best = Double.POSITIVE_INFINITY;
            int count = 0;
            int diverged = 0;
            for (String r : runs.subList(1, runs.size())) {
                String[] g = r.split(",", -1);
                if (!g[0].equals(f[0]) || !g[1].equals(f[1])) {
                    continue;
                }
                count++;
                if (Boolean.parseBoolean(g[6])) {
                    diverged++;
                } else if (Double.parseDouble(g[5]) < best) {
                    best = Double.parseDouble(g[5]);
                    bestLine = r;
                }
            }
            String[] b = bestLine.split(",", -1);
            assertEquals(b[2], f[2], row);
            assertEquals(b[3], f[3], row);
            assertEquals(b[5], f[5], row);
            assertEquals(Integer.toString(count), f[6]);
            assertEquals(Integer.toString(diverged), f[7]);
            assertEquals(f[1].equals("GD"), f[3].isEmpty());
        }
        // the linear problem has diverging runs at the largest step size
        assertTrue(summary.stream().anyMatch(s -> s.startsWith("linear") && !s.endsWith(",0")), summary.toString());
        // the curves end at the summary's final loss and start at its initial loss
        List<String> curves = Files.readAllLines(out.resolve("optim/curves.csv"));
        for (String row : summary.subList(1, summary.size())) {
            String[] f = row.split(",", -1);
            List<String> c = curves.stream().filter(l -> l.startsWith(f[0] + "," + f[1] + ",")).toList();
            assertEquals(GRID.iterations() + 1, c.size());
            assertEquals(f[4], c.get(0).split(",")[3]);
            assertEquals(f[5], c.get(c.size() - 1).split(",")[3]);
        }
        assertTrue(Files.exists(out.resolve("optim/optim-linear-misspecified-model-loss.png")));
        assertTrue(Files.exists(out.resolve("optim/optim-linear-misspecified-model-loss.svg")));
    }
}
