package io.github.natgrad.bench.jmh;

import static io.github.natgrad.bench.jmh.ReportText.*;

import io.github.natgrad.training.AtomicFiles;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The report's log-log plots of step time against N and against D, per model (PNG, written atomically). */
final class ReportPlots {
    private ReportPlots() {
    }

    /** Writes the plots into {@code plotDir} and links them from {@code md}, relative to {@code base} (or absolute). */
    static void render(StringBuilder md, List<BenchResult> results, Path plotDir, Path base) {
        List<BenchResult> steps = select(results, r -> r.benchmark().equals("StepBenchmark.step")
                && r.param("threads", "1").equals("1"));
        if (steps.isEmpty()) {
            return;
        }
        md.append("## Plots\n\n");
        for (String model : values(steps, "model")) {
            List<BenchResult> sub = select(steps, r -> r.param("model", "").equals(model));
            for (int axis = 0; axis < 2; axis++) {
                String name = "step-vs-" + (axis == 0 ? "N" : "D") + "-" + model;
                XYChart chart = new XYChartBuilder().width(800).height(560)
                        .title("One step, " + model + " regression: time vs " + (axis == 0 ? "N" : "D"))
                        .xAxisTitle(axis == 0 ? "N (examples)" : "D (parameters)").yAxisTitle("median time per step (µs)")
                        .build();
                chart.getStyler().setXAxisLogarithmic(true);
                chart.getStyler().setYAxisLogarithmic(true);
                chart.getStyler().setMarkerSize(8);
                chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                for (String kind : KINDS) {
                    List<BenchResult> series = select(sub, r -> r.param("kind", "").equals(kind));
                    if (series.isEmpty()) {
                        continue;
                    }
                    final int ax = axis;
                    series.sort(Comparator.comparingInt(r -> Workload.parseShape(r.param("shape", ""))[ax]));
                    double[] xs = series.stream().mapToDouble(r -> Workload.parseShape(r.param("shape", ""))[ax]).toArray();
                    double[] ys = series.stream().mapToDouble(BenchResult::medianMicros).toArray();
                    double[] f = CostExponents.fit(series, r -> true);
                    String label = kind + (f == null ? "" : String.format(Locale.ROOT, " (t ~ N^%.2f D^%.2f)", f[0], f[1]));
                    chart.addSeries(label, xs, ys).setMarker(SeriesMarkers.CIRCLE);
                }
                Path png = plotDir.resolve(name + ".png");
                AtomicFiles.write(png, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
                String link = base == null ? png.toAbsolutePath().toString() : base.relativize(png.toAbsolutePath()).toString();
                md.append("![").append(name).append("](").append(link).append(")\n\n");
            }
        }
        md.append("The shapes are not a factorial grid (N and D change together), so the points against N alone "
                + "mix in the change of D (and the other way round); the legend's exponents come from the joint fit "
                + "above.\n");
    }
}
