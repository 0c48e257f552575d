package io.github.natgrad.bench.jmh;

import static io.github.natgrad.bench.jmh.ReportText.*;

import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The report's section on cost exponents: least-squares fits of log t = c + a·log N + b·log D. */
final class CostExponents {
    private CostExponents() {
    }

    /** Appends the section. */
    static void render(StringBuilder md, List<BenchResult> results) {
        md.append("## Cost exponents\n\n");
        md.append("Least-squares fit of log t = c + a·log N + b·log D over the shapes measured (one thread). "
                + "The algorithm: build ∝ N·D², factorisation ∝ D³, gradient ∝ N·D; a dense step is their sum, "
                + "so its single power law is a compromise between N·D² (tall shapes) and D³ (wide ones). Small "
                + "shapes are dominated by per-call overhead and pull the exponents down; the second fit keeps only "
                + "the shapes whose median is at least 1 ms.\n\n");
        md.append("| benchmark | model | expected | a (N), all | b (D), all | shapes | a (N), ≥ 1 ms | b (D), ≥ 1 ms | shapes |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        Map<String, List<BenchResult>> groups = new LinkedHashMap<>();
        for (BenchResult r : results) {
            if (!r.param("threads", "1").equals("1") || !r.params().containsKey("shape")) {
                continue;
            }
            String label = r.benchmark().equals("StepBenchmark.step") ? "step " + r.param("kind", "")
                    : r.benchmark().replace("Benchmark.", " ");
            groups.computeIfAbsent(label + "\u0000" + r.param("model", "–"), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<BenchResult>> g : groups.entrySet()) {
            String[] key = g.getKey().split("\u0000");
            double[] all = fit(g.getValue(), r -> true);
            double[] slow = fit(g.getValue(), r -> r.medianMicros() >= 1000);
            md.append("| ").append(key[0]).append(" | ").append(key[1]).append(" | ").append(expected(key[0]))
                    .append(" | ").append(exponent(all, 0)).append(" | ").append(exponent(all, 1)).append(" | ")
                    .append(all == null ? countOf(g.getValue(), r -> true) : (int) all[2]).append(" | ")
                    .append(exponent(slow, 0)).append(" | ").append(exponent(slow, 1)).append(" | ")
                    .append(slow == null ? countOf(g.getValue(), r -> r.medianMicros() >= 1000) : (int) slow[2])
                    .append(" |\n");
        }
        md.append("\n(– : fewer than 4 shapes, too few to fit three coefficients.)\n\n");
    }

    static String expected(String label) {
        if (label.startsWith("step identity") || label.endsWith("gradient")) {
            return "N·D";
        }
        if (label.startsWith("step")) {
            return "N·D² + D³";
        }
        if (label.endsWith("factorSolve") || label.endsWith("dpotrf")) {
            return "D³";
        }
        return "N·D²";
    }

    static int countOf(List<BenchResult> rs, Predicate<BenchResult> keep) {
        return (int) rs.stream().filter(keep).count();
    }

    /** {a, b, count} of log t = c + a log N + b log D over the kept results, or null if fewer than 4. */
    static double[] fit(List<BenchResult> rs, Predicate<BenchResult> keep) {
        List<BenchResult> kept = rs.stream().filter(keep).collect(Collectors.toList());
        if (kept.size() < 4) {
            return null;
        }
        double[] y = new double[kept.size()];
        double[][] x = new double[kept.size()][2];
        for (int i = 0; i < kept.size(); i++) {
            int[] nd = Workload.parseShape(kept.get(i).param("shape", ""));
            x[i][0] = Math.log(nd[0]);
            x[i][1] = Math.log(nd[1]);
            y[i] = Math.log(kept.get(i).medianMicros());
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, x);
        try {
            double[] beta = ols.estimateRegressionParameters();
            return new double[] {beta[1], beta[2], kept.size()};
        } catch (RuntimeException singular) {
            return null; // e.g. every kept shape has the same N: the exponents are not identifiable
        }
    }

    static String exponent(double[] fit, int i) {
        return fit == null ? "–" : String.format(Locale.ROOT, "%.2f", fit[i]);
    }
}
