package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.GridValues;
import io.github.natgrad.bench.CsvFiles;
import io.github.natgrad.bench.ResumableCsv;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.plots.Charts;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.curvature.Curvatures;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * The vector-field figure of Kunstner, Balles and Hennig (2019, Fig. 1) as their code runs it
 * ({@code experiments/vecfield}): on the 2-D linear regression with an L2 prior of variance 0.1, the fields
 * −g/3, −(H + 10⁻⁸I)⁻¹g and −3(EF + 10⁻⁸I)⁻¹g ({@link VectorFields}, computed by the library), over the loss
 * contours, with Euler trajectories θ_t = θ_{t−1} + 0.001 · v(θ_{t−1}) from (2, 4.5), (1, 0), (4.5, 3) and
 * (−0.5, 3), {@value #ROWS} rows each (49 999 steps, no early stop); θ* by the library's Newton solve
 * ({@link Optimum}).
 *
 * <p>Writes into {@code OUT/vecfield/}: {@code trajectories.csv} ({@code field,start,step,theta1,theta2}; every
 * {@value #EVERY}th row and the last), {@code optimum.csv} (θ*, the gradient norm there, H and EF at θ*),
 * {@code fields.csv} (each field at each start) and {@code vecfield-gd|ngd|ef.png/.svg}. Each file is
 * written with commons-csv ({@link ResumableCsv#FORMAT}), numbers as {@code %.17g} ({@link GridValues#format}).
 * The experiment is a study of kind {@code vecfield} ({@link VecfieldKind}, also runnable as
 * {@code ablate --study studies/kunstner2019-fig1.yaml}): trajectories.csv is the study's resumable store,
 * a trajectory per task, and {@code study.yaml}/{@code study.sha256} beside it name the study.
 */
public final class VecfieldExperiment {
    static final double[][] STARTS = {{2, 4.5}, {1, 0}, {4.5, 3}, {-0.5, 3}};
    static final double EULER_STEP = 1e-3;
    /** Rows of a trajectory in the authors' runner (the start and 49 999 steps). */
    static final int ROWS = 50_000;
    /** The trajectories CSV keeps every this-many-th row, and the last. */
    static final int EVERY = 10;
    /** The authors' plot window, 2 ± 3 on both axes, and their 15 × 15 arrows. */
    static final double LO = -1;
    static final double HI = 5;
    static final int ARROWS = 15;

    private final Path out;
    private final PrintStream log;
    private final int rows;
    private final int threads;

    /** An experiment writing into {@code out}/vecfield, the authors' {@value #ROWS} rows per trajectory, one thread. */
    public VecfieldExperiment(Path out, PrintStream log) {
        this(out, log, ROWS, 1);
    }

    /**
     * An experiment writing into {@code out}/vecfield with {@code rows} rows per trajectory (the authors':
     * {@value #ROWS}), the twelve trajectories spread over {@code threads} threads.
     */
    public VecfieldExperiment(Path out, PrintStream log, int rows, int threads) {
        if (rows < 1) {
            throw new IllegalArgumentException("a trajectory needs at least one row (--vecfield-rows), got " + rows);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("the vector-field figure needs at least one thread, got " + threads);
        }
        this.out = out.resolve("vecfield");
        this.log = log;
        this.rows = rows;
        this.threads = threads;
    }

    /** θ*, the gradient norm there, H (with the prior) and EF (without) at θ*, row-major 2 × 2. */
    record Summary(Optimum.Point optimum, double[] hessian, double[] empiricalFisher) {
    }

    /** θ* and the matrices there. */
    static Summary summary(Problem problem) {
        Optimum.Point opt = Optimum.find(problem);
        return new Summary(opt, Optimum.matrix(problem, Curvatures.hessian(), opt.theta()),
                Optimum.matrix(problem, Curvatures.withoutPrior(Curvatures.empiricalFisher()), opt.theta()));
    }

    /**
     * Runs the experiment on the vector-field problem (2 parameters, the bias first): a study of kind
     * {@code vecfield} ({@link VecfieldKind}) run by the study engine into {@code OUT/vecfield} on
     * {@link #threads} threads (a trajectory per task; the table trajectories.csv is its resumable store),
     * then the other files and the figures.
     */
    public void run(Problem problem) {
        checkTwoParameters(problem);
        GeneratedStudies.run(study(problem, rows), GeneratedStudies.built(List.of(problem)), out, threads, false, log);
    }

    /** The study {@code reproduce vecfield} runs: kind vecfield on {@code problem}, {@code rows} rows per trajectory. */
    static Study study(Problem problem, int rows) {
        String text = "# Kunstner, Balles & Hennig (NeurIPS 2019), Fig. 1 (natgrad reproduce vecfield)\n"
                + "name: reproduce-vecfield\nexperiment: vecfield\n" + GeneratedStudies.problems(List.of(problem))
                + "settings: {rows: " + rows + "}\n";
        return Study.parse("reproduce-vecfield.yaml", text);
    }

    static void checkTwoParameters(Problem problem) {
        if (problem.parameters() != 2) {
            throw new IllegalArgumentException("the vector-field figure needs 2 parameters, " + problem.name()
                    + " has " + problem.parameters());
        }
    }

    /**
     * Writes optimum.csv, fields.csv and the figures from the finished trajectories (the table's rows,
     * {@code field,start,step,theta1,theta2}, in table order), and prints the summary lines.
     */
    static void report(Problem problem, List<List<String>> table, int rows, Path out, PrintStream log) {
        Summary s = summary(problem);
        double[] ts = s.optimum().theta();
        double[] h = s.hessian();
        double[] ef = s.empiricalFisher();
        log.printf(Locale.ROOT, "vecfield: N = %d, theta* = (%.10f, %.10f), |g| = %.1e; H = [%.10g %.10g; %.10g %.10g], "
                + "EF = [%.10g %.10g; %.10g %.10g]%n", problem.batch().rows(), ts[0], ts[1], s.optimum().gradientNorm(),
                h[0], h[1], h[2], h[3], ef[0], ef[1], ef[2], ef[3]);
        CsvFiles.write(out.resolve("optimum.csv"), ResumableCsv.FORMAT, csv -> {
            csv.printRecord("theta1", "theta2", "grad_norm", "h11", "h12", "h22", "ef11", "ef12", "ef22");
            csv.printRecord(GridValues.formatAll(ts[0], ts[1], s.optimum().gradientNorm(), h[0], h[1], h[3], ef[0], ef[1], ef[3]));
        });

        VectorFields fields = new VectorFields(problem);
        List<List<String>> atStarts = new ArrayList<>();
        Trajectory[][] paths = trajectories(table);
        double[][] contours = contours(problem, ts);
        for (VectorFields.Kind kind : VectorFields.Kind.values()) {
            XYChart chart = Charts.lines("vector field: " + kind.label.toUpperCase(Locale.ROOT), "theta1 (bias)", "theta2",
                    false);
            Charts.addLine(chart, "loss contours", contours[0], contours[1], new Color(0xbbbbbb), 1f, false);
            Charts.Pieces arrows = arrows(fields, kind);
            Charts.addLine(chart, "field", arrows.x(), arrows.y(), new Color(0x555555), 1f, false);
            for (int s0 = 0; s0 < STARTS.length; s0++) {
                double[] v = fields.at(kind, STARTS[s0]);
                List<String> row = new ArrayList<>(List.of(kind.label, Integer.toString(s0)));
                row.addAll(GridValues.formatAll(STARTS[s0][0], STARTS[s0][1], v[0], v[1]));
                atStarts.add(row);
                Trajectory path = paths[kind.ordinal()][s0];
                log.printf(Locale.ROOT, "  %s from (%.1f, %.1f): %d rows, ends at (%.12f, %.12f)%n", kind.label,
                        STARTS[s0][0], STARTS[s0][1], rows, path.x()[path.x().length - 1], path.y()[path.y().length - 1]);
                Charts.addLine(chart, String.format(Locale.ROOT, "start (%.1f, %.1f)", STARTS[s0][0], STARTS[s0][1]),
                        path.x(), path.y(), new Color(0xd62728), 2f, false);
            }
            Charts.addLine(chart, "theta*", new double[] {ts[0]}, new double[] {ts[1]}, Color.BLACK, 1f, false)
                    .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE).setMarkerColor(Color.BLACK);
            chart.getStyler().setMarkerSize(8);
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisMin(LO).setXAxisMax(HI).setYAxisMin(LO).setYAxisMax(HI);
            Charts.save(chart, out.resolve("vecfield-" + kind.label));
        }
        CsvFiles.write(out.resolve("fields.csv"), ResumableCsv.FORMAT, csv -> {
            csv.printRecord("field", "start", "theta1", "theta2", "v1", "v2");
            csv.printRecords(atStarts);
        });
    }

    /** The trajectories read back from the table, [field][start]. */
    private static Trajectory[][] trajectories(List<List<String>> table) {
        int kinds = VectorFields.Kind.values().length;
        Trajectory[][] out = new Trajectory[kinds][STARTS.length];
        int from = 0;
        while (from < table.size()) {
            List<String> first = table.get(from);
            int to = from;
            while (to < table.size() && table.get(to).get(0).equals(first.get(0)) && table.get(to).get(1).equals(first.get(1))) {
                to++;
            }
            double[] x = new double[to - from];
            double[] y = new double[to - from];
            int[] steps = new int[to - from];
            for (int k = from; k < to; k++) {
                steps[k - from] = Integer.parseInt(table.get(k).get(2));
                x[k - from] = Double.parseDouble(table.get(k).get(3));
                y[k - from] = Double.parseDouble(table.get(k).get(4));
            }
            out[VectorFields.Kind.byLabel(first.get(0)).ordinal()][Integer.parseInt(first.get(1))] = new Trajectory(x, y, steps);
            from = to;
        }
        return out;
    }

    /** Loss contours around θ*, the library's objective on an 81 × 81 grid. */
    private static double[][] contours(Problem problem, double[] thetaStar) {
        int grid = 81;
        double[] axis = new double[grid];
        for (int i = 0; i < grid; i++) {
            axis[i] = LO + (HI - LO) * i / (grid - 1);
        }
        io.github.natgrad.Optimizer objective = ReferenceRunner.optimizer(problem, Method.GD, 1, 0);
        double[][] loss = new double[grid][grid];
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                loss[i][j] = objective.loss(new double[] {axis[j], axis[i]}, problem.batch());
            }
        }
        double best = objective.loss(thetaStar, problem.batch());
        Charts.Pieces pieces = new Charts.Pieces();
        for (int k = 1; k <= 10; k++) {
            Charts.contour(axis, axis, loss, best + 0.05 * k * k, pieces);
        }
        return new double[][] {pieces.x(), pieces.y()};
    }

    /** Unit-length arrows of the field's direction on the authors' 15 × 15 grid over [−1, 5]². */
    private static Charts.Pieces arrows(VectorFields fields, VectorFields.Kind kind) {
        Charts.Pieces arrows = new Charts.Pieces();
        double len = 0.18;
        for (int i = 0; i < ARROWS; i++) {
            for (int j = 0; j < ARROWS; j++) {
                double t0 = LO + (HI - LO) * j / (ARROWS - 1);
                double t1 = LO + (HI - LO) * i / (ARROWS - 1);
                double[] v = fields.at(kind, new double[] {t0, t1});
                double norm = Math.hypot(v[0], v[1]);
                if (!(norm > 0)) {
                    continue;
                }
                double u0 = v[0] / norm * len;
                double u1 = v[1] / norm * len;
                double hx = t0 + u0;
                double hy = t1 + u1;
                arrows.segment(t0, t1, hx, hy);
                arrows.segment(hx, hy, hx - 0.35 * (u0 - 0.5 * u1), hy - 0.35 * (u1 + 0.5 * u0));
                arrows.segment(hx, hy, hx - 0.35 * (u0 + 0.5 * u1), hy - 0.35 * (u1 - 0.5 * u0));
            }
        }
        return arrows;
    }

    /** The kept rows of one trajectory: their steps t and coordinates θ_t. */
    record Trajectory(double[] x, double[] y, int[] steps) {
    }

    /** The steps a trajectory of {@code rows} rows keeps: every {@value #EVERY}th and the last. */
    static int[] keptSteps(int rows) {
        int kept = (rows - 1) / EVERY + 1 + ((rows - 1) % EVERY == 0 ? 0 : 1);
        int[] steps = new int[kept];
        int k = 0;
        for (int t = 0; t < rows; t++) {
            if (t % EVERY == 0 || t == rows - 1) {
                steps[k++] = t;
            }
        }
        return steps;
    }

    /** The table rows of one trajectory: {@code field,start,step,theta1,theta2}. */
    static List<List<String>> rows(VectorFields.Kind kind, int start, Trajectory path) {
        List<List<String>> out = new ArrayList<>(path.steps().length);
        for (int k = 0; k < path.steps().length; k++) {
            out.add(List.of(kind.label, Integer.toString(start), Integer.toString(path.steps()[k]),
                    GridValues.format(path.x()[k]), GridValues.format(path.y()[k])));
        }
        return out;
    }

    /**
     * The authors' Euler run from STARTS[startIndex]: {@code rows} rows, row t = row t−1 + 0.001 · v(row t−1);
     * keeps every {@value #EVERY}th row and the last.
     */
    static Trajectory trajectory(VectorFields fields, VectorFields.Kind kind, int startIndex, int rows) {
        int kept = (rows - 1) / EVERY + 1 + ((rows - 1) % EVERY == 0 ? 0 : 1);
        double[] px = new double[kept];
        double[] py = new double[kept];
        int[] steps = new int[kept];
        double[] theta = STARTS[startIndex].clone();
        int k = 0;
        for (int t = 0; t < rows; t++) {
            if (t > 0) {
                double[] v = fields.at(kind, theta);
                theta[0] = theta[0] + EULER_STEP * v[0];
                theta[1] = theta[1] + EULER_STEP * v[1];
            }
            if (t % EVERY == 0 || t == rows - 1) {
                px[k] = theta[0];
                py[k] = theta[1];
                steps[k] = t;
                k++;
            }
        }
        return new Trajectory(px, py, steps);
    }

}
