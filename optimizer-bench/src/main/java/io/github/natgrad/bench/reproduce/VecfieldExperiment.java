package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.AtomicFiles;
import io.github.natgrad.bench.plots.Charts;
import io.github.natgrad.bench.problems.Problem;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * The vector-field figure of Kunstner, Balles and Hennig (2019, Fig. 1) on the 2-D linear regression
 * with an L2 prior: the fields of gradient descent −g/3, natural gradient −(F + prior + 1e-8 I)⁻¹ g and
 * the empirical Fisher −3 (EF + 1e-8 I)⁻¹ g (EF of the data term, as in the statement of the
 * authors' code), over the loss contours, with Euler trajectories (step 0.001, until ‖θ − θ*‖ ≤ 1e-6
 * or 50,000 steps) from (2, 4.5), (1, 0), (4.5, 3) and (−0.5, 3); θ* by an exact solve.
 *
 * <p>Writes {@code OUT/vecfield/trajectories.csv} ({@code field,start,step,theta1,theta2}, every 10th
 * step and the last) and {@code vecfield-gd|ngd|ef.png/.svg}.
 */
public final class VecfieldExperiment {
    static final double[][] STARTS = {{2, 4.5}, {1, 0}, {4.5, 3}, {-0.5, 3}};
    static final double EULER_STEP = 1e-3;
    static final int MAX_STEPS = 50_000;
    static final String[] FIELDS = {"gd", "ngd", "ef"};

    private final Path out;
    private final PrintStream log;

    /** An experiment writing into {@code out}/vecfield. */
    public VecfieldExperiment(Path out, PrintStream log) {
        this.out = out.resolve("vecfield");
        this.log = log;
    }

    /** The quantities of the 2-D linear problem the fields need. */
    static final class Quadratic {
        final double[] x;
        final double[] y;
        final int n;
        final double prior;
        final double[] fisher = new double[3]; // XᵀX/N packed (11, 12, 22)
        final double[] thetaStar;

        Quadratic(Problem p) {
            x = p.batch().x();
            y = p.batch().y();
            n = p.batch().rows();
            prior = p.prior().precision(n);
            double b0 = 0;
            double b1 = 0;
            for (int i = 0; i < n; i++) {
                double a = x[2 * i];
                double b = x[2 * i + 1];
                fisher[0] += a * a / n;
                fisher[1] += a * b / n;
                fisher[2] += b * b / n;
                b0 += a * y[i] / n;
                b1 += b * y[i] / n;
            }
            thetaStar = solve(fisher[0] + prior, fisher[1], fisher[2] + prior, b0, b1);
        }

        double loss(double t0, double t1) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double r = x[2 * i] * t0 + x[2 * i + 1] * t1 - y[i];
                s += r * r;
            }
            return 0.5 * s / n + 0.5 * prior * (t0 * t0 + t1 * t1);
        }

        /** The field of kind k (0 GD, 1 NGD, 2 EF) at θ. */
        double[] field(int kind, double t0, double t1) {
            double g0 = 0;
            double g1 = 0;
            double e00 = 0;
            double e01 = 0;
            double e11 = 0;
            for (int i = 0; i < n; i++) {
                double a = x[2 * i];
                double b = x[2 * i + 1];
                double r = a * t0 + b * t1 - y[i];
                g0 += r * a;
                g1 += r * b;
                if (kind == 2) {
                    e00 += r * r * a * a;
                    e01 += r * r * a * b;
                    e11 += r * r * b * b;
                }
            }
            g0 = g0 / n + prior * t0;
            g1 = g1 / n + prior * t1;
            return switch (kind) {
                case 0 -> new double[] {-g0 / 3, -g1 / 3};
                case 1 -> neg(solve(fisher[0] + prior + 1e-8, fisher[1], fisher[2] + prior + 1e-8, g0, g1), 1);
                default -> neg(solve(e00 / n + 1e-8, e01 / n, e11 / n + 1e-8, g0, g1), 3);
            };
        }

        static double[] neg(double[] v, double scale) {
            return new double[] {-scale * v[0], -scale * v[1]};
        }

        static double[] solve(double a, double b, double c, double r0, double r1) {
            double det = a * c - b * b;
            return new double[] {(c * r0 - b * r1) / det, (a * r1 - b * r0) / det};
        }
    }

    /** Runs the experiment. */
    public void run(Problem problem) {
        Quadratic qd = new Quadratic(problem);
        log.printf(Locale.ROOT, "vecfield: N = %d, theta* = (%.6f, %.6f)%n", qd.n, qd.thetaStar[0], qd.thetaStar[1]);
        StringBuilder csv = new StringBuilder("field,start,step,theta1,theta2\n");
        double lo = -1.5;
        double hi = 5.5;
        int grid = 81;
        double[] axis = new double[grid];
        for (int i = 0; i < grid; i++) {
            axis[i] = lo + (hi - lo) * i / (grid - 1);
        }
        double[][] loss = new double[grid][grid];
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                loss[i][j] = qd.loss(axis[j], axis[i]);
            }
        }
        double best = qd.loss(qd.thetaStar[0], qd.thetaStar[1]);
        Charts.Pieces contours = new Charts.Pieces();
        for (int k = 1; k <= 10; k++) {
            Charts.contour(axis, axis, loss, best + 0.05 * k * k, contours);
        }
        for (int kind = 0; kind < 3; kind++) {
            XYChart chart = Charts.lines("vector field: " + FIELDS[kind].toUpperCase(Locale.ROOT), "theta1 (bias)",
                    "theta2", false);
            Charts.addLine(chart, "loss contours", contours.x(), contours.y(), new Color(0xbbbbbb), 1f, false);
            Charts.Pieces arrows = new Charts.Pieces();
            for (int i = 0; i <= 14; i++) {
                for (int j = 0; j <= 14; j++) {
                    double t0 = lo + (hi - lo) * (j + 0.5) / 15;
                    double t1 = lo + (hi - lo) * (i + 0.5) / 15;
                    double[] v = qd.field(kind, t0, t1);
                    double norm = Math.hypot(v[0], v[1]);
                    if (norm == 0) {
                        continue;
                    }
                    double len = 0.18;
                    double u0 = v[0] / norm * len;
                    double u1 = v[1] / norm * len;
                    arrows.segment(t0, t1, t0 + u0, t1 + u1);
                    double hx = t0 + u0;
                    double hy = t1 + u1;
                    arrows.segment(hx, hy, hx - 0.35 * (u0 - 0.5 * u1), hy - 0.35 * (u1 + 0.5 * u0));
                    arrows.segment(hx, hy, hx - 0.35 * (u0 + 0.5 * u1), hy - 0.35 * (u1 - 0.5 * u0));
                }
            }
            Charts.addLine(chart, "field", arrows.x(), arrows.y(), new Color(0x555555), 1f, false);
            for (int s = 0; s < STARTS.length; s++) {
                double[] path = trajectory(qd, kind, STARTS[s], csv, s);
                int m = path.length / 2;
                double[] px = new double[m];
                double[] py = new double[m];
                for (int k = 0; k < m; k++) {
                    px[k] = path[2 * k];
                    py[k] = path[2 * k + 1];
                }
                Charts.addLine(chart, String.format(Locale.ROOT, "start (%.1f, %.1f)", STARTS[s][0], STARTS[s][1]),
                        px, py, new Color(0xd62728), 2f, false);
            }
            Charts.addLine(chart, "theta*", new double[] {qd.thetaStar[0]}, new double[] {qd.thetaStar[1]},
                    Color.BLACK, 1f, false).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
            chart.getStyler().setMarkerSize(8);
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisMin(lo).setXAxisMax(hi).setYAxisMin(lo).setYAxisMax(hi);
            Charts.save(chart, out.resolve("vecfield-" + FIELDS[kind]));
        }
        AtomicFiles.write(out.resolve("trajectories.csv"), csv.toString());
    }

    /** Euler steps of the field from a start; returns the path (every 10th point and the last), x/y interleaved. */
    private double[] trajectory(Quadratic qd, int kind, double[] start, StringBuilder csv, int startIndex) {
        java.util.List<double[]> pts = new java.util.ArrayList<>();
        double t0 = start[0];
        double t1 = start[1];
        int step = 0;
        for (; step <= MAX_STEPS; step++) {
            boolean done = Math.hypot(t0 - qd.thetaStar[0], t1 - qd.thetaStar[1]) <= 1e-6 || step == MAX_STEPS;
            if (step % 10 == 0 || done) {
                pts.add(new double[] {t0, t1});
                csv.append(FIELDS[kind]).append(',').append(startIndex).append(',').append(step).append(',')
                        .append(Grid.format(t0)).append(',').append(Grid.format(t1)).append('\n');
            }
            if (done) {
                break;
            }
            double[] v = qd.field(kind, t0, t1);
            t0 += EULER_STEP * v[0];
            t1 += EULER_STEP * v[1];
        }
        log.printf(Locale.ROOT, "  %s from (%.1f, %.1f): %d Euler steps, ends at (%.6f, %.6f)%n", FIELDS[kind], start[0],
                start[1], step, t0, t1);
        double[] out = new double[2 * pts.size()];
        for (int k = 0; k < pts.size(); k++) {
            out[2 * k] = pts.get(k)[0];
            out[2 * k + 1] = pts.get(k)[1];
        }
        return out;
    }
}
