package io.github.natgrad.bench.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import io.github.natgrad.training.AtomicFiles;
import java.nio.file.Path;
import org.knowm.xchart.internal.chartpart.Chart;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of the reproduction, drawn with xchart: line charts, and helpers for what xchart lacks —
 * polylines broken by NaN (one series holding many segments: arrows, contour pieces, ellipses) and
 * contour lines of a function on a grid (marching squares). Every figure is saved as PNG and SVG.
 */
public final class Charts {
    private Charts() {
    }

    /** A line chart of the given size with axis titles; {@code logY} for a logarithmic y axis. */
    public static XYChart lines(String title, String xTitle, String yTitle, boolean logY) {
        XYChart chart = new XYChartBuilder().width(640).height(480).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        return chart;
    }

    /** Adds a line series without markers; returns it for styling. */
    public static XYSeries addLine(XYChart chart, String name, double[] x, double[] y, Color color, float width,
            boolean inLegend) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width));
        s.setShowInLegend(inLegend);
        return s;
    }

    /**
     * Writes {@code base}.png and {@code base}.svg atomically (each to a temporary file in the same folder,
     * then moved over the target, so an interrupted run never leaves a half-written figure); returns the
     * PNG's file name.
     */
    public static String save(Chart<?, ?> chart, Path base) {
        AtomicFiles.write(base.resolveSibling(base.getFileName() + ".png"),
                tmp -> BitmapEncoder.saveBitmapWithDPI(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG, 150));
        AtomicFiles.write(base.resolveSibling(base.getFileName() + ".svg"), tmp -> VectorGraphicsEncoder
                .saveVectorGraphic(chart, tmp.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
        return base.getFileName() + ".png";
    }

    /** A polyline of many pieces, separated by NaN, that xchart draws as one series with gaps. */
    public static final class Pieces {
        private final List<Double> xs = new ArrayList<>();
        private final List<Double> ys = new ArrayList<>();

        /** Adds one piece. */
        public void add(double[] x, double[] y) {
            if (!xs.isEmpty()) {
                xs.add(Double.NaN);
                ys.add(Double.NaN);
            }
            for (int i = 0; i < x.length; i++) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }

        /** Adds a segment from (x0, y0) to (x1, y1). */
        public void segment(double x0, double y0, double x1, double y1) {
            add(new double[] {x0, x1}, new double[] {y0, y1});
        }

        /** Whether nothing was added. */
        public boolean isEmpty() {
            return xs.isEmpty();
        }

        /** The x values, NaN between pieces. */
        public double[] x() {
            return xs.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /** The y values, NaN between pieces. */
        public double[] y() {
            return ys.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /**
     * The contour line {@code f = level} of values sampled on a grid, as segments (marching squares with
     * linear interpolation along the cell edges).
     *
     * @param xs     the grid's x coordinates (columns)
     * @param ys     the grid's y coordinates (rows)
     * @param values f(xs[j], ys[i]) at [i][j]
     * @param level  the level
     * @param out    receives the segments
     */
    public static void contour(double[] xs, double[] ys, double[][] values, double level, Pieces out) {
        for (int i = 0; i + 1 < ys.length; i++) {
            for (int j = 0; j + 1 < xs.length; j++) {
                double[] cx = {xs[j], xs[j + 1], xs[j + 1], xs[j]};
                double[] cy = {ys[i], ys[i], ys[i + 1], ys[i + 1]};
                double[] v = {values[i][j], values[i][j + 1], values[i + 1][j + 1], values[i + 1][j]};
                List<double[]> crossings = new ArrayList<>(4);
                for (int e = 0; e < 4; e++) {
                    double a = v[e] - level;
                    double b = v[(e + 1) % 4] - level;
                    if ((a < 0) != (b < 0) && Double.isFinite(a) && Double.isFinite(b)) {
                        double t = a / (a - b);
                        crossings.add(new double[] {cx[e] + t * (cx[(e + 1) % 4] - cx[e]),
                            cy[e] + t * (cy[(e + 1) % 4] - cy[e])});
                    }
                }
                for (int k = 0; k + 1 < crossings.size(); k += 2) {
                    out.segment(crossings.get(k)[0], crossings.get(k)[1], crossings.get(k + 1)[0],
                            crossings.get(k + 1)[1]);
                }
            }
        }
    }
}
