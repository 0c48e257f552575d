package io.github.natgrad.bench.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.natgrad.bench.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Fig. 3 study, on a reduced grid, gives the summary of {@code reproduce optim} on the same
 * grid: the same best step size and damping, final loss, run and divergence counts per optimizer.
 */
class AblateMatchesReproduceTest {
    @TempDir
    Path tmp;

    static Path dataDir() {
        String d = System.getProperty("natgrad.data.dir");
        return d == null ? null : Path.of(d);
    }

    /** The shipped study with a smaller grid and only the given datasets. */
    static String reducedFig3(String... datasets) throws IOException {
        String text = Files.readString(Path.of("..", "studies", "kunstner2019-fig3.yaml"));
        String reduced = text.replace("{logspace: [-20, 10, 241]}", "{logspace: [-6, 2, 9]}")
                .replace("{logspace: [-10, 10, 41]}", "{logspace: [-6, 2, 5]}").replace("iterations: 100", "iterations: 30");
        StringBuilder problems = new StringBuilder("problems:\n");
        for (String d : datasets) {
            problems.append("  - dataset: ").append(d).append('\n');
        }
        return reduced.replaceAll("(?s)problems:\\n(  - [^\\n]*\\n)+", problems.toString().replace("$", "\\$"));
    }

    @Test
    void reducedFig3SummaryEqualsReproduceOptim() throws IOException {
        Path data = dataDir();
        assumeTrue(data != null && Files.exists(data.resolve("breast_cancer.csv")), "needs ../shared/datasets");
        Path study = tmp.resolve("fig3.yaml");
        Files.writeString(study, reducedFig3("breast-cancer", "wine"));
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", tmp.resolve("ablate").toString(),
                "--threads", "2", "--data-dir", data.toString()));
        assertEquals(0, Main.run("reproduce", "optim", "--datasets", "breast-cancer,wine", "--lrs", "-6:2:9", "--dampings",
                "-6:2:5", "--iterations", "30", "--threads", "2", "--data-dir", data.toString(), "--out",
                tmp.resolve("reproduce").toString()));
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("reproduce/optim/summary.csv")).subList(1, 7)) {
            String[] f = line.split(",", -1); // dataset,optimizer,lr,damping,initial_loss,final_loss,runs,diverged_runs
            expected.add(String.join(",", f[0], f[1], f[2], f[3], f[5], f[6], f[7]));
        }
        Map<String, String> kinds = Map.of("gd", "GD", "fisher", "NGD", "empirical-fisher", "EFGD");
        List<String> actual = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("ablate/summary.csv")).subList(1, 7)) {
            // problem,kind,iterations,step-size,damping,final-objective,final_objective,seeds,runs,diverged_runs,failed_runs
            String[] f = line.split(",", -1);
            assertEquals("0", f[10], line);
            actual.add(String.join(",", f[0], kinds.get(f[1]), f[3], f[4], f[5], f[8], f[9]));
        }
        assertEquals(expected, actual);
        // every run of the grid is in runs.csv, once: 2 datasets x 9 x (1 + 2 x 5)
        assertEquals(1 + 2 * 9 * 11, Files.readAllLines(tmp.resolve("ablate/runs.csv")).size());
    }
}
