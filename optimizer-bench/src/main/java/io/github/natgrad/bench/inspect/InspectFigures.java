package io.github.natgrad.bench.inspect;

import io.github.natgrad.Batch;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.bench.plots.Charts;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.NaturalGradient;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of {@code inspect}: the five eigenvalue spectra side by side, and the distances
 * ‖H − F‖/‖F‖ and ‖EF − F‖/‖F‖ along a training run on a well-specified and a misspecified problem.
 */
public final class InspectFigures {
    /** Values below this are drawn at this floor on the logarithmic axes (e.g. H = F exactly). */
    static final double FLOOR = 1e-16;

    private InspectFigures() {
    }

    /**
     * One panel per matrix: |λ| against its rank (largest first) on a log scale, positive and negative
     * eigenvalues in two colours. Written as {@code spectra.png} in {@code dir}.
     */
    public static Path spectra(CurvatureInspection.Report report, Path dir) {
        List<BufferedImage> panels = new ArrayList<>();
        for (var e : report.matrices().entrySet()) {
            double[] w = e.getValue().eigenvalues();
            int d = w.length;
            List<Double> px = new ArrayList<>();
            List<Double> py = new ArrayList<>();
            List<Double> nx = new ArrayList<>();
            List<Double> ny = new ArrayList<>();
            Integer[] order = new Integer[d];
            for (int i = 0; i < d; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(Math.abs(w[b]), Math.abs(w[a])));
            for (int r = 0; r < d; r++) {
                double v = w[order[r]];
                (v < 0 ? nx : px).add((double) r + 1);
                (v < 0 ? ny : py).add(Math.max(Math.abs(v), FLOOR));
            }
            XYChart chart = new XYChartBuilder().width(360).height(320).title(e.getKey())
                    .xAxisTitle("rank").yAxisTitle("|eigenvalue|").build();
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setLegendVisible(true);
            chart.getStyler().setMarkerSize(4);
            if (!px.isEmpty()) {
                XYSeries s = chart.addSeries("positive", px, py);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(new Color(31, 119, 180));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
            if (!nx.isEmpty()) {
                XYSeries s = chart.addSeries("negative", nx, ny);
                s.setMarker(SeriesMarkers.DIAMOND);
                s.setMarkerColor(new Color(214, 39, 40));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
            panels.add(BitmapEncoder.getBufferedImage(chart));
        }
        int width = panels.stream().mapToInt(BufferedImage::getWidth).sum();
        int height = panels.stream().mapToInt(BufferedImage::getHeight).max().orElse(1) + 30;
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "Eigenvalue spectra: %s on %s at %s (N = %d, D = %d)", report.model(),
                report.dataset(), report.point(), report.n(), report.d()), 10, 20);
        int x = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, x, 30, null);
            x += p.getWidth();
        }
        g.dispose();
        Path file = dir.resolve("spectra.png");
        AtomicFiles.write(file, tmp -> ImageIO.write(all, "png", tmp.toFile()));
        return file;
    }

    /**
     * The distances along training, one curve per problem and pair.
     *
     * @param iteration     0..T
     * @param hessianFisher ‖H − F‖/‖F‖ at each iteration
     * @param empiricalFisher ‖EF − F‖/‖F‖
     */
    public record Trajectory(double[] iteration, double[] hessianFisher, double[] empiricalFisher) {
    }

    /**
     * Seeded teacher data for {@code model}: x ~ N(0, I_p), labels drawn from the model at a teacher
     * θ_T, either exactly (well-specified) or with a random high-frequency function added to the first
     * output (misspecified): g(x) = 2·√(2/M) Σ_m a_m cos(3 w_mᵀx + b_m), M = 64 random features with
     * a_m ~ N(0, 1), w_m ~ N(0, I_p/p), b_m ~ U(0, 2π) — a function no linear model and no small network
     * represents, of standard deviation about 2.
     */
    public static Batch teacherData(Model model, double[] teacher, int n, boolean misspecified, long seed) {
        RandomGenerator random = new Well19937c(seed);
        int p = model.inputColumns();
        double[] x = new double[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        double[] y = new double[n];
        Batch unlabeled = Batch.wrap(x, y, n, p);
        double[] f = model.linearize(teacher, unlabeled).outputs().clone();
        int k = model.likelihood().outputsPerExample();
        if (misspecified) {
            int features = 64;
            RandomGenerator g = new Well19937c(seed ^ 0x5DEECE66DL);
            double[] a = new double[features];
            double[] w = new double[features * p];
            double[] b = new double[features];
            for (int m = 0; m < features; m++) {
                a[m] = g.nextGaussian();
                b[m] = 2 * Math.PI * g.nextDouble();
                for (int j = 0; j < p; j++) {
                    w[m * p + j] = g.nextGaussian() / Math.sqrt(p);
                }
            }
            double scale = 2 * Math.sqrt(2.0 / features);
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int m = 0; m < features; m++) {
                    double dot = 0;
                    for (int j = 0; j < p; j++) {
                        dot += w[m * p + j] * x[i * p + j];
                    }
                    sum += a[m] * Math.cos(3 * dot + b[m]);
                }
                f[i * k] += scale * sum;
            }
        }
        model.likelihood().sample(f, n, random, y);
        return Batch.wrap(x, y, n, p);
    }

    /**
     * Trains with Gauss-Newton steps and Levenberg-Marquardt damping from {@code start}, recording the
     * two distances before each step and after the last.
     */
    public static Trajectory trajectory(Model model, double[] start, Batch batch, int steps, long seed) {
        Optimizer opt = NaturalGradient.of(Curvatures.gaussNewton())
                .withDamping(Damping.levenbergMarquardt(1e-3, 1e-12, 1e8)).build(model);
        double[] theta = start.clone();
        double[] it = new double[steps + 1];
        double[] hf = new double[steps + 1];
        double[] ef = new double[steps + 1];
        List<String> keys = List.of("hessian", "fisher", "empirical_fisher");
        for (int t = 0; t <= steps; t++) {
            var e = CurvatureInspection.evaluate(model, theta, batch, keys, 1, seed);
            it[t] = t;
            hf[t] = CurvatureInspection.relativeDistance(e.matrices().get("hessian"), e.matrices().get("fisher"));
            ef[t] = CurvatureInspection.relativeDistance(e.matrices().get("empirical_fisher"),
                    e.matrices().get("fisher"));
            if (t < steps && !opt.step(theta, batch).stepped()) {
                return new Trajectory(java.util.Arrays.copyOf(it, t + 1), java.util.Arrays.copyOf(hf, t + 1),
                        java.util.Arrays.copyOf(ef, t + 1));
            }
        }
        return new Trajectory(it, hf, ef);
    }

    /**
     * The training figure {@code training.png} (and {@code .svg} where available) in {@code dir}.
     *
     * @param title          what was trained
     * @param wellSpecified  the trajectory on labels drawn from the model
     * @param misspecified   the trajectory on labels from a distorted model
     */
    public static Path training(String title, Trajectory wellSpecified, Trajectory misspecified, Path dir) {
        boolean zeros = java.util.stream.Stream.of(wellSpecified, misspecified)
                .flatMap(t -> java.util.stream.Stream.of(t.hessianFisher(), t.empiricalFisher()))
                .flatMapToDouble(java.util.Arrays::stream).anyMatch(a -> a < FLOOR);
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title(zeros ? title + " [exact zeros drawn at 1e-16]" : title)
                .xAxisTitle("Gauss-Newton / Levenberg-Marquardt step").yAxisTitle("relative Frobenius distance").build();
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Trajectory t : List.of(wellSpecified, misspecified)) {
            for (double[] v : List.of(t.hessianFisher(), t.empiricalFisher())) {
                for (double a : v) {
                    lo = Math.min(lo, Math.max(a, FLOOR));
                    hi = Math.max(hi, a);
                }
            }
        }
        chart.getStyler().setYAxisLogarithmic(hi > 30 * lo); // a linear axis shows ticks within two decades
        UnaryOperator<double[]> floor = v -> java.util.Arrays.stream(v).map(a -> Math.max(a, FLOOR)).toArray();
        add(chart, "||H - F|| / ||F||, well-specified", wellSpecified.iteration(), floor.apply(wellSpecified.hessianFisher()),
                new Color(31, 119, 180), SeriesMarkers.CIRCLE);
        add(chart, "||EF - F|| / ||F||, well-specified", wellSpecified.iteration(),
                floor.apply(wellSpecified.empiricalFisher()), new Color(44, 160, 44), SeriesMarkers.CIRCLE);
        add(chart, "||H - F|| / ||F||, misspecified", misspecified.iteration(), floor.apply(misspecified.hessianFisher()),
                new Color(31, 119, 180), SeriesMarkers.DIAMOND);
        add(chart, "||EF - F|| / ||F||, misspecified", misspecified.iteration(),
                floor.apply(misspecified.empiricalFisher()), new Color(44, 160, 44), SeriesMarkers.DIAMOND);
        return dir.resolve(Charts.save(chart, dir.resolve("training")));
    }

    private static void add(XYChart chart, String name, double[] x, double[] y, Color color,
            org.knowm.xchart.style.markers.Marker marker) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(marker);
        if (marker == SeriesMarkers.DIAMOND) {
            s.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[] {6f, 4f}, 0f));
        }
    }
}
