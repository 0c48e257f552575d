package io.github.natgrad.bench.ablate;

import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.bench.plots.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The outputs of a finished study besides runs.csv: {@code summary.csv} ({@link StudySummary}),
 * {@code curves.csv} (the objective per iteration of each group's best configuration, every seed,
 * computed again), the figures (PNG + SVG) — a heat map of the metric over step size × damping per
 * problem and value of every untuned axis, the best curve of each group per problem, and the median with the inter-quartile band
 * over seeds when the study has several — and {@code README.md} with the tables and figures.
 */
public final class StudyReport {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    /** The most cells a heat map labels with their values. */
    static final int MAX_LABELLED_CELLS = 400;

    private final StudyRuntime runtime;
    private final StudyPlan plan;
    private final Path dir;

    /** A report of {@code runtime}'s study into {@code dir}. */
    public StudyReport(StudyRuntime runtime, Path dir) {
        this.runtime = runtime;
        this.plan = runtime.plan();
        this.dir = dir;
    }

    /** Writes summary.csv, curves.csv, the figures and README.md; returns the summary. */
    public StudySummary write(RunRecord[] records, String command) {
        StudySummary summary = new StudySummary(plan, records);
        AtomicFiles.write(dir.resolve("summary.csv"), summary.csv(records));
        Map<Integer, Task> taskOf = new HashMap<>();
        for (Task t : plan.tasks()) {
            for (int r : t.runs()) {
                taskOf.put(r, t);
            }
        }
        StringBuilder curves = new StringBuilder("problem");
        for (String a : summary.groupAxisNames()) {
            curves.append(',').append(a);
        }
        curves.append(",seed,iteration,objective\n");
        Map<StudySummary.Group, List<double[]>> groupCurves = new LinkedHashMap<>();
        for (StudySummary.Group g : summary.groups()) {
            List<double[]> list = new ArrayList<>();
            for (int run : g.best()) {
                double[] c = runtime.curve(taskOf.get(run), run);
                list.add(c);
                String seed = summary.seedAxis() < 0 ? "" : plan.runs().get(run).values().get(summary.seedAxis());
                for (int t = 0; t < c.length; t++) {
                    List<String> f = new ArrayList<>();
                    f.add(g.problem());
                    f.addAll(g.groupValues());
                    f.add(seed);
                    f.add(Integer.toString(t));
                    f.add(GridValues.format(c[t]));
                    curves.append(org.apache.commons.csv.CSVFormat.RFC4180.format(f.toArray())).append('\n');
                }
            }
            groupCurves.put(g, list);
        }
        AtomicFiles.write(dir.resolve("curves.csv"), curves.toString());
        List<String> figures = new ArrayList<>();
        figures.addAll(heatMaps(summary, records));
        figures.addAll(curveFigures(summary, groupCurves));
        AtomicFiles.write(dir.resolve("README.md"), readme(summary, records, figures, command));
        return summary;
    }

    private String label(StudySummary summary, StudySummary.Group g) {
        List<String> parts = new ArrayList<>();
        List<String> names = summary.groupAxisNames();
        for (int k = 0; k < names.size(); k++) {
            Study.AxisValues axis = plan.study().axis(names.get(k));
            if (!g.groupValues().get(k).isEmpty() && axis.values().size() > 1) {
                parts.add(names.get(k).equals("kind") ? g.groupValues().get(k) : names.get(k) + "=" + g.groupValues().get(k));
            }
        }
        return parts.isEmpty() ? g.problem() : String.join(" ", parts);
    }

    /**
     * One heat map of the metric over step size × damping per problem and per value of every other axis
     * that is neither tuned nor the seed (one panel never mixes two damping policies, kinds or solvers).
     * A cell is the median over seeds of its configuration, as in the summary, and blank when a seed
     * diverged or failed. The scale is linear for a bounded metric (accuracy) and for values within two
     * decades; otherwise the map shows log10 of the metric, and says so. Every cell shows its value to 3
     * significant digits when there are at most {@link #MAX_LABELLED_CELLS} cells (a Fig. 3 grid of
     * 241 × 41 has no room for them; its values are in runs.csv).
     */
    private List<String> heatMaps(StudySummary summary, RunRecord[] records) {
        Study study = plan.study();
        int lrAxis = axisIndex("step-size");
        int dAxis = axisIndex("damping");
        List<String> out = new ArrayList<>();
        if (lrAxis < 0 || dAxis < 0) {
            return out;
        }
        List<String> lrs = study.axes().get(lrAxis).values();
        List<String> ds = study.axes().get(dAxis).values();
        Map<String, List<List<List<Double>>>> cells = new LinkedHashMap<>();
        Map<String, boolean[][]> broken = new HashMap<>();
        for (RunSpec r : plan.runs()) {
            String d = r.values().get(dAxis);
            if (d.isEmpty()) {
                continue;
            }
            StringBuilder key = new StringBuilder(study.problems().get(r.problem()).name());
            for (int a = 0; a < study.axes().size(); a++) {
                String name = study.axes().get(a).axis().name();
                if (a == lrAxis || a == dAxis || a == summary.seedAxis() || r.values().get(a).isEmpty()
                        || study.axes().get(a).values().size() < 2 && !name.equals("kind")) {
                    continue;
                }
                key.append('-').append(name.equals("kind") ? "" : name + "=").append(r.values().get(a));
            }
            String k = key.toString();
            List<List<List<Double>>> c = cells.computeIfAbsent(k, x -> {
                List<List<List<Double>>> m = new ArrayList<>();
                for (int i = 0; i < lrs.size(); i++) {
                    List<List<Double>> row = new ArrayList<>();
                    for (int j = 0; j < ds.size(); j++) {
                        row.add(new ArrayList<>());
                    }
                    m.add(row);
                }
                return m;
            });
            boolean[][] bad = broken.computeIfAbsent(k, x -> new boolean[lrs.size()][ds.size()]);
            int i = lrs.indexOf(r.values().get(lrAxis));
            int j = ds.indexOf(d);
            RunRecord rec = records[r.index()];
            if (rec.usable() && Double.isFinite(rec.metric())) {
                c.get(i).get(j).add(rec.metric());
            } else {
                bad[i][j] = true;
            }
        }
        for (Map.Entry<String, List<List<List<Double>>>> e : cells.entrySet()) {
            double[][] c = new double[lrs.size()][ds.size()];
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            boolean positive = true;
            for (int i = 0; i < c.length; i++) {
                for (int j = 0; j < c[i].length; j++) {
                    List<Double> seeds = e.getValue().get(i).get(j);
                    c[i][j] = broken.get(e.getKey())[i][j] || seeds.isEmpty() ? Double.NaN : median(seeds);
                    if (!Double.isNaN(c[i][j])) {
                        positive &= c[i][j] > 0;
                        lo = Math.min(lo, c[i][j]);
                        hi = Math.max(hi, c[i][j]);
                    }
                }
            }
            if (lo > hi) {
                continue;
            }
            boolean log = logScale(study.metric(), positive, lo, hi);
            List<Number[]> data = new ArrayList<>();
            for (int i = 0; i < c.length; i++) {
                for (int j = 0; j < c[i].length; j++) {
                    if (!Double.isNaN(c[i][j])) {
                        data.add(new Number[] {i, j, log ? Math.log10(c[i][j]) : c[i][j]});
                    }
                }
            }
            HeatMapChart chart = new HeatMapChartBuilder().width(900).height(480)
                    .title(heatMapTitle(e.getKey(), study.metric(), log, summary.seedAxis() >= 0))
                    .xAxisTitle("step size").yAxisTitle("damping").build();
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setShowValue(lrs.size() * ds.size() <= MAX_LABELLED_CELLS);
            chart.getStyler().setValueFontColor(Color.WHITE);
            chart.getStyler().setDrawBorder(false);
            chart.getStyler().setXAxisLabelRotation(90);
            chart.getStyler().setRangeColors(new Color[] {new Color(0x440154), new Color(0x21918c), new Color(0xfde725)});
            // the colour bar prints its two ends as they are: give it the range to 3 significant digits
            double min = log ? Math.log10(lo) : lo;
            double max = log ? Math.log10(hi) : hi;
            chart.getStyler().setMin(threeDigits(min));
            chart.getStyler().setMax(threeDigits(max) > threeDigits(min) ? threeDigits(max) : max);
            // cells show the plotted value (the metric, or its log10 on a log scale) to 3 significant digits
            chart.getStyler().setHeatMapValueDecimalPattern(threeDigitPattern(Math.max(Math.abs(min), Math.abs(max))));
            chart.addSeries("metric", tickLabels(lrs), tickLabels(ds), data);
            out.add(Charts.save(chart, dir.resolve("heatmap-" + e.getKey().replace('=', '-'))));
        }
        return out;
    }

    /** Whether a heat map of values in [lo, hi] plots log10: never for a bounded metric, else past two decades. */
    static boolean logScale(Metric metric, boolean positive, double lo, double hi) {
        return !metric.bounded() && positive && hi > 100 * lo;
    }

    /** A heat map's title: the panel, what a cell holds, and what a blank cell means. */
    static String heatMapTitle(String panel, Metric metric, boolean log, boolean seeds) {
        return panel + ": " + (log ? "log10 " : "") + metric.label() + (seeds ? ", median over seeds" : "")
                + " (blank: diverged or failed)";
    }

    /**
     * A {@link java.text.DecimalFormat} pattern that shows values of magnitude up to {@code largest} to 3
     * significant digits: fixed-point between 10⁻³ and 10⁴, scientific outside.
     */
    static String threeDigitPattern(double largest) {
        if (!(largest >= 1e-3 && largest < 1e4)) {
            return largest == 0 ? "0" : "0.00E0";
        }
        int decimals = Math.max(0, 2 - (int) Math.floor(Math.log10(largest)));
        return decimals == 0 ? "0" : "0." + "0".repeat(decimals);
    }

    private static double threeDigits(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.3g", v));
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    private static List<String> tickLabels(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add(String.format(Locale.ROOT, "%.2g", Double.parseDouble(v)));
        }
        // keep the labels distinct (xchart places categories by label)
        for (int i = 0; i < out.size(); i++) {
            if (out.subList(0, i).contains(out.get(i))) {
                out.set(i, String.format(Locale.ROOT, "%.6g", Double.parseDouble(values.get(i))));
            }
        }
        return out;
    }

    private int axisIndex(String name) {
        for (int a = 0; a < plan.study().axes().size(); a++) {
            if (plan.study().axes().get(a).axis().name().equals(name)) {
                return a;
            }
        }
        return -1;
    }

    private List<String> curveFigures(StudySummary summary, Map<StudySummary.Group, List<double[]>> curves) {
        List<String> out = new ArrayList<>();
        for (String problem : plan.study().problems().stream().map(ProblemSpec::name).toList()) {
            XYChart best = Charts.lines(problem + ": best run per group (median over seeds)", "iteration",
                    plan.study().metric() == Metric.FINAL_OBJECTIVE ? "objective" : "objective", logScale(problem, curves));
            XYChart band = Charts.lines(problem + ": median and inter-quartile band over seeds", "iteration", "objective",
                    logScale(problem, curves));
            int k = 0;
            boolean anyBand = false;
            for (Map.Entry<StudySummary.Group, List<double[]>> e : curves.entrySet()) {
                if (!e.getKey().problem().equals(problem) || e.getValue().isEmpty()) {
                    continue;
                }
                Color color = COLORS[k++ % COLORS.length];
                double[][] q = quantiles(e.getValue());
                String name = label(summary, e.getKey());
                Charts.addLine(best, name, q[3], positive(q[1]), color, 2f, true);
                if (e.getValue().size() > 1) {
                    anyBand = true;
                    Charts.addLine(band, name, q[3], positive(q[1]), color, 2f, true);
                    Color light = new Color(color.getRed(), color.getGreen(), color.getBlue(), 110);
                    XYSeries lo = Charts.addLine(band, name + " q25", q[3], positive(q[0]), light, 1f, false);
                    XYSeries hi = Charts.addLine(band, name + " q75", q[3], positive(q[2]), light, 1f, false);
                    lo.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
                    hi.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
                }
            }
            if (k > 0) {
                out.add(Charts.save(best, dir.resolve("curves-" + problem)));
            }
            if (anyBand) {
                out.add(Charts.save(band, dir.resolve("seeds-" + problem)));
            }
        }
        return out;
    }

    private static boolean logScale(String problem, Map<StudySummary.Group, List<double[]>> curves) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Map.Entry<StudySummary.Group, List<double[]>> e : curves.entrySet()) {
            if (e.getKey().problem().equals(problem)) {
                for (double[] c : e.getValue()) {
                    for (double v : c) {
                        if (Double.isFinite(v)) {
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                        }
                    }
                }
            }
        }
        return lo > 0 && hi > 10 * lo;
    }

    private static double[] positive(double[] v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(out[i], 1e-300);
        }
        return out;
    }

    /** Per iteration: q25, median, q75 over the curves (as long as the longest), and the iterations. */
    private static double[][] quantiles(List<double[]> curves) {
        int len = 0;
        for (double[] c : curves) {
            len = Math.max(len, c.length);
        }
        double[][] q = new double[4][len];
        for (int t = 0; t < len; t++) {
            List<Double> vals = new ArrayList<>();
            for (double[] c : curves) {
                if (t < c.length) {
                    vals.add(c[t]);
                }
            }
            double[] v = vals.stream().mapToDouble(Double::doubleValue).toArray();
            q[0][t] = StudySummary.quantile(v, 0.25);
            q[1][t] = StudySummary.quantile(v, 0.5);
            q[2][t] = StudySummary.quantile(v, 0.75);
            q[3][t] = t;
        }
        return q;
    }

    private String readme(StudySummary summary, RunRecord[] records, List<String> figures, String command) {
        Study study = plan.study();
        int diverged = 0;
        int failed = 0;
        double seconds = 0;
        for (RunRecord r : records) {
            diverged += r.diverged() ? 1 : 0;
            failed += r.failed() ? 1 : 0;
            seconds += r.seconds();
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Study ").append(study.name()).append("\n\n");
        sb.append("Study file `").append(study.file()).append("` (sha256 `").append(study.hash()).append("`, copied to ")
                .append("`study.yaml`), run with\n\n```\n").append(command).append("\n```\n\n");
        sb.append(String.format(Locale.ROOT, "%d runs (%d tasks) on %d problems: %d diverged, %d failed; %.1f run-seconds "
                + "in all. Metric: %s%s; a run diverged when its objective exceeded %s × the initial one. The best "
                + "run of a group %s the metric (median over seeds) over %s; ties go to the first in grid order.%n%n",
                records.length, plan.tasks().size(), study.problems().size(), diverged, failed, seconds,
                study.metric().label(), study.metric().needsTarget() ? " (target " + study.target() + ")" : "",
                GridValues.format(study.divergence()).replaceAll("0+e", "e").replaceAll("\\.0*$", ""),
                study.metric().higherIsBetter() ? "maximises" : "minimises", summary.tunedAxisNames()));
        sb.append("Files: `runs.csv` (every run), `summary.csv` (the table below), `curves.csv` (the best runs' "
                + "objective per iteration).\n\n## Best run per group\n\n");
        List<String> cols = new ArrayList<>();
        cols.add("problem");
        cols.addAll(summary.groupAxisNames());
        cols.addAll(summary.tunedAxisNames());
        cols.addAll(List.of(study.metric().label(), "seeds", "runs", "diverged", "failed"));
        sb.append("| ").append(String.join(" | ", cols)).append(" |\n|");
        sb.append(" --- |".repeat(cols.size())).append('\n');
        for (StudySummary.Group g : summary.groups()) {
            List<String> f = new ArrayList<>();
            f.add(g.problem());
            f.addAll(g.groupValues());
            if (g.best().isEmpty()) {
                summary.tunedAxisNames().forEach(x -> f.add("—"));
                f.add("every run diverged or failed");
                f.add("0");
            } else {
                summary.tunedValues(g.best().get(0)).forEach(v -> f.add(short3(v)));
                f.add(String.format(Locale.ROOT, "%.6g", g.score()));
                f.add(Integer.toString(g.best().size()));
            }
            f.add(Integer.toString(g.runs()));
            f.add(Integer.toString(g.diverged()));
            f.add(Integer.toString(g.failed()));
            sb.append("| ").append(String.join(" | ", f)).append(" |\n");
        }
        sb.append("\n## Figures\n\n");
        for (String f : figures) {
            sb.append("![").append(f).append("](").append(f).append(")\n\n");
        }
        return sb.toString();
    }

    private static String short3(String v) {
        try {
            return String.format(Locale.ROOT, "%.3g", Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return v;
        }
    }
}
