package io.github.natgrad.bench.reproduce;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.bench.AtomicFiles;
import io.github.natgrad.bench.plots.Charts;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How the damping policies cope with an indefinite Hessian: damped-Hessian (Newton) steps
 * θ ← θ − η (H + λI)⁻¹ g on a small seeded MLP regression problem, over a grid of step sizes η and
 * dampings λ, for each policy:
 * <ul>
 *   <li>{@code fixed}: Tikhonov λ, refuses an indefinite H + λI (the run stops, status
 *       {@code not-positive-definite});</li>
 *   <li>{@code shift-to-pd}: λ raised to −λ_min(H) + λ when H + λI is not positive definite, so the
 *       shifted system keeps the margin λ from singularity (Nocedal and Wright, section 3.4);</li>
 *   <li>{@code saddle-free}: (|H| + λI)⁻¹ g (Dauphin et al. 2014);</li>
 *   <li>{@code levenberg-marquardt}: λ₀ adapted by the reduction ratio (Moré 1978; Martens 2010);</li>
 *   <li>{@code gauss-newton}: the PSD Gauss-Newton matrix with fixed λ, for reference.</li>
 * </ul>
 * The best run of a policy is the one with the lowest final loss among runs that neither diverged
 * (loss above 100 × the initial loss, or not finite) nor stopped (ties: first in grid order, step size
 * major), as in the optim grid of the reproduction. A run's {@code repairs} counts the steps at which
 * the policy had to change λ or the spectrum to obtain a positive-definite system.
 *
 * <p>Problem: x ~ N(0, I₄), y = sin(2x₀) + x₁x₂/2 − x₃/2 + 0.1·ε (N = 400), a 4-8-1 tanh network with a
 * unit-variance Gaussian likelihood, started from its seeded LeCun initialisation. Immutable; configure
 * with {@code with...} copies. Outputs (in the directory given to {@link #run}): {@code runs.csv},
 * {@code summary.csv}, {@code curves.csv}, {@code loss-curves.png} (and {@code .svg} where available),
 * {@code README.md}. Rerunning with the same directory skips the runs already in {@code runs.csv}.
 */
public final class MlpDampingExperiment {
    /** The policies compared, in output order. */
    public static final List<String> POLICIES =
            List.of("fixed", "shift-to-pd", "saddle-free", "levenberg-marquardt", "gauss-newton");
    static final String RUNS_HEADER = "policy,lr,damping,iterations,final_loss,status,repairs";

    private final int examples;
    private final int[] hidden;
    private final int steps;
    private final double[] stepSizes;
    private final double[] dampings;

    private MlpDampingExperiment(int examples, int[] hidden, int steps, double[] stepSizes, double[] dampings) {
        this.examples = Checks.atLeastOne(examples, "examples");
        this.hidden = hidden.clone();
        this.steps = Checks.atLeastOne(steps, "steps");
        if (stepSizes.length == 0 || dampings.length == 0) {
            throw new IllegalArgumentException("the grid needs at least one step size and one damping");
        }
        for (double eta : stepSizes) {
            Checks.positive(eta, "step size");
        }
        for (double lambda : dampings) {
            Checks.positive(lambda, "damping");
        }
        this.stepSizes = stepSizes.clone();
        this.dampings = dampings.clone();
    }

    /** N = 400, one hidden layer of 8, 100 steps, η ∈ {0.1, 0.3, 1}, λ ∈ {1e-4, 1e-3, 1e-2, 1e-1, 1}. */
    public static MlpDampingExperiment defaults() {
        return new MlpDampingExperiment(400, new int[] {8}, 100, new double[] {0.1, 0.3, 1.0},
                new double[] {1e-4, 1e-3, 1e-2, 1e-1, 1.0});
    }

    /** A copy with another number of examples. */
    public MlpDampingExperiment withExamples(int n) {
        return new MlpDampingExperiment(n, hidden, steps, stepSizes, dampings);
    }

    /** A copy with other hidden-layer widths. */
    public MlpDampingExperiment withHidden(int... units) {
        return new MlpDampingExperiment(examples, units, steps, stepSizes, dampings);
    }

    /** A copy with another number of steps per run. */
    public MlpDampingExperiment withSteps(int count) {
        return new MlpDampingExperiment(examples, hidden, count, stepSizes, dampings);
    }

    /** A copy with another grid. */
    public MlpDampingExperiment withGrid(double[] etas, double[] lambdas) {
        return new MlpDampingExperiment(examples, hidden, steps, etas, lambdas);
    }

    /** The seeded problem: the network, the data and the starting point. */
    public record Problem(MultilayerPerceptron model, Batch batch, double[] start) {
    }

    /** The problem for {@code seed}. */
    public Problem problem(long seed) {
        RandomGenerator random = new Well19937c(seed);
        int p = 4;
        double[] x = new double[examples * p];
        double[] y = new double[examples];
        for (int i = 0; i < examples; i++) {
            for (int j = 0; j < p; j++) {
                x[i * p + j] = random.nextGaussian();
            }
            int o = i * p;
            y[i] = Math.sin(2 * x[o]) + 0.5 * x[o + 1] * x[o + 2] - 0.5 * x[o + 3] + 0.1 * random.nextGaussian();
        }
        MultilayerPerceptron mlp = MultilayerPerceptron.of(p, Likelihoods.gaussian()).withHidden(hidden);
        return new Problem(mlp, Batch.wrap(x, y, examples, p), mlp.initialParameters(seed + 1));
    }

    /**
     * One run's outcome.
     *
     * @param policy     the policy name (one of {@link #POLICIES})
     * @param stepSize   η
     * @param damping    λ (the initial λ for Levenberg-Marquardt)
     * @param iterations steps taken
     * @param finalLoss  the loss after the last step taken
     * @param status     {@code ok}, {@code diverged} or {@code not-positive-definite}
     * @param repairs    steps at which the policy changed λ or the spectrum to get a positive-definite system
     * @param losses     the loss before each step and after the last (iterations + 1 values)
     */
    public record Run(String policy, double stepSize, double damping, int iterations, double finalLoss, String status,
            int repairs, double[] losses) {
        boolean usable() {
            return status.equals("ok");
        }
    }

    static Curvature curvature(String policy) {
        return policy.equals("gauss-newton") ? Curvatures.gaussNewton() : Curvatures.hessian();
    }

    static DampingPolicy damping(String policy, double lambda) {
        switch (policy) {
            case "fixed":
            case "gauss-newton":
                return Damping.fixed(lambda);
            case "shift-to-pd":
                return Damping.shiftToPositiveDefinite(lambda, 1e-8);
            case "saddle-free":
                return Damping.saddleFree(lambda);
            case "levenberg-marquardt":
                return Damping.levenbergMarquardt(lambda, Math.min(lambda, 1e-8), 1e8);
            default:
                throw new IllegalArgumentException("unknown damping policy '" + policy + "'; choose one of " + POLICIES);
        }
    }

    /** Whether a step's damping action says the policy had to repair an indefinite system. */
    static boolean repaired(String action) {
        if (action.startsWith("shifted") || action.contains("raised")) {
            return true;
        }
        return action.startsWith("saddle-free: ") && !action.startsWith("saddle-free: 0 ");
    }

    /** One run of {@code policy} at (η, λ) from the problem's start. */
    public Run run(Problem problem, String policy, double eta, double lambda) {
        Optimizer opt = NaturalGradient.of(curvature(policy)).withDamping(damping(policy, lambda)).withStepSize(eta)
                .withSolver(Solvers.cholesky()).build(problem.model());
        double[] theta = problem.start().clone();
        Batch batch = problem.batch();
        double initial = opt.loss(theta, batch);
        double[] losses = new double[steps + 1];
        int repairs = 0;
        String status = "ok";
        int t = 0;
        while (t < steps) {
            StepReport report;
            try {
                report = opt.step(theta, batch);
            } catch (CurvatureNotPositiveDefiniteException e) {
                status = "not-positive-definite";
                break;
            }
            losses[t] = report.loss();
            if (!report.stepped()) {
                status = "diverged";
                break;
            }
            if (repaired(report.dampingAction())) {
                repairs++;
            }
            t++;
            double after = opt.loss(theta, batch);
            if (!Double.isFinite(after) || after > 100 * initial) {
                losses[t] = after;
                status = "diverged";
                return new Run(policy, eta, lambda, t, after, status, repairs, Arrays.copyOf(losses, t + 1));
            }
        }
        double last = opt.loss(theta, batch);
        losses[t] = last;
        return new Run(policy, eta, lambda, t, last, status, repairs, Arrays.copyOf(losses, t + 1));
    }

    /**
     * The best run of one policy.
     *
     * @param best       the best run (null when every run diverged or stopped)
     * @param initialLoss the loss at the start
     * @param runs       runs in the grid
     * @param failedRuns runs that diverged or stopped
     */
    public record Summary(String policy, Run best, double initialLoss, int runs, int failedRuns) {
    }

    private static String key(String policy, double eta, double lambda) {
        return policy + "|" + num(eta) + "|" + num(lambda);
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    /**
     * Runs the whole grid into {@code outDir} (resuming from its {@code runs.csv}), then re-runs each
     * policy's best configuration for its loss curve, and writes the summary, curves, figure and README.
     *
     * @return one summary per policy, in {@link #POLICIES} order
     */
    public List<Summary> run(Path outDir, long seed) {
        Problem problem = problem(seed);
        Path runsFile = outDir.resolve("runs.csv");
        Map<String, Run> done = readRuns(runsFile);
        List<String[]> grid = new ArrayList<>();
        for (String policy : POLICIES) {
            for (double eta : stepSizes) {
                for (double lambda : dampings) {
                    grid.add(new String[] {policy, num(eta), num(lambda)});
                }
            }
        }
        long todo = grid.stream().filter(g -> !done.containsKey(g[0] + "|" + g[1] + "|" + g[2])).count();
        try {
            Files.createDirectories(outDir);
            boolean fresh = !Files.exists(runsFile) || Files.size(runsFile) == 0;
            try (Writer w = Files.newBufferedWriter(runsFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    ProgressBar bar = new ProgressBarBuilder().setTaskName("damping grid").setInitialMax(todo)
                            .setUpdateIntervalMillis(2000).build()) {
                if (fresh) {
                    w.write(RUNS_HEADER + "\n");
                    w.flush();
                }
                for (String[] g : grid) {
                    String k = g[0] + "|" + g[1] + "|" + g[2];
                    if (done.containsKey(k)) {
                        continue;
                    }
                    Run r = run(problem, g[0], Double.parseDouble(g[1]), Double.parseDouble(g[2]));
                    w.write(String.join(",", r.policy(), num(r.stepSize()), num(r.damping()),
                            Integer.toString(r.iterations()), num(r.finalLoss()), r.status(),
                            Integer.toString(r.repairs())) + "\n");
                    w.flush();
                    done.put(k, r);
                    bar.step();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + runsFile, e);
        }

        double initialLoss = NaturalGradient.gradientDescent(1).build(problem.model())
                .loss(problem.start(), problem.batch());
        List<Summary> summaries = new ArrayList<>();
        for (String policy : POLICIES) {
            Run best = null;
            int count = 0;
            int failed = 0;
            for (double eta : stepSizes) {
                for (double lambda : dampings) {
                    Run r = done.get(key(policy, eta, lambda));
                    count++;
                    if (!r.usable()) {
                        failed++;
                    } else if (best == null || r.finalLoss() < best.finalLoss()) {
                        best = r;
                    }
                }
            }
            // the runs read back from runs.csv carry no curve: re-run the best one (deterministic)
            Run full = best == null ? null : run(problem, policy, best.stepSize(), best.damping());
            summaries.add(new Summary(policy, full, initialLoss, count, failed));
        }
        writeOutputs(outDir, summaries, problem, seed);
        return summaries;
    }

    private static Map<String, Run> readRuns(Path file) {
        Map<String, Run> runs = new HashMap<>();
        if (!Files.exists(file)) {
            return runs;
        }
        try (Reader r = Files.newBufferedReader(file)) {
            int line = 1;
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                line++;
                if (rec.size() != 7) {
                    continue; // a line cut short by an interruption: that run is simply done again
                }
                try {
                    Run run = new Run(rec.get("policy"), Double.parseDouble(rec.get("lr")),
                            Double.parseDouble(rec.get("damping")), Integer.parseInt(rec.get("iterations")),
                            Double.parseDouble(rec.get("final_loss")), rec.get("status"),
                            Integer.parseInt(rec.get("repairs")), new double[0]);
                    runs.put(key(run.policy(), run.stepSize(), run.damping()), run);
                } catch (NumberFormatException | IllegalStateException e) {
                    System.err.println(file + ":" + line + ": skipping a malformed run record (" + e.getMessage() + ")");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot resume from " + file + ": " + e.getMessage()
                    + "; delete it to start the grid afresh (expected header " + RUNS_HEADER + ")", e);
        }
        return runs;
    }

    private void writeOutputs(Path outDir, List<Summary> summaries, Problem problem, long seed) {
        StringBuilder summary = new StringBuilder();
        StringBuilder curves = new StringBuilder();
        try (CSVPrinter s = new CSVPrinter(summary, CSVFormat.DEFAULT);
                CSVPrinter c = new CSVPrinter(curves, CSVFormat.DEFAULT)) {
            s.printRecord("policy", "lr", "damping", "initial_loss", "final_loss", "repairs", "runs", "failed_runs");
            c.printRecord("policy", "iteration", "loss");
            for (Summary m : summaries) {
                Run b = m.best();
                s.printRecord(m.policy(), b == null ? "" : num(b.stepSize()), b == null ? "" : num(b.damping()),
                        num(m.initialLoss()), b == null ? "" : num(b.finalLoss()), b == null ? "" : b.repairs(),
                        m.runs(), m.failedRuns());
                if (b != null) {
                    for (int t = 0; t < b.losses().length; t++) {
                        c.printRecord(m.policy(), t, num(b.losses()[t]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(outDir.resolve("summary.csv"), summary.toString());
        AtomicFiles.write(outDir.resolve("curves.csv"), curves.toString());

        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Damped-Hessian steps, MLP 4-" + Arrays.toString(hidden).replaceAll("[\\[\\] ]", "")
                        .replace(',', '-') + "-1 tanh, N = " + problem.batch().rows() + ": best run per policy")
                .xAxisTitle("iteration").yAxisTitle("training loss").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        for (Summary m : summaries) {
            if (m.best() == null) {
                continue;
            }
            double[] l = m.best().losses();
            double[] it = new double[l.length];
            for (int t = 0; t < l.length; t++) {
                it[t] = t;
            }
            XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%s (lr %.3g, lambda %.3g)", m.policy(),
                    m.best().stepSize(), m.best().damping()), it, l);
            series.setMarker(SeriesMarkers.NONE);
        }
        Charts.save(chart, outDir.resolve("loss-curves"));

        StringBuilder readme = new StringBuilder();
        readme.append("# Damping policies on an indefinite Hessian\n\n")
                .append("Damped-Hessian steps on ").append(problem.model().describe()).append(", N = ")
                .append(problem.batch().rows()).append(", seed ").append(seed).append("; ").append(steps)
                .append(" steps; step sizes ").append(Arrays.toString(stepSizes)).append(" x dampings ")
                .append(Arrays.toString(dampings)).append(". Best run per policy (lowest final loss among runs ")
                .append("that neither diverged nor stopped); `repairs` = steps at which the policy had to change ")
                .append("lambda or the spectrum.\n\n![loss curves](loss-curves.png)\n\n")
                .append("| policy | lr | damping | final loss | repairs | failed runs |\n|---|---|---|---|---|---|\n");
        for (Summary m : summaries) {
            Run b = m.best();
            readme.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d of %d |%n", m.policy(),
                    b == null ? "-" : String.format(Locale.ROOT, "%.3g", b.stepSize()),
                    b == null ? "-" : String.format(Locale.ROOT, "%.3g", b.damping()),
                    b == null ? "all failed" : String.format(Locale.ROOT, "%.6g", b.finalLoss()),
                    b == null ? "-" : Integer.toString(b.repairs()), m.failedRuns(), m.runs()));
        }
        AtomicFiles.write(outDir.resolve("README.md"), readme.toString());
    }

    /** Parses {@code "a,b,c"} into doubles, for command-line grids. */
    public static double[] parseList(String text, String name) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a comma-separated list of numbers, got '" + text + "'");
        }
    }

    /** The summaries keyed by policy, for tests and callers. */
    public static Map<String, Summary> byPolicy(List<Summary> summaries) {
        Map<String, Summary> m = new LinkedHashMap<>();
        for (Summary s : summaries) {
            m.put(s.policy(), s);
        }
        return m;
    }
}
