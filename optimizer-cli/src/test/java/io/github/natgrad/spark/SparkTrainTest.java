package io.github.natgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.natgrad.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --engine spark} on an embedded {@code local[2]}: the same objective as the local engine to 1e-9
 * relative (logistic on a sparse LIBSVM file, softmax and linear regression on dense CSV), with both structures (the
 * dense one in at most one pass per iteration; a contradictory structure refused), a run with an injected
 * task failure (retried by Spark) ends where the run without it ends, a resumed run continues to the same trace,
 * as does a driver killed with SIGKILL and resumed, an unreachable master is reported before anything runs, and bad input is refused as the local engine refuses it (file
 * and line; a label before the first iteration).
 */
class SparkTrainTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A seeded sparse logistic problem as a LIBSVM file (labels ±1, 1-based increasing indices). */
    static Path libsvm(Path file, int n, int p, long seed) throws IOException {
        Random r = new Random(seed);
        double[] w = new double[p];
        for (int j = 0; j < p; j++) {
            w[j] = r.nextGaussian();
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            StringBuilder row = new StringBuilder();
            double f = 0;
            for (int j = 0; j < p; j++) {
                if (r.nextDouble() < 0.15) {
                    double v = Math.round(r.nextGaussian() * 100) / 100.0;
                    if (v != 0) {
                        row.append(' ').append(j + 1).append(':').append(v);
                        f += v * w[j];
                    }
                }
            }
            s.append(r.nextDouble() < 1 / (1 + Math.exp(-f)) ? "+1" : "-1").append(row).append('\n');
        }
        Files.writeString(file, s.toString());
        return file;
    }

    /** A seeded dense CSV with a header: p inputs and a label (class 1..3, or a real target). */
    static Path csv(Path file, int n, int p, boolean classes, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < p; j++) {
            s.append("x").append(j).append(',');
        }
        s.append("y\n");
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int j = 0; j < p; j++) {
                double v = Math.round(r.nextGaussian() * 1000) / 1000.0;
                s.append(v).append(',');
                f += (j + 1) * v / p;
            }
            s.append(classes ? String.valueOf(f + 0.3 * r.nextGaussian() > 0.3 ? 3 : f > -0.3 ? 2 : 1)
                    : String.format(Locale.ROOT, "%.4f", f + 0.1 * r.nextGaussian())).append('\n');
        }
        Files.writeString(file, s.toString());
        return file;
    }

    private JsonNode train(String out, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("train", "--quiet", "--out", tmp.resolve(out).toString()));
        all.addAll(List.of(args));
        int code = Main.run(all.toArray(new String[0]));
        JsonNode result = JSON.readTree(tmp.resolve(out).resolve("result.json").toFile());
        // these runs stop on purpose before the gradient tolerance (a few iterations, or a tolerance finer than
        // the objective's rounding): what they compare is the trace and the objective, so "ok" or "not-converged"
        assertEquals(result.get("exit_code").asInt(), code, result.toString());
        assertTrue(code == 0 || result.get("status").asText().equals("not-converged"), result.toString());
        return result;
    }

    private static void assertSameObjective(JsonNode local, JsonNode spark) {
        double a = local.get("objective").asDouble();
        double b = spark.get("objective").asDouble();
        assertEquals(a, b, 1e-9 * Math.abs(a), "local " + local + "\nspark " + spark);
    }

    @Test
    void sparkEqualsTheLocalEngineForEveryModel() throws IOException {
        String data = libsvm(tmp.resolve("train.libsvm"), 600, 40, 1).toString();
        String[] logistic = {"--model", "logistic", "--data", data, "--bias", "--solver", "cg", "--prior-variance",
            "2", "--damping", "none", "--line-search", "--gradient-tolerance", "1e-9", "--max-iterations", "20"};
        JsonNode local = train("local", logistic);
        JsonNode spark = train("spark", concat(logistic, "--engine", "spark", "--master", "local[2]", "--partitions",
                "3"));
        assertSameObjective(local, spark);
        assertEquals(600, spark.get("n").asInt());
        assertEquals("spark", spark.get("engine").asText());
        assertEquals(3, spark.get("partitions").asInt());
        assertTrue(local.get("gradient_norm").asDouble() < 1e-6, local.toString());

        String dense = csv(tmp.resolve("classes.csv"), 400, 5, true, 2).toString();
        String[] softmax = {"--model", "softmax", "--data", dense, "--bias", "--solver", "cg", "--curvature",
            "hessian", "--line-search", "--damping", "none", "--gradient-tolerance", "1e-9", "--max-iterations",
            "40"};
        assertSameObjective(train("local-softmax", softmax), train("spark-softmax", concat(softmax, "--engine",
                "spark", "--master", "local[2]", "--partitions", "2")));

        String real = csv(tmp.resolve("real.csv"), 300, 4, false, 3).toString();
        String[] linear = {"--model", "linear", "--data", real, "--solver", "cg", "--gradient-tolerance", "1e-9"};
        assertSameObjective(train("local-linear", linear), train("spark-linear", concat(linear, "--engine", "spark",
                "--master", "local[2]", "--partitions", "2")));
    }

    @Test
    void theDenseStructureEqualsTheLocalDenseRunInOnePassAnIteration() throws IOException {
        // --solver auto: the local engine factorises the dense matrix (Cholesky, D <= 1024), and so does the spark
        // engine (--structure unset: dense), its matrix summed in the gradient's pass
        String data = libsvm(tmp.resolve("train.libsvm"), 600, 40, 11).toString();
        String[] logistic = {"--model", "logistic", "--data", data, "--bias", "--solver", "auto", "--prior-variance",
            "2", "--damping", "none", "--line-search", "--gradient-tolerance", "1e-9", "--max-iterations", "20"};
        JsonNode local = train("local", logistic);
        JsonNode spark = train("spark", concat(logistic, "--engine", "spark", "--master", "local[2]", "--partitions",
                "3"));
        assertSameObjective(local, spark);
        assertEquals("dense", spark.get("structure").asText());
        assertEquals(0, spark.get("curvature_products").asLong());
        // one pass per point: the start and each accepted trial (whose gradient and matrix the next step reuses)
        int iterations = spark.get("iterations").asInt();
        assertTrue(spark.get("passes").asLong() <= iterations + 1, spark.toString());
        String[] cg = logistic.clone();
        cg[6] = "cg";
        JsonNode matrixFree = train("spark-mf", concat(cg, "--engine", "spark", "--master", "local[2]",
                "--partitions", "3", "--structure", "matrix-free"));
        assertEquals("matrix-free", matrixFree.get("structure").asText());
        assertSameObjective(local, matrixFree);

        String dense = csv(tmp.resolve("classes.csv"), 400, 5, true, 2).toString();
        String[] softmax = {"--model", "softmax", "--data", dense, "--bias", "--curvature", "hessian", "--line-search",
            "--damping", "none", "--gradient-tolerance", "1e-9", "--max-iterations", "40"};
        assertSameObjective(train("local-softmax", softmax), train("spark-softmax", concat(softmax, "--engine",
                "spark", "--master", "local[2]", "--partitions", "2", "--structure", "dense")));

        // a failed task of a dense pass is retried: the same result, the same passes
        System.setProperty("natgrad.spark.injectFailure", "2");
        JsonNode failed;
        try {
            failed = train("spark-failed", concat(logistic, "--engine", "spark", "--master", "local[2]",
                    "--partitions", "3"));
        } finally {
            System.clearProperty("natgrad.spark.injectFailure");
        }
        assertEquals(spark.get("objective").asDouble(), failed.get("objective").asDouble(), 0.0);
        assertEquals(spark.get("passes").asLong(), failed.get("passes").asLong());
    }

    @Test
    void aContradictoryStructureIsRefusedWithWhatToDo() throws IOException {
        String data = libsvm(tmp.resolve("train.libsvm"), 50, 5, 9).toString();
        int code = Main.run("train", "--quiet", "--model", "logistic", "--data", data, "--engine", "spark",
                "--master", "local[2]", "--solver", "cholesky", "--structure", "matrix-free", "--out",
                tmp.resolve("mf").toString());
        String error = JSON.readTree(tmp.resolve("mf/result.json").toFile()).get("error").asText();
        assertEquals(1, code);
        assertTrue(error.contains("--solver cholesky factorises the dense D x D matrix"), error);
        code = Main.run("train", "--quiet", "--model", "logistic", "--data", data, "--structure", "dense", "--out",
                tmp.resolve("local").toString());
        error = JSON.readTree(tmp.resolve("local/result.json").toFile()).get("error").asText();
        assertEquals(1, code);
        assertTrue(error.contains("--structure is an option of a distributed engine"), error);
    }

    @Test
    void aFailedTaskIsRetriedAndTheResultIsUnchanged() throws IOException {
        String data = libsvm(tmp.resolve("train.libsvm"), 300, 20, 4).toString();
        String[] args = {"--model", "logistic", "--data", data, "--solver", "cg", "--engine", "spark", "--master",
            "local[2]", "--partitions", "2", "--max-iterations", "3", "--cg-max-iterations", "5"};
        JsonNode clean = train("clean", args);
        System.setProperty("natgrad.spark.injectFailure", "3");
        JsonNode failed;
        try {
            failed = train("failed", args);
        } finally {
            System.clearProperty("natgrad.spark.injectFailure");
        }
        assertEquals(clean.get("objective").asDouble(), failed.get("objective").asDouble(), 0.0);
        assertEquals(clean.get("passes").asLong(), failed.get("passes").asLong());
    }

    @Test
    void aResumedRunContinuesToTheSameTrace() throws IOException {
        String data = libsvm(tmp.resolve("train.libsvm"), 300, 20, 5).toString();
        String[] args = {"--model", "logistic", "--data", data, "--solver", "cg", "--engine", "spark", "--master",
            "local[2]", "--partitions", "2", "--gradient-tolerance", "1e-12", "--cg-max-iterations", "4"};
        train("straight", concat(args, "--max-iterations", "4"));
        train("resumed", concat(args, "--max-iterations", "2"));
        train("resumed", concat(args, "--max-iterations", "4", "--resume"));
        assertEquals(withoutSeconds(tmp.resolve("straight/trace.csv")), withoutSeconds(tmp.resolve("resumed/trace.csv")));
    }

    @Test
    void aDriverKilledWithSigkillResumesToTheSameTrace() throws Exception {
        String data = libsvm(tmp.resolve("train.libsvm"), 300, 20, 7).toString();
        String[] args = {"--model", "logistic", "--data", data, "--solver", "cg", "--engine", "spark", "--master",
            "local[2]", "--partitions", "2", "--gradient-tolerance", "0", "--cg-max-iterations", "3",
            "--max-iterations", "6"};
        Path killed = tmp.resolve("killed");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
        command.addAll(List.of("-Dnatgrad.relaunch=off", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", "--quiet", "--out", killed.toString()));
        command.addAll(List.of(args));
        Process driver = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("driver.log").toFile()).start();
        Path trace = killed.resolve("checkpoint/state.bin");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!(Files.exists(trace) && Files.readAllLines(killed.resolve("trace.csv")).size() >= 3)
                && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(driver.isAlive(), "the driver ended before it could be killed: " + Files.readString(
                tmp.resolve("driver.log")));
        driver.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no result.json
        int done = Files.readAllLines(killed.resolve("trace.csv")).size() - 1;
        assertTrue(done >= 2 && done < 6, done + " iterations before the kill");
        train("killed", concat(args, "--resume"));
        train("straight", args);
        assertEquals(withoutSeconds(tmp.resolve("straight/trace.csv")), withoutSeconds(killed.resolve("trace.csv")));
    }

    @Test
    void badInputNamesTheFileAndLineOrIsRefusedBeforeTheFirstIteration() throws IOException {
        Path data = libsvm(tmp.resolve("bad.libsvm"), 200, 10, 6);
        List<String> lines = new ArrayList<>(Files.readAllLines(data));
        lines.set(170, "+1 3:0.5 2:0.1");
        Files.write(data, lines);
        int code = Main.run("train", "--quiet", "--model", "logistic", "--data", data.toString(), "--engine", "spark",
                "--master", "local[2]", "--partitions", "3", "--out", tmp.resolve("bad").toString());
        String error = JSON.readTree(tmp.resolve("bad/result.json").toFile()).get("error").asText();
        assertEquals(1, code);
        assertTrue(error.contains(data + ":171:") && error.contains("strictly increasing"), error);

        lines.set(170, "2 1:0.5");
        Files.write(data, lines);
        code = Main.run("train", "--quiet", "--model", "logistic", "--data", data.toString(), "--engine", "spark",
                "--master", "local[2]", "--partitions", "3", "--out", tmp.resolve("label").toString());
        error = JSON.readTree(tmp.resolve("label/result.json").toFile()).get("error").asText();
        assertEquals(1, code);
        assertTrue(error.contains(data + ":171:") && error.contains("label 2.0"), error);
        assertEquals(1, Files.readAllLines(tmp.resolve("label/trace.csv")).size(), "no iteration ran");
    }

    @Test
    void anUnreachableMasterIsReportedBeforeAnythingRuns() throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // free once closed: nothing listens there
        }
        String data = libsvm(tmp.resolve("train.libsvm"), 50, 5, 8).toString();
        int code = Main.run("train", "--quiet", "--model", "logistic", "--data", data, "--engine", "spark",
                "--master", "spark://127.0.0.1:" + port, "--out", tmp.resolve("down").toString());
        String error = JSON.readTree(tmp.resolve("down/result.json").toFile()).get("error").asText();
        assertEquals(1, code);
        assertTrue(error.contains("cannot reach the Spark master 127.0.0.1:" + port), error);
        assertEquals(1, Files.readAllLines(tmp.resolve("down/trace.csv")).size(), "nothing ran");
    }

    private static List<String> withoutSeconds(Path csv) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",", -1);
            f[1] = "";
            out.add(String.join(",", f));
        }
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
