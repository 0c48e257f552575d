package io.github.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.natgrad.datasets.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {
    private static final List<String> MATRICES = List.of("hessian", "ggn", "fisher", "mc_fisher", "empirical_fisher");

    /** Runs inspect with the given arguments; returns {exit code, stdout, stderr}. */
    private static String[] run(String... args) {
        InspectCommand command = new InspectCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
            return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
                    errBytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    private static JsonNode json(String... args) throws Exception {
        String[] r = run(args);
        assertEquals("0", r[0], r[2]);
        return new ObjectMapper().readTree(r[1]);
    }

    private static List<String> keys(JsonNode node) {
        List<String> k = new ArrayList<>();
        node.fieldNames().forEachRemaining(k::add);
        return k;
    }

    @Test
    void jsonHasTheStableKeysInOrder() throws Exception {
        JsonNode j = json("--model", "mlp", "--dataset", "synthetic-logistic", "--at", "init", "--json");
        assertEquals(List.of("model", "dataset", "n", "d", "point", "loss", "gradient_norm", "damping", "matrices",
                "distances", "cosines"), keys(j));
        assertEquals("mlp", j.get("model").asText());
        assertEquals("synthetic-logistic", j.get("dataset").asText());
        assertEquals(500, j.get("n").asInt());
        assertEquals(5 * 8 + 8 + 8 + 1, j.get("d").asInt());
        assertEquals("init", j.get("point").asText());
        assertEquals(1e-8, j.get("damping").asDouble());
        assertEquals(MATRICES, keys(j.get("matrices")));
        for (String m : MATRICES) {
            assertEquals(List.of("trace", "lambda_max", "lambda_min", "negative_eigenvalues", "condition_number"),
                    keys(j.get("matrices").get(m)), m);
        }
        List<String> distances = new ArrayList<>();
        for (String a : MATRICES) {
            for (String b : MATRICES) {
                if (!a.equals(b)) {
                    distances.add(a + "_vs_" + b);
                }
            }
        }
        assertEquals(distances, keys(j.get("distances")));
        List<String> cosines = new ArrayList<>();
        for (String a : MATRICES) {
            cosines.add("gradient_vs_" + a);
        }
        for (int a = 0; a < MATRICES.size(); a++) {
            for (int b = a + 1; b < MATRICES.size(); b++) {
                cosines.add(MATRICES.get(a) + "_vs_" + MATRICES.get(b));
            }
        }
        assertEquals(cosines, keys(j.get("cosines")));
        assertTrue(j.get("cosines").has("fisher_vs_empirical_fisher"));
        // an MLP at its initialisation: the Hessian is indefinite, the Fisher and GGN are not, and coincide
        // (Bernoulli with the logit link)
        assertTrue(j.get("matrices").get("hessian").get("negative_eigenvalues").asInt() > 0);
        assertTrue(j.get("matrices").get("hessian").get("condition_number").isNull());
        for (String psd : List.of("ggn", "fisher", "mc_fisher", "empirical_fisher")) {
            assertEquals(0, j.get("matrices").get(psd).get("negative_eigenvalues").asInt(), psd);
        }
        assertTrue(j.get("distances").get("ggn_vs_fisher").asDouble() < 1e-12);
        assertTrue(j.get("distances").get("hessian_vs_fisher").asDouble() > 0.05);
    }

    @Test
    void logisticRegressionAtZeroHasAllFourExactMatricesEqual() throws Exception {
        // at θ = 0 every σ(f) = 1/2: H = G = F = X̃ᵀX̃/(4N), and every residual, observed or sampled, is ±1/2,
        // so the empirical and the Monte-Carlo Fisher are that matrix too
        JsonNode j = json("--model", "logistic", "--dataset", "synthetic-logistic", "--at", "zero", "--json");
        JsonNode d = j.get("distances");
        for (String key : List.of("hessian_vs_fisher", "ggn_vs_fisher", "empirical_fisher_vs_fisher",
                "mc_fisher_vs_fisher")) {
            assertTrue(d.get(key).asDouble() < 1e-13, key + " = " + d.get(key));
        }
        // away from zero the empirical Fisher parts from the Fisher
        JsonNode init = json("--model", "logistic", "--dataset", "synthetic-logistic", "--at", "init", "--json");
        assertTrue(init.get("distances").get("empirical_fisher_vs_fisher").asDouble() > 0.05);
        assertEquals(1.0, j.get("cosines").get("fisher_vs_empirical_fisher").asDouble(), 1e-9);
        assertEquals(Math.log(2), j.get("loss").asDouble(), 1e-14); // a mean of 500 rounded terms
        assertEquals(6, j.get("d").asInt());
    }

    @Test
    void probitGaussNewtonEqualsHessianButNotFisher() throws Exception {
        JsonNode j = json("--model", "probit", "--at", "init", "--seed", "3", "--json");
        assertEquals("synthetic-probit", j.get("dataset").asText());
        assertTrue(j.get("distances").get("ggn_vs_hessian").asDouble() < 1e-13);
        assertTrue(j.get("distances").get("hessian_vs_fisher").asDouble() > 0.01);
    }

    @Test
    void savedPointIsReadAndItsLengthChecked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("theta.txt");
        Files.writeString(file, "0.1, -0.2 0.3\n0.4\n0.5 0\n");
        JsonNode j = json("--model", "linear", "--at", file.toString(), "--json");
        assertEquals(file.toString(), j.get("point").asText());
        // linear regression: H = G = F = X̃ᵀX̃/N at every θ
        assertTrue(j.get("distances").get("hessian_vs_fisher").asDouble() < 1e-14);
        Files.writeString(file, "1 2 3\n");
        String[] r = run("--model", "linear", "--at", file.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("holds 3 numbers but the model has D = 6"), r[2]);
    }

    @Test
    void aboveTheDimensionLimitEstimatesMatrixFreeAndAgreesWithTheDenseValues() throws Exception {
        JsonNode free = json("--model", "mlp", "--hidden", "20", "--at", "init", "--max-dimension", "100", "--json");
        JsonNode dense = json("--model", "mlp", "--hidden", "20", "--at", "init", "--json");
        assertTrue(free.get("method").asText().contains("Lanczos"), free.toString());
        for (String m : List.of("hessian", "ggn", "fisher", "empirical_fisher")) {
            JsonNode f = free.get("matrices").get(m);
            JsonNode d = dense.get("matrices").get(m);
            double max = d.get("lambda_max").asDouble();
            assertEquals(max, f.get("lambda_max").asDouble(), 1e-8 * max, m);
            assertEquals(d.get("lambda_min").asDouble(), f.get("lambda_min").asDouble(), 1e-6 * max, m);
            double se = f.get("trace_standard_error").asDouble();
            assertEquals(d.get("trace").asDouble(), f.get("trace").asDouble(), 5 * se + 1e-12, m);
        }
    }

    @Test
    void badOptionsGetClearMessages() {
        String[] r = run("--model", "svm");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'svm'") && r[2].contains("[LINEAR, LOGISTIC, SOFTMAX, PROBIT, MLP] (case-insensitive)"), r[2]);
        r = run("--model", "mlp", "--likelihood", "poisson");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'poisson'") && r[2].contains("[AUTO, GAUSSIAN, BERNOULLI, PROBIT, CATEGORICAL]"), r[2]);
        r = run("--model", "MLP", "--activation", "gelu");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'gelu'") && r[2].contains("TANH") && r[2].contains("SOFTPLUS")
                && r[2].contains("RELU"), r[2]);
        r = run("--model", "linear", "--dataset", "breast-cancer", "--data-dir", "/nonexistent-natgrad");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("breast_cancer.csv"), r[2]);
        r = run("--model", "logistic", "--dataset", "synthetic-softmax");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("labels must be 0 or 1"), r[2]);
    }

    @Test
    void tableAndFiguresAreWritten(@TempDir Path dir) {
        String[] r = run("--model", "mlp", "--hidden", "4", "--at", "init", "--out", dir.toString(), "--figure-steps",
                "3");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("hessian") && r[1].contains("relative Frobenius distance"), r[1]);
        assertTrue(Files.exists(dir.resolve("spectra.png")));
        assertTrue(Files.exists(dir.resolve("training.png")));
    }

    @Test
    void namedDatasetFromTheSharedDirectory() throws Exception {
        String dataDir = TestData.dataDir("inspect on a named dataset").toString();
        JsonNode j = json("--model", "softmax", "--dataset", "wine", "--data-dir", dataDir, "--json");
        assertEquals(178, j.get("n").asInt());
        assertEquals(3 * 14, j.get("d").asInt());
    }
}
