package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.GridValues;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ResumableCsv;
import io.github.natgrad.bench.plots.Charts;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.curvature.Curvatures;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.knowm.xchart.XYChart;

/**
 * The misspecification figure of Kunstner, Balles and Hennig (2019, Fig. 2, and its linear appendix
 * variant) as their code draws it ({@code experiments/misspec}): for each 2-D problem, θ* by the library's
 * Newton solve ({@link Optimum}), then at θ* the Fisher plus the prior's curvature (their
 * {@code problem.hess}, which for these models is the Fisher; the prior is 0 for the logistic problems and
 * I/(0.1 N) for the linear ones) and the empirical Fisher of the data term (their {@code problem.ef}, no
 * prior), both the library's curvature builds, drawn as the ellipses {θ* + 3·M^(−1/2) u : ‖u‖ = 1},
 * M = N·F or N·EF, over the loss contours.
 *
 * <p>Writes {@code OUT/misspec/misspec.csv}
 * ({@code problem,theta1,theta2,fisher11,fisher12,fisher22,ef11,ef12,ef22,grad_norm}; fisher includes the
 * prior's curvature, ef does not; commons-csv, {@link ResumableCsv#FORMAT}, numbers as {@code %.17g}) and one
 * figure {@code misspec-PROBLEM.png/.svg} per problem. The experiment is a study of kind {@code misspec}
 * ({@link MisspecKind}, also runnable as {@code ablate --study studies/kunstner2019-fig2.yaml}): the table is
 * the study's resumable store, one row per problem, and {@code study.yaml}/{@code study.sha256} beside it
 * name the study.
 */
public final class MisspecExperiment {
    private final Path out;
    private final PrintStream log;

    /** An experiment writing into {@code out}/misspec. */
    public MisspecExperiment(Path out, PrintStream log) {
        this.out = out.resolve("misspec");
        this.log = log;
    }

    /** θ*, the Fisher with the prior and the empirical Fisher without it (dense 2 × 2 row-major) at θ*. */
    record Fit(double[] theta, double[] fisher, double[] empirical, double gradientNorm) {
    }

    /** Finds θ* and builds the two matrices there. */
    static Fit fit(Problem problem) {
        Optimum.Point opt = Optimum.find(problem);
        return new Fit(opt.theta(), Optimum.matrix(problem, Curvatures.fisher(), opt.theta()),
                Optimum.matrix(problem, Curvatures.withoutPrior(Curvatures.empiricalFisher()), opt.theta()),
                opt.gradientNorm());
    }

    /** Points of the ellipse θ* + 3·(N·C)^(−1/2) u, ‖u‖ = 1. */
    static double[][] ellipse(double[] center, double[] c, int n, int points) {
        RealMatrix m = new Array2DRowRealMatrix(new double[][] {{c[0] * n, c[1] * n}, {c[2] * n, c[3] * n}});
        RealMatrix inverseRoot = org.apache.commons.math3.linear.MatrixUtils.inverse(new EigenDecomposition(m).getSquareRoot());
        double[] xs = new double[points + 1];
        double[] ys = new double[points + 1];
        for (int k = 0; k <= points; k++) {
            double a = 2 * Math.PI * k / points;
            double u0 = Math.cos(a);
            double u1 = Math.sin(a);
            xs[k] = center[0] + 3 * (inverseRoot.getEntry(0, 0) * u0 + inverseRoot.getEntry(0, 1) * u1);
            ys[k] = center[1] + 3 * (inverseRoot.getEntry(1, 0) * u0 + inverseRoot.getEntry(1, 1) * u1);
        }
        return new double[][] {xs, ys};
    }

    /**
     * Runs the experiment on 2-parameter problems: a study of kind {@code misspec} ({@link MisspecKind}) run by
     * the study engine into {@code OUT/misspec} (resumable: the table is its store), then the figures.
     */
    public void run(List<Problem> problems) {
        for (Problem p : problems) {
            checkTwoParameters(p);
        }
        GeneratedStudies.run(study(problems), GeneratedStudies.built(problems), out, 1, false, log);
    }

    /** The study {@code reproduce misspec} runs: kind misspec on the given problems. */
    static Study study(List<Problem> problems) {
        String text = "# Kunstner, Balles & Hennig (NeurIPS 2019), Fig. 2 (natgrad reproduce misspec)\n"
                + "name: reproduce-misspec\nexperiment: misspec\n" + GeneratedStudies.problems(problems);
        return Study.parse("reproduce-misspec.yaml", text);
    }

    static void checkTwoParameters(Problem p) {
        if (p.parameters() != 2) {
            throw new IllegalArgumentException("the misspecification figure needs 2 parameters, " + p.name()
                    + " has " + p.parameters());
        }
    }

    /** The table's row of a problem: its name, θ*, the Fisher and the empirical Fisher there, |g|. */
    static List<String> row(Problem p) {
        checkTwoParameters(p);
        Fit fit = fit(p);
        List<String> row = new ArrayList<>(List.of(p.name()));
        row.addAll(GridValues.formatAll(fit.theta()[0], fit.theta()[1], fit.fisher()[0], fit.fisher()[1], fit.fisher()[3],
                fit.empirical()[0], fit.empirical()[1], fit.empirical()[3], fit.gradientNorm()));
        return row;
    }

    /** Prints a problem's line and draws its figure into {@code dir}: ellipses of F and EF over the loss contours. */
    static void figure(Problem p, Path dir, PrintStream log) {
        Fit fit = fit(p);
        int n = p.batch().rows();
        log.printf(Locale.ROOT, "misspec %s: theta* = (%.10f, %.10f), |g| = %.1e, F = [%.10g %.10g; %.10g], "
                + "EF = [%.10g %.10g; %.10g]%n",
                p.name(), fit.theta()[0], fit.theta()[1], fit.gradientNorm(), fit.fisher()[0], fit.fisher()[1],
                fit.fisher()[3], fit.empirical()[0], fit.empirical()[1], fit.empirical()[3]);
        double[][] ef = ellipse(fit.theta(), fit.empirical(), n, 200);
        double[][] fi = ellipse(fit.theta(), fit.fisher(), n, 200);
        double extent = 0;
        for (double[][] e : new double[][][] {ef, fi}) {
            for (int k = 0; k < e[0].length; k++) {
                extent = Math.max(extent, Math.max(Math.abs(e[0][k] - fit.theta()[0]), Math.abs(e[1][k] - fit.theta()[1])));
            }
        }
        extent *= 1.3;
        int grid = 81;
        double[] xs = new double[grid];
        double[] ys = new double[grid];
        for (int k = 0; k < grid; k++) {
            xs[k] = fit.theta()[0] - extent + 2 * extent * k / (grid - 1);
            ys[k] = fit.theta()[1] - extent + 2 * extent * k / (grid - 1);
        }
        io.github.natgrad.Optimizer objective = ReferenceRunner.optimizer(p, Method.GD, 1, 0);
        double[][] loss = new double[grid][grid];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                loss[i][j] = objective.loss(new double[] {xs[j], ys[i]}, p.batch());
                max = Math.max(max, loss[i][j]);
            }
        }
        double best = objective.loss(fit.theta(), p.batch());
        Charts.Pieces contours = new Charts.Pieces();
        for (int k = 1; k <= 8; k++) {
            Charts.contour(xs, ys, loss, best + (max - best) * k * k / 64.0, contours);
        }
        XYChart chart = Charts.lines(p.name() + ": Fisher vs empirical Fisher at theta*", "theta1", "theta2", false);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        if (!contours.isEmpty()) {
            Charts.addLine(chart, "loss contours", contours.x(), contours.y(), new Color(0xbbbbbb), 1f, false);
        }
        Charts.addLine(chart, "Fisher", fi[0], fi[1], new Color(0x1f77b4), 2f, true);
        Charts.addLine(chart, "empirical Fisher", ef[0], ef[1], new Color(0xd62728), 2f, true);
        Charts.addLine(chart, "theta*", new double[] {fit.theta()[0]}, new double[] {fit.theta()[1]}, Color.BLACK, 1f,
                true).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE).setMarkerColor(Color.BLACK);
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setXAxisMin(xs[0]).setXAxisMax(xs[grid - 1]).setYAxisMin(ys[0]).setYAxisMax(ys[grid - 1]);
        Charts.save(chart, dir.resolve("misspec-" + p.name()));
    }
}
