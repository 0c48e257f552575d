package io.github.natgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.cli.Main;
import io.github.natgrad.bench.ablate.AblationEngine;
import io.github.natgrad.bench.ablate.Engines;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.Simd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark engine on an embedded {@code local[2]} gives the local engine's runs.csv row for row (all
 * columns but seconds) and the same summary; an unreachable master is reported at once; executors get the
 * Vector API module and one BLAS thread, and the engine's first line says which path they take.
 */
class SparkEngineTest {
    /** Grid-path runs (GLM, gd/fisher/ef) and library runs (MLP, LM damping, Monte-Carlo Fisher with seeds). */
    private static final String STUDY = """
            name: spark-vs-local
            problems:
              - synthetic: {generator: logistic, n: 80, p: 3, seed: 2}
                name: glm
              - synthetic: {generator: mlp-regression, n: 40, seed: 5}
                name: mlp
                hidden: [3]
            axes:
              kind: [gd, fisher, empirical-fisher, mc-fisher]
              damping-policy: [fixed, levenberg-marquardt]
              step-size: [0.3, 1.0]
              damping: [1.0e-3, 1.0e-1]
              seed: [1, 2]
              iterations: 5
            """;

    @TempDir
    Path tmp;

    private static List<String> withoutSeconds(Path csv) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",", -1);
            f[f.length - 2] = "";
            out.add(String.join(",", f));
        }
        return out;
    }

    @Test
    void sparkLocalTwoEqualsTheLocalEngineRowForRow() throws IOException {
        Path study = tmp.resolve("study.yaml");
        Files.writeString(study, STUDY);
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", tmp.resolve("local").toString(),
                "--threads", "2"));
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", tmp.resolve("spark").toString(),
                "--engine", "spark", "--master", "local[2]"));
        List<String> local = withoutSeconds(tmp.resolve("local/runs.csv"));
        List<String> spark = withoutSeconds(tmp.resolve("spark/runs.csv"));
        // 2 problems x (gd: 2 lr x 2 seeds + fisher, ef: 2 policies x 2 lr x 2 dampings x 2 seeds + mc: the same)
        assertEquals(1 + 2 * (4 + 3 * 16), local.size());
        assertEquals(local, spark);
        assertEquals(Files.readString(tmp.resolve("local/summary.csv")), Files.readString(tmp.resolve("spark/summary.csv")));
        assertTrue(Files.exists(tmp.resolve("spark/README.md")));
    }

    /** A study kind (Fig. 1, short trajectories) through Spark: the local engine's files, byte for byte. */
    @Test
    void aStudyKindOnSparkWritesTheLocalEnginesFiles() throws IOException {
        Path study = tmp.resolve("fig1.yaml");
        Files.writeString(study, "name: fig1\nexperiment: vecfield\nproblems:\n  - paper: vecfield\nsettings: {rows: 41}\n");
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", tmp.resolve("local").toString(),
                "--threads", "2"));
        assertEquals(0, Main.run("ablate", "--study", study.toString(), "--out", tmp.resolve("spark").toString(),
                "--engine", "spark", "--master", "local[2]"));
        for (String f : List.of("trajectories.csv", "fields.csv", "optimum.csv", "study.yaml")) {
            assertEquals(Files.readString(tmp.resolve("local").resolve(f)), Files.readString(tmp.resolve("spark").resolve(f)), f);
        }
        assertEquals(1 + 12 * 5, Files.readAllLines(tmp.resolve("spark/trajectories.csv")).size());
    }

    @Test
    void theEngineIsFoundByName() {
        AblationEngine e = Engines.byName("spark");
        assertEquals("spark", e.name());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Engines.byName("flink")).getMessage()
                .contains("known here: [local, spark]"));
    }

    @Test
    void anUnreachableMasterIsReportedAtOnce() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        String master = "spark://127.0.0.1:" + port;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SparkEngine.checkReachable(master));
        assertTrue(e.getMessage().contains("cannot reach the Spark master 127.0.0.1:" + port), e.getMessage());
        Path study = tmp.resolve("study.yaml");
        Files.writeString(study, STUDY);
        assertEquals(2, Main.run("ablate", "--study", study.toString(), "--out", tmp.resolve("x").toString(), "--engine",
                "spark", "--master", master));
        assertTrue(Files.notExists(tmp.resolve("x/runs.csv")) || withoutSecondsSize(tmp.resolve("x/runs.csv")) == 1);
    }

    @Test
    void executorsGetTheVectorModuleAndOneBlasThreadKeepingWhatTheUserSet() {
        SparkConf user = new SparkConf(false).set("spark.executor.extraJavaOptions", "-Xss4m -Dfoo=bar")
                .set("spark.executorEnv.OMP_NUM_THREADS", "2");
        for (int twice = 0; twice < 2; twice++) {
            SparkEngine.executorSettings(user);
            assertEquals("-Xss4m -Dfoo=bar --add-modules jdk.incubator.vector", user.get("spark.executor.extraJavaOptions"));
            assertEquals("2", user.get("spark.executorEnv.OMP_NUM_THREADS"), "the user's setting stays");
            assertEquals("1", user.get("spark.executorEnv.OPENBLAS_NUM_THREADS"));
        }
        SparkConf none = SparkEngine.executorSettings(new SparkConf(false));
        assertEquals("--add-modules jdk.incubator.vector", none.get("spark.executor.extraJavaOptions"));
        assertEquals("1", none.get("spark.executorEnv.OMP_NUM_THREADS"));
        SparkConf already = SparkEngine.executorSettings(new SparkConf(false)
                .set("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector"));
        assertEquals("--add-modules=jdk.incubator.vector", already.get("spark.executor.extraJavaOptions"));
    }

    @Test
    void theEngineFirstSaysWhichPathTheExecutorsTake() throws IOException {
        Path study = tmp.resolve("tiny.yaml");
        Files.writeString(study, """
                name: tiny
                problems:
                  - synthetic: {generator: linear, n: 20, p: 2, seed: 1}
                    model: linear-regression
                axes:
                  kind: [gd]
                  step-size: [0.1, 0.2]
                  iterations: 2
                """);
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            code = Main.run("ablate", "--study", study.toString(), "--out", tmp.resolve("tiny").toString(), "--engine",
                    "spark", "--master", "local[2]");
        } finally {
            System.setOut(saved);
        }
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, code, String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("study tiny: 2 runs"), lines.toString());
        // local[2]: the executor tasks run in this JVM, so they report this JVM's path
        assertEquals("spark executors (local[2]): SIMD kernels " + Simd.describe() + "; " + Blas.describe(), lines.get(1));
    }

    private static int withoutSecondsSize(Path p) throws IOException {
        return Files.readAllLines(p).size();
    }
}
