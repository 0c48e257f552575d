package io.github.natgrad.cli;

import io.github.natgrad.bench.options.OutDirOption;
import io.github.natgrad.bench.options.SeedOption;
import io.github.natgrad.bench.reproduce.MlpDampingExperiment;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code damping-grid} command: {@link MlpDampingExperiment} from the command line. */
@Command(name = "damping-grid", mixinStandardHelpOptions = true,
        description = {"Compare damping policies for damped-Hessian steps on an MLP with an indefinite Hessian.",
                "",
                "Damped-Hessian steps on a seeded MLP regression problem: a grid of step sizes x dampings per policy (fixed, shift-to-pd "
                + "keeping the margin lambda, saddle-free, levenberg-marquardt, and gauss-newton for "
                + "reference); writes runs.csv, summary.csv, curves.csv, "
                + "loss-curves.png and README.md. Rerunning with the same --out skips finished runs."})
public final class DampingGridCommand implements Callable<Integer> {

    @Mixin
    OutDirOption.Defaulted out = new OutDirOption.Defaulted("results/damping");

    @Mixin
    SeedOption seedOption;

    @Option(names = "--steps", description = "steps per run (default ${DEFAULT-VALUE})", defaultValue = "100")
    int steps;

    @Option(names = "--n", description = "examples (default ${DEFAULT-VALUE})", defaultValue = "400")
    int n;

    @Option(names = "--hidden", split = ",", description = "hidden-layer widths (default ${DEFAULT-VALUE})",
            defaultValue = "8")
    int[] hidden;

    @Option(names = "--lrs", description = "comma-separated step sizes (default ${DEFAULT-VALUE})",
            defaultValue = "0.1,0.3,1")
    String lrs;

    @Option(names = "--lambdas", description = "comma-separated damping values lambda (default ${DEFAULT-VALUE})",
            defaultValue = "1e-4,1e-3,1e-2,1e-1,1")
    String dampings;

    @Option(names = "--dampings", hidden = true, description = "the former spelling of --lambdas")
    String dampingsAlias;

    @Override
    public Integer call() {
        long seed = seedOption.seed;
        if (dampingsAlias != null) {
            dampings = dampingsAlias;
        }
        MlpDampingExperiment experiment = MlpDampingExperiment.defaults().withExamples(n).withHidden(hidden)
                .withSteps(steps).withGrid(MlpDampingExperiment.parseList(lrs, "--lrs"),
                        MlpDampingExperiment.parseList(dampings, "--lambdas"));
        var summaries = experiment.run(out.dir, seed);
        System.out.printf(Locale.ROOT, "%-20s %8s %10s %14s %8s %12s%n", "policy", "lr", "damping", "final loss",
                "repairs", "failed runs");
        for (var s : summaries) {
            var b = s.best();
            if (b == null) {
                System.out.printf(Locale.ROOT, "%-20s %8s %10s %14s %8s %8d of %d%n", s.policy(), "-", "-", "all failed",
                        "-", s.failedRuns(), s.runs());
            } else {
                System.out.printf(Locale.ROOT, "%-20s %8.3g %10.3g %14.6g %8d %8d of %d%n", s.policy(), b.stepSize(),
                        b.damping(), b.finalLoss(), b.repairs(), s.failedRuns(), s.runs());
            }
        }
        System.out.println("wrote " + out.dir.toAbsolutePath());
        return 0;
    }
}
