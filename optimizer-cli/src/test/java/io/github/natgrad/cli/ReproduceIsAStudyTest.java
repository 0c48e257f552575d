package io.github.natgrad.cli;

import io.github.natgrad.bench.ablate.GridPath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce optim} is a client of the study engine: the same grid written as a study file and run
 * by {@code ablate} gives every run the same bits (final objective, iterations, divergence) as the
 * reproduction's runs.csv, and the same best runs as its summary.csv. The grid has 14 step sizes, so the
 * tasks span two blocks of {@value GridPath#STEP_SIZES_PER_SWEEP} step sizes (the sweep's batched products
 * round by the runs they hold: equal bits need equal blocks). Linear problems: their runs give the same bits
 * in interpreted and compiled code (the SIMD exp/log of the logistic loss may differ in the last bit).
 */
class ReproduceIsAStudyTest {
    static final String STUDY = """
            name: reproduce-as-study
            problems:
              - paper: linear-misspecified-noise
              - paper: linear-well-specified
            axes:
              kind: [gd, fisher, empirical-fisher]
              step-size: {logspace: [-6, 2, 14]}
              damping: {logspace: [-6, 2, 5]}
              iterations: 20
            metric: final-objective
            divergence: {factor: 100}
            """;

    @TempDir
    Path tmp;

    @Test
    void reproduceOptimGivesTheStudysRunsAndSummary() throws IOException {
        Path study = tmp.resolve("grid.yaml");
        Files.writeString(study, STUDY);
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", tmp.resolve("ablate").toString(),
                "--threads", "2"));
        assertEquals(0, Main.run("reproduce", "optim", "--datasets", "linear-misspecified-noise,linear-well-specified",
                "--lrs", "-6:2:14", "--dampings", "-6:2:5", "--iterations", "20", "--threads", "2", "--no-figures",
                "--out", tmp.resolve("reproduce").toString()));
        Map<String, String> kinds = Map.of("gd", "GD", "fisher", "NGD", "empirical-fisher", "EFGD");
        // ablate: problem,kind,step-size,damping,iterations,metric,final_objective,iterations_run,diverged,seconds,error
        Map<String, String> studyRuns = new HashMap<>();
        List<String> ablate = Files.readAllLines(tmp.resolve("ablate/runs.csv"));
        for (String line : ablate.subList(1, ablate.size())) {
            String[] f = line.split(",", -1);
            assertEquals(f[8].equals("true"), !f[10].isEmpty(), "no run fails, a diverged one says why: " + line);
            String lr = Double.toString(Double.parseDouble(f[2]));
            String damping = f[3].isEmpty() ? "" : Double.toString(Double.parseDouble(f[3]));
            studyRuns.put(String.join(",", f[0], kinds.get(f[1]), lr, damping), String.join(",", f[6], f[7], f[8]));
        }
        // reproduce: dataset,optimizer,lr,damping,iterations,final_loss,diverged
        List<String> reproduce = Files.readAllLines(tmp.resolve("reproduce/optim/runs.csv"));
        assertEquals(2 * 14 * (1 + 2 * 5), reproduce.size() - 1);
        assertEquals(reproduce.size() - 1, studyRuns.size());
        for (String line : reproduce.subList(1, reproduce.size())) {
            String[] f = line.split(",", -1);
            String key = String.join(",", f[0], f[1], Double.toString(Double.parseDouble(f[2])),
                    f[3].isEmpty() ? "" : Double.toString(Double.parseDouble(f[3])));
            assertEquals(String.join(",", f[5], f[4], f[6]), studyRuns.get(key), key);
        }
        // the best run of each optimizer: the same step size, damping, final loss, run and divergence counts
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("reproduce/optim/summary.csv")).subList(1, 7)) {
            String[] f = line.split(",", -1); // dataset,optimizer,lr,damping,initial_loss,final_loss,runs,diverged_runs
            expected.add(String.join(",", f[0], f[1], f[2], f[3], f[5], f[6], f[7]));
        }
        List<String> actual = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("ablate/summary.csv")).subList(1, 7)) {
            // problem,kind,iterations,step-size,damping,final-objective,final_objective,seeds,runs,diverged_runs,failed_runs
            String[] f = line.split(",", -1);
            assertEquals("0", f[10], line);
            actual.add(String.join(",", f[0], kinds.get(f[1]), f[3], f[4], f[5], f[8], f[9]));
        }
        assertEquals(expected, actual);
    }
}
