package io.github.natgrad.cli;

import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.bench.options.LambdaOption;
import io.github.natgrad.bench.options.SeedOption;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Compares every curvature kind on a seeded synthetic logistic-regression problem, full batch: for
 * each, the steps to reach the optimum's loss + tolerance, the final loss, and the median time per step.
 * Gradient descent gets its best step size from a grid; the others take η = 1 with a small damping.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare the preconditioners on a seeded synthetic logistic problem and print a table.")
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--n", description = "examples (default ${DEFAULT-VALUE})", defaultValue = "2000")
    int n;

    @Option(names = "--p", description = "input columns (default ${DEFAULT-VALUE})", defaultValue = "30")
    int p;

    @Option(names = "--conditioning", description = "spread of column scales (default ${DEFAULT-VALUE})",
            defaultValue = "30")
    double conditioning;

    @Option(names = "--steps", description = "steps per optimizer (default ${DEFAULT-VALUE})", defaultValue = "100")
    int steps;

    @Mixin
    LambdaOption lambda = new LambdaOption(1e-6);

    @Option(names = "--tolerance", description = "target = optimal loss + tolerance (default ${DEFAULT-VALUE})",
            defaultValue = "1e-6")
    double tolerance;

    @Mixin
    SeedOption seedOption;

    /** The step sizes gradient descent tries: 10⁻³ … 10³. */
    static final double[] GD_STEP_SIZES = {1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3};

    /**
     * One optimizer's run; a diverged run (the loss or gradient stopped being finite) has a NaN final loss.
     *
     * @param name          the preconditioner
     * @param stepSize      η
     * @param finalLoss     the loss after the last step, NaN if the run diverged
     * @param stepsToTarget steps until the loss reached the target, −1 if never
     * @param medianMicros  the median time per step
     */
    record Row(String name, double stepSize, double finalLoss, int stepsToTarget, double medianMicros) {
        boolean diverged() {
            return !Double.isFinite(finalLoss);
        }

        Row named(String newName, double eta) {
            return new Row(newName, eta, finalLoss, stepsToTarget, medianMicros);
        }
    }

    /** The gradient-descent run with the lowest final loss among those that did not diverge, if any. */
    static Optional<Row> bestGradientDescent(List<Row> runs) {
        return runs.stream().filter(r -> !r.diverged()).min(Comparator.comparingDouble(Row::finalLoss));
    }

    /** The table's line for a row: "diverged" instead of numbers for a run that diverged. */
    static String line(Row r) {
        if (r.diverged()) {
            return String.format(Locale.ROOT, "%-18s %10s %18s %16s %14s", r.name(),
                    Double.isNaN(r.stepSize()) ? "every" : String.format(Locale.ROOT, "%.3g", r.stepSize()),
                    "diverged", "not reached", Double.isNaN(r.medianMicros()) ? "-"
                            : String.format(Locale.ROOT, "%.1f", r.medianMicros()));
        }
        return String.format(Locale.ROOT, "%-18s %10.3g %18.12f %16s %14.1f", r.name(), r.stepSize(), r.finalLoss(),
                r.stepsToTarget() < 0 ? "not reached" : Integer.toString(r.stepsToTarget()), r.medianMicros());
    }

    @Override
    public Integer call() {
        long seed = seedOption.seed;
        double damping = lambda.value();
        SyntheticGlm problem = SyntheticGlm.logistic(n, p, conditioning, seed);
        Batch batch = problem.batch();
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(p).withBias();
        System.out.printf(Locale.ROOT, "synthetic logistic regression: N = %d, D = %d, conditioning %.3g, seed %d%n", n,
                model.parameterCount(), conditioning, seed);

        double optimum = run(NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.fixed(1e-12))
                .build(model), batch, 200, Double.NaN).finalLoss();
        double target = optimum + tolerance;

        List<Row> gd = new ArrayList<>();
        for (double eta : GD_STEP_SIZES) {
            gd.add(run(NaturalGradient.gradientDescent(eta).build(model), batch, steps, target)
                    .named("gradient descent", eta));
        }
        List<Row> rows = new ArrayList<>();
        Optional<Row> bestGd = bestGradientDescent(gd);
        if (bestGd.isPresent()) {
            rows.add(bestGd.get());
        } else {
            System.err.printf(Locale.ROOT, "compare: gradient descent diverged at every step size %s%n",
                    Arrays.toString(GD_STEP_SIZES));
            rows.add(new Row("gradient descent", Double.NaN, Double.NaN, -1, Double.NaN));
        }
        for (String kind : List.of("fisher", "mc-fisher", "empirical-fisher", "gauss-newton", "hessian")) {
            NaturalGradient ng = NaturalGradient.of(Curvatures.byName(kind, 1, seed)).withDamping(Damping.fixed(damping));
            rows.add(run(ng.build(model), batch, steps, target).named(kind, 1.0));
        }

        System.out.printf(Locale.ROOT, "optimal loss %.10f (Fisher NGD, 200 steps); target = optimum + %.1g%n%n", optimum,
                tolerance);
        System.out.printf("%-18s %10s %18s %16s %14s%n", "preconditioner", "step size", "final loss",
                "steps to target", "us per step");
        for (Row r : rows) {
            System.out.println(line(r));
        }
        return 0;
    }

    private static Row run(Optimizer optimizer, Batch batch, int steps, double target) {
        double[] theta = new double[optimizer.model().parameterCount()];
        long[] nanos = new long[steps];
        int reached = -1;
        for (int t = 0; t < steps; t++) {
            long t0 = System.nanoTime();
            StepReport report = optimizer.step(theta, batch);
            nanos[t] = System.nanoTime() - t0;
            if (reached < 0 && report.loss() <= target) {
                reached = t;
            }
            if (report.diverged()) {
                Arrays.sort(nanos, 0, t + 1);
                return new Row("", 0, Double.NaN, -1, nanos[t / 2] / 1e3);
            }
        }
        double last = optimizer.loss(theta, batch);
        if (reached < 0 && last <= target) {
            reached = steps;
        }
        Arrays.sort(nanos);
        return new Row("", 0, last, reached, nanos[steps / 2] / 1e3);
    }
}
