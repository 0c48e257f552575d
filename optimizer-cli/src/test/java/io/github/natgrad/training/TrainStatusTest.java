package io.github.natgrad.training;

import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.cli.TrainCommandTest;

import io.github.natgrad.cli.CommandRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.natgrad.Factorization;
import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;
import io.github.natgrad.solve.Solvers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} says "ok" (exit 0) only for a run that reached its gradient tolerance: a wrong solve (not a
 * descent direction), every step rejected, a diverged run and a spent iteration budget each end with their
 * own status in result.json, a message and a non-zero exit code.
 */
class TrainStatusTest {
    @TempDir
    Path dir;

    /** A deliberately wrong solver: Cholesky's solution with its sign flipped, d = −(C + λI)⁻¹g (uphill). */
    static final class Negated implements Solver {
        private final Solver inner = Solvers.cholesky();

        @Override
        public String name() {
            return "negated-cholesky";
        }

        @Override
        public Optional<Factorization> factor(double[] c, int d, double lambda) {
            return inner.factor(c, d, lambda).map(f -> (b, x) -> {
                f.solve(b, x);
                for (int i = 0; i < x.length; i++) {
                    x[i] = -x[i];
                }
            });
        }

        @Override
        public Spectrum decompose(double[] c, int d) {
            return inner.decompose(c, d);
        }
    }

    private Path data() throws IOException {
        TrainCommandTest files = new TrainCommandTest();
        files.dir = dir;
        return files.libsvm("s.libsvm", 120, 8, 2, 11);
    }

    private TrainSpec spec(Path data, String damping, boolean lineSearch, Path out) {
        return TrainSpec.builder().model("logistic").data(data).solver(TrainSpec.SolverChoice.CHOLESKY)
                .cgStop(ConjugateGradient.StoppingRule.MARTENS).cgPreconditioner(ConjugateGradient.Preconditioner.JACOBI)
                .damping(TrainSpec.parse(TrainSpec.DampingChoice.class, damping, "--damping")).stepRejection(0).lineSearch(lineSearch).maxIterations(50)
                .gradientTolerance(1e-6).out(out).quiet(true).build();
    }

    private static JsonNode result(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("result.json").toFile());
    }

    @Test
    void aWrongSolveStopsAsNotADescentDirection() throws IOException {
        Path data = data();
        for (boolean lineSearch : new boolean[] {false, true}) {
            Path out = dir.resolve("wrong-" + lineSearch);
            TrainLog log = new TrainLog(out, null);
            new GlmTrainer(c -> c.withSolver(new Negated())).train(spec(data, "none", lineSearch, out), log);
            log.finish(null);
            assertEquals(TrainStatus.NOT_DESCENT, log.status(), log.message());
            assertTrue(log.message().startsWith("not a descent direction at iteration 0 (cos(g, d) = -"),
                    log.message());
            JsonNode r = result(out);
            assertEquals("not-descent", r.get("status").asText());
            assertEquals(4, r.get("exit_code").asInt());
            assertEquals(1, r.get("iterations").asInt(), "stopped at the first step");
        }
    }

    @Test
    void everyStepRejectedIsReported() throws IOException {
        Path data = data();
        Path out = dir.resolve("rejected");
        TrainLog log = new TrainLog(out, null);
        // gradient descent (a descent direction) with a step far too long: halving it twice does not help
        TrainSpec s = spec(data, "none", false, out);
        s = s.toBuilder().curvature(TrainSpec.CurvatureKind.IDENTITY).stepSize(1e8).build();
        new GlmTrainer(c -> c.withStepRejection(2)).train(s, log);
        log.finish(null);
        assertEquals(TrainStatus.ALL_STEPS_REJECTED, log.status(), log.message());
        assertTrue(log.message().startsWith("every try of the step at iteration 0 was rejected (rejected after 3 tries, "
                + "cos(g, d) = 1.00)"), log.message());
        assertEquals("all-steps-rejected", result(out).get("status").asText());
        assertEquals(5, result(out).get("exit_code").asInt());
    }

    @Test
    void theRightSolveConvergesWithStatusOk() throws IOException {
        Path data = data();
        Path out = dir.resolve("right");
        TrainLog log = new TrainLog(out, null);
        new GlmTrainer().train(spec(data, "none", false, out), log);
        log.finish(null);
        assertEquals(TrainStatus.OK, log.status(), log.message());
        JsonNode r = result(out);
        assertEquals("ok", r.get("status").asText());
        assertEquals(0, r.get("exit_code").asInt());
        assertTrue(r.get("gradient_norm").asDouble() <= 1e-6 * firstGradientNorm(out), r.toString());
    }

    private static double firstGradientNorm(Path out) throws IOException {
        return Double.parseDouble(Files.readAllLines(out.resolve("trace.csv")).get(1).split(",")[3]);
    }

    @Test
    void aSpentIterationBudgetIsNotConvergedWithExitCode3() throws IOException {
        Path out = dir.resolve("budget");
        CommandRun r = TrainCommandTest.run("train", "--model", "logistic", "--data", data().toString(),
                "--max-iterations", "1", "--out", out.toString(), "--quiet");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("train: not-converged: not converged: 1 iterations (--max-iterations 1)"), r.err());
        JsonNode result = result(out);
        assertEquals("not-converged", result.get("status").asText());
        assertTrue(result.get("message").asText().contains("raise --max-iterations"), result.toString());
        assertTrue(result.get("gradient_norm").asDouble() > 1e-6 * firstGradientNorm(out), "really not converged");
    }

    @Test
    void aToleranceBelowTheRoundingIsNotConvergedNotRejected() throws IOException {
        Path out = dir.resolve("rounding");
        CommandRun r = TrainCommandTest.run("train", "--model", "logistic", "--data", data().toString(),
                "--solver", "cholesky", "--damping", "none", "--line-search", "--gradient-tolerance", "1e-18", "--out",
                out.toString(), "--quiet");
        assertEquals(3, r.code(), r.err());
        JsonNode result = result(out);
        assertEquals("not-converged", result.get("status").asText());
        assertTrue(result.get("message").asText().contains("at the objective's rounding"), result.toString());
        assertTrue(result.get("iterations").asInt() < 50, "stopped when the line search failed: " + result);
    }

    @Test
    void aDivergedRunHasExitCode6AndItsTrace() throws IOException {
        Path out = dir.resolve("diverged");
        CommandRun r = TrainCommandTest.run("train", "--model", "linear", "--data", data().toString(),
                "--curvature", "identity", "--damping", "none", "--step-size", "1e8", "--out", out.toString(), "--quiet");
        assertEquals(6, r.code(), r.err());
        JsonNode result = result(out);
        assertEquals("diverged", result.get("status").asText());
        assertTrue(result.get("message").asText().startsWith("diverged at iteration "), result.toString());
        int iterations = result.get("iterations").asInt();
        assertEquals(iterations + 1, Files.readAllLines(out.resolve("trace.csv")).size(), "every iteration traced");
    }

    @Test
    void helpListsEveryExitCode() {
        CommandRun r = TrainCommandTest.run("train", "--help");
        assertEquals(0, r.code());
        for (TrainStatus s : TrainStatus.values()) {
            assertTrue(r.out().matches("(?s).*\\n\\s*" + s.exitCode() + "\\s+" + s.label() + ":.*"), s + ": " + r.out());
        }
    }
}
