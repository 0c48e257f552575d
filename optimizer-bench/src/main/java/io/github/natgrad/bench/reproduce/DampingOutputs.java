package io.github.natgrad.bench.reproduce;

import static io.github.natgrad.bench.reproduce.DampingRuns.num;

import io.github.natgrad.bench.CsvFiles;
import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.bench.ResumableCsv;
import io.github.natgrad.bench.plots.Charts;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What the damping grid writes beside its runs.csv, each file atomically: {@code summary.csv} (best run
 * per policy), {@code curves.csv} (their loss curves), {@code loss-curves.png}/{@code .svg} and
 * {@code README.md}.
 */
final class DampingOutputs {
    private DampingOutputs() {
    }

    /**
     * Writes the outputs of one grid.
     *
     * @param description what was run (model, data, seed, steps, grid), for the README
     * @param title       the figure's title
     */
    static void write(Path outDir, List<MlpDampingExperiment.Summary> summaries, String description, String title) {
        CsvFiles.write(outDir.resolve("summary.csv"), ResumableCsv.FORMAT, s -> {
            s.printRecord("policy", "lr", "damping", "initial_loss", "final_loss", "repairs", "runs", "failed_runs");
            for (MlpDampingExperiment.Summary m : summaries) {
                MlpDampingExperiment.Run b = m.best();
                s.printRecord(m.policy(), b == null ? "" : num(b.stepSize()), b == null ? "" : num(b.damping()),
                        num(m.initialLoss()), b == null ? "" : num(b.finalLoss()), b == null ? "" : b.repairs(),
                        m.runs(), m.failedRuns());
            }
        });
        CsvFiles.write(outDir.resolve("curves.csv"), ResumableCsv.FORMAT, c -> {
            c.printRecord("policy", "iteration", "loss");
            for (MlpDampingExperiment.Summary m : summaries) {
                if (m.best() != null) {
                    double[] losses = m.best().losses();
                    for (int t = 0; t < losses.length; t++) {
                        c.printRecord(m.policy(), t, num(losses[t]));
                    }
                }
            }
        });
        figure(outDir, summaries, title);
        readme(outDir, summaries, description);
    }

    private static void figure(Path outDir, List<MlpDampingExperiment.Summary> summaries, String title) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle("iteration")
                .yAxisTitle("training loss").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        for (MlpDampingExperiment.Summary m : summaries) {
            if (m.best() == null) {
                continue;
            }
            double[] l = m.best().losses();
            double[] it = new double[l.length];
            Arrays.setAll(it, t -> t);
            XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%s (lr %.3g, lambda %.3g)", m.policy(),
                    m.best().stepSize(), m.best().damping()), it, l);
            series.setMarker(SeriesMarkers.NONE);
        }
        Charts.save(chart, outDir.resolve("loss-curves"));
    }

    private static void readme(Path outDir, List<MlpDampingExperiment.Summary> summaries, String description) {
        StringBuilder readme = new StringBuilder();
        readme.append("# Damping policies on an indefinite Hessian\n\n").append(description)
                .append(". Best run per policy (lowest final loss among runs ")
                .append("that neither diverged nor stopped); `repairs` = steps at which the policy had to change ")
                .append("lambda or the spectrum.\n\n![loss curves](loss-curves.png)\n\n")
                .append("| policy | lr | damping | final loss | repairs | failed runs |\n|---|---|---|---|---|---|\n");
        for (MlpDampingExperiment.Summary m : summaries) {
            MlpDampingExperiment.Run b = m.best();
            readme.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d of %d |%n", m.policy(),
                    b == null ? "-" : String.format(Locale.ROOT, "%.3g", b.stepSize()),
                    b == null ? "-" : String.format(Locale.ROOT, "%.3g", b.damping()),
                    b == null ? "all failed" : String.format(Locale.ROOT, "%.6g", b.finalLoss()),
                    b == null ? "-" : Integer.toString(b.repairs()), m.failedRuns(), m.runs()));
        }
        AtomicFiles.write(outDir.resolve("README.md"), readme.toString());
    }
}
