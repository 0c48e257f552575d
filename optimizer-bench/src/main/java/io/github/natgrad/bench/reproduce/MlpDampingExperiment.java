package io.github.natgrad.bench.reproduce;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.bench.ResumableCsv;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyPlan;
import io.github.natgrad.bench.ablate.StudyRuntime;
import io.github.natgrad.bench.problems.MlpRegression;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    public static final List<String> POLICIES = DampingPolicies.NAMES;
    static final String RUNS_HEADER = DampingRuns.HEADER;

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

    /** The problem for {@code seed}: {@link MlpRegression}'s data drawn with {@code seed}, the network's
     * LeCun initialisation drawn with {@code seed + 1}. */
    public Problem problem(long seed) {
        return problem(MultilayerPerceptron.of(MlpRegression.INPUTS, Likelihoods.gaussian()).withHidden(hidden),
                MlpRegression.batch(examples, seed), seed);
    }

    /** The problem of a network fitted to a batch drawn with {@code seed}: it starts from initialisation {@code seed + 1}. */
    static Problem problem(MultilayerPerceptron mlp, Batch batch, long seed) {
        return new Problem(mlp, batch, mlp.initialParameters(seed + 1));
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

    /** One run of {@code policy} at (η, λ) from the problem's start. */
    public Run run(Problem problem, String policy, double eta, double lambda) {
        Optimizer opt = NaturalGradient.of(DampingPolicies.curvature(policy))
                .withDamping(DampingPolicies.damping(policy, lambda)).withStepSize(eta)
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
            if (DampingPolicies.repaired(report.dampingAction())) {
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

    /**
     * Runs the whole grid into {@code outDir} (resuming from its {@code runs.csv}, see {@link ResumableCsv}),
     * then re-runs each policy's best configuration for its loss curve, and writes the summary, curves,
     * figure and README ({@link DampingOutputs}). Notices (a repaired runs.csv) go to standard error.
     *
     * @return one summary per policy, in {@link #POLICIES} order
     */
    public List<Summary> run(Path outDir, long seed) {
        return run(outDir, seed, System.err);
    }

    /**
     * {@link #run(Path, long)} with notices to {@code notices}: a study of kind {@code damping}
     * ({@link DampingKind}, also runnable as {@code ablate --study studies/mlp-damping-policies.yaml}) run by the
     * study engine, a run per task, runs.csv its resumable store.
     */
    public List<Summary> run(Path outDir, long seed, PrintStream notices) {
        Study study = study(seed);
        StudyRuntime runtime = new StudyRuntime(StudyPlan.of(study), null);
        List<List<String>> rows = GeneratedStudies.run(runtime, outDir, 1, System.out, notices, false);
        return DampingKind.report(study, runtime.problems().get(0), rows, outDir);
    }

    /** The study of this grid on the data drawn with {@code seed}. */
    Study study(long seed) {
        String text = "# Damping policies on an indefinite MLP Hessian (natgrad damping-grid, reproduce damping)\n"
                + "name: mlp-damping-policies\nexperiment: damping\nproblems:\n"
                + "  - {name: mlp-regression, synthetic: {generator: mlp-regression, n: " + examples + ", seed: " + seed
                + "}, hidden: " + Arrays.toString(hidden) + "}\n"
                + "settings:\n  steps: " + steps + "\n  step-sizes: " + list(stepSizes) + "\n  dampings: "
                + list(dampings) + "\n";
        return Study.parse("mlp-damping-policies.yaml", text);
    }

    private static String list(double[] values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            out.add(Double.toString(v));
        }
        return "[" + String.join(", ", out) + "]";
    }

    /** The grid a study of kind damping declares. */
    static MlpDampingExperiment of(Study study, int examples, int[] hidden) {
        return new MlpDampingExperiment(examples, hidden, DampingKind.steps(study), DampingKind.doubles(study, "step-sizes"),
                DampingKind.doubles(study, "dampings"));
    }

    /**
     * The best run of each policy from the grid's runs (re-run for its curve), and the outputs beside runs.csv.
     *
     * @param runs every run of the grid, in grid order (policy major, then step size, then damping)
     */
    List<Summary> summaries(Problem problem, List<Run> runs) {
        List<Summary> summaries = new ArrayList<>();
        double initialLoss = NaturalGradient.gradientDescent(1).build(problem.model()).loss(problem.start(), problem.batch());
        for (String policy : POLICIES) {
            Run best = null;
            int count = 0;
            int failed = 0;
            for (Run r : runs) {
                if (!r.policy().equals(policy)) {
                    continue;
                }
                count++;
                if (!r.usable()) {
                    failed++;
                } else if (best == null || r.finalLoss() < best.finalLoss()) {
                    best = r;
                }
            }
            // the runs read back from runs.csv carry no curve: re-run the best one (deterministic)
            Run full = best == null ? null : run(problem, policy, best.stepSize(), best.damping());
            summaries.add(new Summary(policy, full, initialLoss, count, failed));
        }
        return summaries;
    }

    /** Writes summary.csv, curves.csv, the figure and the README of a finished grid. */
    void write(Path outDir, long seed, Problem problem, List<Summary> summaries) {
        String network = Arrays.toString(hidden).replaceAll("[\\[\\] ]", "").replace(',', '-');
        DampingOutputs.write(outDir, summaries, "Damped-Hessian steps on " + problem.model().describe() + ", N = "
                + problem.batch().rows() + ", seed " + seed + "; " + steps + " steps; step sizes "
                + Arrays.toString(stepSizes) + " x dampings " + Arrays.toString(dampings),
                "Damped-Hessian steps, MLP 4-" + network + "-1 tanh, N = " + problem.batch().rows()
                        + ": best run per policy");
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
