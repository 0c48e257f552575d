package io.github.natgrad.cli;

import io.github.natgrad.training.TrainLog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train command end to end, as a user runs it: outputs, every model, bad input, a failing run. */
public class TrainCommandTest {
    @TempDir
    public Path dir;

    public static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    /** A seeded sparse two-class (or K-class) LIBSVM file. */
    public Path libsvm(String name, int n, int p, int classes, long seed) throws IOException {
        Random r = new Random(seed);
        double[][] w = new double[Math.max(classes, 1)][p];
        for (double[] row : w) {
            for (int j = 0; j < p; j++) {
                row[j] = r.nextGaussian();
            }
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            StringBuilder features = new StringBuilder();
            double[] f = new double[w.length];
            for (int j = 0; j < p; j++) {
                if (r.nextDouble() < 0.3) {
                    double v = Math.round(r.nextGaussian() * 100) / 100.0;
                    features.append(' ').append(j + 1).append(':').append(v);
                    for (int c = 0; c < w.length; c++) {
                        f[c] += v * w[c][j];
                    }
                }
            }
            String label;
            if (classes == 0) {
                label = String.valueOf(f[0] + 0.1 * r.nextGaussian());
            } else if (classes == 2) {
                label = r.nextDouble() < 1 / (1 + Math.exp(-f[0])) ? "+1" : "-1";
            } else {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    best = f[c] > f[best] ? c : best;
                }
                label = String.valueOf(best + 1);
            }
            s.append(label).append(features).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, s.toString());
        return file;
    }

    @Test
    void trainsLogisticRegressionWithTraceResultTestAndParameters() throws IOException {
        List<String> lines = Files.readAllLines(libsvm("all.libsvm", 400, 20, 2, 1));
        Path train = Files.write(dir.resolve("train.libsvm"), lines.subList(0, 300));
        Path test = Files.write(dir.resolve("test.libsvm"), lines.subList(300, 400));
        Path out = dir.resolve("out");
        Path params = dir.resolve("theta.txt");
        CommandRun r = run("train", "--model", "logistic", "--data", train.toString(), "--test", test.toString(), "--bias",
                "--columns", "20", "--solver", "cg", "--damping", "none", "--line-search", "--gradient-tolerance", "1e-6",
                "--out", out.toString(),
                "--save-parameters", params.toString());
        assertEquals(0, r.code(), r.err());
        List<String> trace = Files.readAllLines(out.resolve("trace.csv"));
        assertEquals(TrainLog.HEADER, trace.get(0));
        long progress = r.out().lines().filter(l -> l.startsWith("iter ")).count();
        assertEquals(trace.size() - 1, progress, "one progress line per iteration");
        assertTrue(trace.get(1).split(",", -1)[10].length() > 0, "test accuracy in the trace");
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        for (String key : List.of("model", "data", "n", "d", "nnz", "objective", "gradient_norm", "iterations",
                "seconds", "curvature_products", "peak_heap_bytes")) {
            assertTrue(result.has(key), key + " missing from " + result);
        }
        assertEquals("ok", result.get("status").asText());
        assertEquals(21, result.get("d").asInt());
        assertTrue(result.get("gradient_norm").asDouble() < 1e-6 * 0.7, result.toString());
        assertTrue(result.get("curvature_products").asLong() > 0);
        assertEquals(21, Files.readAllLines(params).size());
        assertTrue(result.get("test_accuracy").asDouble() > 0.6, result.toString());
    }

    @Test
    void everySolverReachesTheSameObjective() throws IOException {
        Path train = libsvm("s.libsvm", 200, 30, 2, 3);
        double first = Double.NaN;
        for (String solver : List.of("cholesky", "cg", "woodbury", "auto")) {
            Path out = dir.resolve("o-" + solver);
            CommandRun r = run("train", "--model", "logistic", "--data", train.toString(), "--solver", solver, "--damping",
                    "none", "--line-search", "--gradient-tolerance", "1e-8", "--out", out.toString(), "--quiet");
            assertEquals(0, r.code(), solver + ": " + r.err());
            double objective = new ObjectMapper().readTree(out.resolve("result.json").toFile()).get("objective")
                    .asDouble();
            if (Double.isNaN(first)) {
                first = objective;
            }
            assertEquals(first, objective, 1e-10 * first, solver);
        }
    }

    @Test
    void trainsProbitSoftmaxAndLinearModels() throws IOException {
        Path binary = libsvm("b.libsvm", 150, 10, 2, 4);
        Path classes = libsvm("k.libsvm", 150, 10, 3, 5);
        Path real = libsvm("r.libsvm", 150, 10, 0, 6);
        for (String[] c : new String[][] {{"probit", binary.toString()}, {"softmax", classes.toString()},
            {"linear", real.toString()}}) {
            Path out = dir.resolve("m-" + c[0]);
            CommandRun r = run("train", "--model", c[0], "--data", c[1], "--bias", "--solver", "cg", "--gradient-tolerance",
                    "1e-6", "--out", out.toString(), "--quiet");
            assertEquals(0, r.code(), c[0] + ": " + r.err());
            JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
            assertTrue(result.get("gradient_norm").asDouble() < 1e-5, c[0] + ": " + result);
        }
    }

    @Test
    void badInputGivesAClearErrorAndAResult() throws IOException {
        Path train = libsvm("t.libsvm", 50, 5, 2, 7);
        Path out = dir.resolve("bad");
        CommandRun sigma = run("train", "--model", "logistic", "--data", train.toString(), "--prior-variance", "0", "--out",
                out.toString());
        assertEquals(1, sigma.code());
        assertTrue(sigma.err().contains("--prior-variance must be"), sigma.err());

        Path malformed = dir.resolve("m.libsvm");
        Files.writeString(malformed, "+1 1:1\n-1 3:1 2:1\n");
        CommandRun m = run("train", "--model", "logistic", "--data", malformed.toString(), "--out", out.toString());
        assertEquals(1, m.code());
        assertTrue(m.err().contains(malformed + ":2:"), m.err());
        assertTrue(Files.readString(out.resolve("result.json")).contains("\"failed\""));

        Path wide = libsvm("w.libsvm", 20, 9, 2, 8);
        CommandRun cols = run("train", "--model", "logistic", "--data", train.toString(), "--test", wide.toString(), "--out",
                out.toString());
        assertEquals(1, cols.code());
        assertTrue(cols.err().contains("columns"), cols.err());

        CommandRun model = run("train", "--model", "tree", "--data", train.toString(), "--out", out.toString());
        assertEquals(1, model.code());
        assertTrue(model.err().contains("unknown --model 'tree'"), model.err());
    }

    @Test
    void aRunThatFailsLeavesItsTraceIntact() throws IOException {
        Path train = libsvm("f.libsvm", 80, 8, 2, 9);
        Path out = dir.resolve("fail");
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file, so nothing can be written below it");
        CommandRun r = run("train", "--model", "logistic", "--data", train.toString(), "--max-iterations", "3", "--out",
                out.toString(), "--save-parameters", blocker.resolve("theta.txt").toString());
        assertEquals(1, r.code());
        List<String> trace = Files.readAllLines(out.resolve("trace.csv"));
        assertEquals(4, trace.size(), "header and the three finished iterations");
        assertTrue(Files.readString(out.resolve("result.json")).contains("\"status\" : \"failed\""));
    }

    @Test
    void a1aTrainsLikeLiblinearScaled() {
        String property = System.getProperty("natgrad.data.dir");
        assumeTrue(property != null && Files.isRegularFile(Path.of(property, "a1a.libsvm")), "no a1a.libsvm");
        Path out = dir.resolve("a1a");
        CommandRun r = run("train", "--model", "logistic", "--data", Path.of(property, "a1a.libsvm").toString(), "--bias",
                "--solver", "cg", "--cg-stop", "liblinear", "--cg-preconditioner", "mixed", "--damping", "none",
                "--line-search", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
    }

    /**
     * train's defaults (TRON's trust region, TRON's CG rule and preconditioner) reach LIBLINEAR's objective in at most 1.5×
     * the Newton iterations of LIBLINEAR itself (its Java port, -s 0 -c 1 -B 1 -e 1e-4), on a seeded sparse
     * file and on a1a; the old default (Levenberg-Marquardt from λ = 1) took about 20 more on a1a-sized data.
     */
    @Test
    void defaultsReachLiblinearsObjectiveInAsManyNewtonIterations() throws IOException {
        java.util.List<Path> files = new java.util.ArrayList<>(List.of(libsvm("glm.libsvm", 1500, 60, 2, 9)));
        String property = System.getProperty("natgrad.data.dir");
        if (property != null && Files.isRegularFile(Path.of(property, "a1a.libsvm"))) {
            files.add(Path.of(property, "a1a.libsvm"));
        }
        for (Path file : files) {
            double[] liblinear = liblinear(file); // {iterations, objective on LIBLINEAR's scale}
            Path out = dir.resolve("auto-" + file.getFileName());
            CommandRun r = run("train", "--model", "logistic", "--data", file.toString(), "--bias", "--gradient-tolerance",
                    "1e-6", "--out", out.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
            JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
            double scale = result.get("n").asDouble(); // N·C with C = 1
            List<String> trace = Files.readAllLines(out.resolve("trace.csv"));
            int column = List.of(trace.get(0).split(",")).indexOf("objective");
            int reached = -1;
            // the objective in row i is at θ before step i: LIBLINEAR's is reached after i steps
            for (int i = 1; i < trace.size() && reached < 0; i++) {
                if (Double.parseDouble(trace.get(i).split(",", -1)[column]) * scale <= liblinear[1] * (1 + 1e-9)) {
                    reached = i - 1;
                }
            }
            if (reached < 0) {
                reached = result.get("iterations").asInt();
                assertTrue(result.get("objective_liblinear_scale").asDouble() <= liblinear[1] * (1 + 1e-9),
                        file + ": " + result + " vs LIBLINEAR's " + liblinear[1]);
            }
            assertTrue(reached <= Math.ceil(1.5 * liblinear[0]), file + ": natgrad reached LIBLINEAR's objective "
                    + liblinear[1] + " after " + reached + " iterations, LIBLINEAR took " + liblinear[0]);
        }
    }

    /**
     * No step is taken from a θ that already meets the tolerance: near the target the loop checks ‖∇L‖ before the
     * step (as TRON tests the new gradient before its next solve), so every trace row's ‖∇L‖ is above the target
     * and the run ends converged with ‖∇L‖ at or below it.
     */
    @Test
    void noStepIsTakenOnceTheGradientMeetsTheTolerance() throws IOException {
        Path file = libsvm("near.libsvm", 1500, 60, 2, 9);
        Path out = dir.resolve("near");
        CommandRun r = run("train", "--model", "logistic", "--data", file.toString(), "--gradient-tolerance", "1e-4",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        List<String> trace = Files.readAllLines(out.resolve("trace.csv"));
        int column = List.of(trace.get(0).split(",")).indexOf("gradient_norm");
        double g0 = Double.parseDouble(trace.get(1).split(",", -1)[column]);
        for (int i = 1; i < trace.size(); i++) {
            assertTrue(Double.parseDouble(trace.get(i).split(",", -1)[column]) > 1e-4 * g0, "row " + i + ": " + trace.get(i));
        }
        assertEquals(trace.size() - 1, result.get("iterations").asInt());
        assertTrue(result.get("gradient_norm").asDouble() <= 1e-4 * g0, result.toString());
        assertEquals("ok", result.get("status").asText());
    }

    /**
     * The default stop is LIBLINEAR's own rule, ‖g‖ ≤ 0.01·max(1, min(#pos, #neg))/N · ‖g₀‖ (counted here from the
     * file), and it does no more Newton iterations than LIBLINEAR (its Java port, -s 0 -c 1 -B 1 at its default
     * -e 0.01) while reaching an objective as close to the optimum as LIBLINEAR's, to within 10⁻⁹ of it.
     */
    @Test
    void defaultStopIsLiblinearsRuleAtLiblinearsCost() throws IOException {
        Path file = libsvm("stop.libsvm", 1500, 60, 2, 9);
        long positives = Files.readAllLines(file).stream().filter(l -> l.startsWith("+1")).count();
        long n = Files.readAllLines(file).size();
        double tolerance = 0.01 * Math.max(1, Math.min(positives, n - positives)) / n;
        Path out = dir.resolve("stop");
        CommandRun r = run("train", "--model", "logistic", "--data", file.toString(), "--bias", "--out", out.toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals(tolerance, result.get("gradient_tolerance").asDouble(), 1e-15 * tolerance);
        assertEquals("liblinear", result.get("stop_rule").asText());
        List<String> trace = Files.readAllLines(out.resolve("trace.csv"));
        double g0 = Double.parseDouble(trace.get(1).split(",", -1)[List.of(trace.get(0).split(",")).indexOf(
                "gradient_norm")]);
        assertTrue(result.get("gradient_norm").asDouble() <= tolerance * g0, result.toString());

        Path tight = dir.resolve("tight");
        assertEquals(0, run("train", "--model", "logistic", "--data", file.toString(), "--bias", "--gradient-tolerance",
                "1e-12", "--out", tight.toString(), "--quiet").code());
        double optimum = new ObjectMapper().readTree(tight.resolve("result.json").toFile())
                .get("objective_liblinear_scale").asDouble();
        double[] liblinear = liblinear(file, 0.01);
        double natgradGap = result.get("objective_liblinear_scale").asDouble() - optimum;
        double liblinearGap = liblinear[1] - optimum;
        assertTrue(result.get("iterations").asInt() <= liblinear[0], result.get("iterations") + " Newton iterations, "
                + "LIBLINEAR " + liblinear[0]);
        assertTrue(natgradGap <= Math.max(liblinearGap, 0) + 1e-9 * optimum, "natgrad's objective " + natgradGap
                + " above the optimum " + optimum + ", LIBLINEAR's " + liblinearGap);

        // LIBLINEAR's -e: the same rule with another epsilon; with a numeric tolerance it is a usage mistake
        Path e4 = dir.resolve("e4");
        assertEquals(0, run("train", "--model", "logistic", "--data", file.toString(), "--epsilon", "1e-4", "--out",
                e4.toString(), "--quiet").code());
        assertEquals(tolerance / 100, new ObjectMapper().readTree(e4.resolve("result.json").toFile())
                .get("gradient_tolerance").asDouble(), 1e-15 * tolerance);
        CommandRun both = run("train", "--model", "logistic", "--data", file.toString(), "--epsilon", "1e-4",
                "--gradient-tolerance", "1e-6", "--out", dir.resolve("both").toString(), "--quiet");
        assertEquals(1, both.code());
        assertTrue(both.err().contains("drop --epsilon"), both.err());
        CommandRun word = run("train", "--model", "logistic", "--data", file.toString(), "--gradient-tolerance", "tight",
                "--out", dir.resolve("word").toString(), "--quiet");
        assertEquals(2, word.code());
        assertTrue(word.err().contains("--gradient-tolerance must be a number"), word.err());
    }

    /** LIBLINEAR's Java port on a LIBSVM file at -e 1e-4: {Newton iterations, final objective}. */
    private static double[] liblinear(Path file) throws IOException {
        return liblinear(file, 1e-4);
    }

    /** LIBLINEAR's Java port on a LIBSVM file: {Newton iterations, final objective ½‖w‖² + C Σ log(1 + e^{−y wᵀx})}. */
    private static double[] liblinear(Path file, double epsilon) throws IOException {
        de.bwaldvogel.liblinear.Problem problem;
        try {
            problem = de.bwaldvogel.liblinear.Problem.readFromFile(file, 1.0);
        } catch (de.bwaldvogel.liblinear.InvalidInputDataException e) {
            throw new IOException(e);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        de.bwaldvogel.liblinear.Linear.setDebugOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
        de.bwaldvogel.liblinear.Model model;
        try {
            model = de.bwaldvogel.liblinear.Linear.train(problem, new de.bwaldvogel.liblinear.Parameter(
                    de.bwaldvogel.liblinear.SolverType.L2R_LR, 1.0, epsilon));
        } finally {
            de.bwaldvogel.liblinear.Linear.disableDebugOutput();
        }
        int iterations = 0;
        for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
            iterations += line.startsWith("iter") ? 1 : 0;
        }
        double[] w = model.getFeatureWeights();
        double sign = model.getLabels()[0] == 1 ? 1 : -1;
        double f = 0;
        for (double v : w) {
            f += 0.5 * v * v;
        }
        for (int i = 0; i < problem.l; i++) {
            double z = 0;
            for (de.bwaldvogel.liblinear.Feature x : problem.x[i]) {
                z += w[x.getIndex() - 1] * x.getValue();
            }
            double yz = (problem.y[i] == 1 ? 1 : -1) * sign * z;
            f += yz >= 0 ? Math.log1p(Math.exp(-yz)) : -yz + Math.log1p(Math.exp(yz));
        }
        return new double[] {iterations, f};
    }
}
