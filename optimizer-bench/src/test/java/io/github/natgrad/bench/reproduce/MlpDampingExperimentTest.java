package io.github.natgrad.bench.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.optim.NaturalGradient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The damping grid against expectations computed without it: the best run of each policy from runs.csv,
 * the initial loss from the model's outputs, the fixed policy's refusals from the eigenvalues of a
 * finite-difference Hessian (Commons Math), and resumption from a runs.csv cut in the middle of a record.
 */
class MlpDampingExperimentTest {
    private static final double[] ETAS = {0.3, 1.0};
    private static final double[] LAMBDAS = {1e-3, 1.0};
    private static final MlpDampingExperiment SMALL = MlpDampingExperiment.defaults().withExamples(120).withSteps(8)
            .withGrid(ETAS, LAMBDAS);
    private static final long SEED = 5;

    @TempDir
    static Path dir;
    static List<MlpDampingExperiment.Summary> summaries;
    static String cleanRuns;
    static String cleanSummary;
    static String cleanCurves;

    @BeforeAll
    static void runTheGridOnce() throws Exception {
        summaries = SMALL.run(dir.resolve("clean"), SEED);
        cleanRuns = Files.readString(dir.resolve("clean/runs.csv"));
        cleanSummary = Files.readString(dir.resolve("clean/summary.csv"));
        cleanCurves = Files.readString(dir.resolve("clean/curves.csv"));
    }

    private static List<CSVRecord> read(Path file) throws Exception {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    @Test
    void summaryHoldsTheBestUsableRunOfEachPolicyWithItsCounts() throws Exception {
        List<CSVRecord> runs = read(dir.resolve("clean/runs.csv"));
        assertEquals(MlpDampingExperiment.POLICIES.size() * ETAS.length * LAMBDAS.length, runs.size());
        // the best run, recomputed from runs.csv: lowest final loss among ok runs, first in grid order
        Map<String, CSVRecord> best = new HashMap<>();
        Map<String, Integer> failed = new HashMap<>();
        for (CSVRecord r : runs) {
            String p = r.get("policy");
            if (!r.get("status").equals("ok")) {
                failed.merge(p, 1, Integer::sum);
            } else if (!best.containsKey(p)
                    || Double.parseDouble(r.get("final_loss")) < Double.parseDouble(best.get(p).get("final_loss"))) {
                best.put(p, r);
            }
        }
        List<CSVRecord> summary = read(dir.resolve("clean/summary.csv"));
        assertEquals(MlpDampingExperiment.POLICIES, summary.stream().map(s -> s.get("policy")).toList());
        for (CSVRecord s : summary) {
            String p = s.get("policy");
            assertEquals(Integer.toString(ETAS.length * LAMBDAS.length), s.get("runs"), p);
            assertEquals(Integer.toString(failed.getOrDefault(p, 0)), s.get("failed_runs"), p);
            CSVRecord b = best.get(p);
            if (b == null) {
                assertEquals("", s.get("final_loss"), p);
                continue;
            }
            assertEquals(b.get("final_loss"), s.get("final_loss"), p);
            assertEquals(b.get("lr"), s.get("lr"), p);
            assertEquals(b.get("damping"), s.get("damping"), p);
            assertEquals(b.get("repairs"), s.get("repairs"), p);
        }
        // the repairing policies never stop on the indefinite Hessian; the reference has a best run
        for (String p : List.of("shift-to-pd", "saddle-free", "levenberg-marquardt")) {
            assertTrue(runs.stream().noneMatch(r -> r.get("policy").equals(p)
                    && r.get("status").equals("not-positive-definite")), p);
        }
        assertNotNull(best.get("gauss-newton"));
    }

    @Test
    void theCurvesStartAtTheInitialLossFromTheModelsOutputsAndEndAtTheBestFinalLoss() throws Exception {
        MlpDampingExperiment.Problem problem = SMALL.problem(SEED);
        Batch batch = problem.batch();
        double[] f = problem.model().linearize(problem.start(), batch).outputs();
        double sum = 0;
        for (int i = 0; i < batch.rows(); i++) {
            double e = f[i] - batch.y()[i];
            sum += e * e;
        }
        double initial = 0.5 * sum / batch.rows(); // unit-variance Gaussian: half the mean squared error
        List<CSVRecord> summary = read(dir.resolve("clean/summary.csv"));
        List<CSVRecord> curves = read(dir.resolve("clean/curves.csv"));
        for (CSVRecord s : summary) {
            assertEquals(initial, Double.parseDouble(s.get("initial_loss")), 1e-14 * initial);
            List<CSVRecord> c = curves.stream().filter(r -> r.get("policy").equals(s.get("policy"))).toList();
            if (s.get("final_loss").isEmpty()) {
                assertTrue(c.isEmpty());
                continue;
            }
            assertEquals(initial, Double.parseDouble(c.get(0).get("loss")), 1e-14 * initial, s.get("policy"));
            assertEquals(s.get("final_loss"), c.get(c.size() - 1).get("loss"), s.get("policy"));
        }
        assertTrue(Files.size(dir.resolve("clean/loss-curves.png")) > 0);
    }

    /** The fixed policy stops at its first step exactly where λ_min(H(θ₀)) + λ ≤ 0. */
    @Test
    void theFixedPolicyRefusesTheFirstStepExactlyWhereTheHessianPlusLambdaIsIndefinite() throws Exception {
        MlpDampingExperiment.Problem problem = SMALL.problem(SEED);
        Optimizer gd = NaturalGradient.gradientDescent(1).build(problem.model());
        double[] theta = problem.start();
        int d = theta.length;
        double h = 1e-4;
        RealMatrix hess = new Array2DRowRealMatrix(d, d);
        double l0 = gd.loss(theta, problem.batch());
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = (loss(gd, problem, theta, i, h, j, h) - loss(gd, problem, theta, i, h, j, -h)
                        - loss(gd, problem, theta, i, -h, j, h) + loss(gd, problem, theta, i, -h, j, -h)) / (4 * h * h);
                hess.setEntry(i, j, v);
                hess.setEntry(j, i, v);
            }
        }
        double[] w = new EigenDecomposition(hess).getRealEigenvalues();
        double min = java.util.Arrays.stream(w).min().orElseThrow();
        assertTrue(min < -1e-3, "the problem is meant to start at an indefinite Hessian: lambda_min " + min
                + " (loss " + l0 + ")");
        List<CSVRecord> runs = read(dir.resolve("clean/runs.csv"));
        int checked = 0;
        for (CSVRecord r : runs) {
            if (!r.get("policy").equals("fixed")) {
                continue;
            }
            double lambda = Double.parseDouble(r.get("damping"));
            if (Math.abs(min + lambda) < 1e-4) {
                continue; // too close to call with a finite-difference Hessian
            }
            boolean refused = r.get("status").equals("not-positive-definite") && r.get("iterations").equals("0");
            assertEquals(min + lambda < 0, refused, "lambda " + lambda + ", lambda_min " + min + ": " + r);
            checked++;
        }
        assertEquals(ETAS.length * LAMBDAS.length, checked);
    }

    private static double loss(Optimizer gd, MlpDampingExperiment.Problem p, double[] theta, int i, double hi, int j,
            double hj) {
        double[] t = theta.clone();
        t[i] += hi;
        t[j] += hj;
        return gd.loss(t, p.batch());
    }

    /**
     * Killed while writing a record: runs.csv ends in the middle of a line. The resumed grid reports and
     * removes the cut line, redoes that run and the ones after it, and ends with every row equal to the
     * clean run's, in the same order, and the same summary and curves.
     */
    @Test
    void aRunsFileCutInTheMiddleOfARecordResumesToEveryRowOfACleanRun() throws Exception {
        List<String> lines = cleanRuns.lines().toList();
        for (int cut : new int[] {7, lines.size() - 1}) {
            Path out = dir.resolve("cut" + cut);
            Files.createDirectories(out);
            String half = lines.get(cut).substring(0, lines.get(cut).length() / 2);
            Files.writeString(out.resolve("runs.csv"), String.join("\n", lines.subList(0, cut)) + "\n" + half);
            ByteArrayOutputStream notices = new ByteArrayOutputStream();
            var resumed = SMALL.run(out, SEED, new PrintStream(notices, true, StandardCharsets.UTF_8));
            String log = notices.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains(out.resolve("runs.csv") + ":" + (cut + 1) + ": removed an incomplete last line"),
                    log);
            assertTrue(log.contains(half), log);
            List<String> after = Files.readString(out.resolve("runs.csv")).lines().toList();
            assertEquals(lines.size(), after.size());
            for (int k = 0; k < lines.size(); k++) {
                assertEquals(lines.get(k), after.get(k), "row " + k + " after a cut at row " + cut);
            }
            assertEquals(cleanSummary, Files.readString(out.resolve("summary.csv")));
            assertEquals(cleanCurves, Files.readString(out.resolve("curves.csv")));
            assertEquals(summaries.size(), resumed.size());
        }
    }

    @Test
    void aMalformedRowInTheMiddleIsAnErrorNamingFileAndLineAndTheFileIsKept() throws Exception {
        List<String> lines = new java.util.ArrayList<>(cleanRuns.lines().toList());
        lines.set(4, lines.get(4).replace(",ok,", ",fine,").replace(",diverged,", ",fine,")
                .replace(",not-positive-definite,", ",fine,"));
        Path out = dir.resolve("malformed");
        Files.createDirectories(out);
        String text = String.join("\n", lines) + "\n";
        Files.writeString(out.resolve("runs.csv"), text);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> SMALL.run(out, SEED));
        assertTrue(e.getMessage().startsWith(out.resolve("runs.csv") + ":5: malformed run record"), e.getMessage());
        assertTrue(e.getMessage().contains("status 'fine'"), e.getMessage());
        assertEquals(text, Files.readString(out.resolve("runs.csv")));
    }
}
