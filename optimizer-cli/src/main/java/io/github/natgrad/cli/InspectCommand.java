package io.github.natgrad.cli;

import io.github.natgrad.bench.inspect.Inspection;
import io.github.natgrad.bench.inspect.MlpLikelihood;
import io.github.natgrad.bench.inspect.ModelKind;
import io.github.natgrad.bench.options.DataDirOption;
import io.github.natgrad.bench.options.LambdaOption;
import io.github.natgrad.bench.options.OutDirOption;
import io.github.natgrad.bench.options.SeedOption;
import io.github.natgrad.datasets.Dataset;
import io.github.natgrad.datasets.Datasets;
import io.github.natgrad.models.Activation;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code inspect} command: the Hessian, Gauss-Newton matrix, true Fisher, Monte-Carlo Fisher and
 * empirical Fisher of a model on a dataset at one point, compared, as a table or as JSON with stable keys,
 * plus figures with {@code --out}: a client of {@link Inspection}, which the study kind {@code inspect}
 * ({@code experiment: inspect} in a study file) runs too.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare the Hessian, GGN, Fisher, Monte-Carlo Fisher and empirical Fisher of a model at a point.",
                "",
                "For a model on a dataset at one point: trace, extreme eigenvalues, negative eigenvalues and condition "
                + "number of each, their relative Frobenius distances, and the cosines between the gradient and the "
                + "damped directions (C + lambda I)^-1 g. With --out DIR, also writes DIR/spectra.png (the five "
                + "spectra) and DIR/training.png (||H - F||/||F|| and ||EF - F||/||F|| along training on a "
                + "well-specified and a misspecified problem).",
                "Named datasets follow the reproduction's conventions (raw features, bias appended last, LIBSVM "
                + "labels mapped to 0/1); synthetic ones are generated from --seed."})
public final class InspectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "${COMPLETION-CANDIDATES}")
    ModelKind model;

    @Option(names = "--dataset", description = "a named dataset (breast-cancer, wine, a1a, australian, diabetes, "
            + "energy, power-plant, yacht) or synthetic-linear | synthetic-logistic | synthetic-probit | "
            + "synthetic-softmax (default: the synthetic problem of the model; synthetic-logistic for mlp)")
    String dataset;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--at", defaultValue = "zero", description = "the point: zero | init (seeded random "
            + "initialisation) | optimum (after Gauss-Newton/Levenberg-Marquardt training from init) | FILE "
            + "(D numbers separated by whitespace or commas) (default ${DEFAULT-VALUE})")
    String at;

    @Mixin
    LambdaOption lambda = new LambdaOption(1e-8);

    @Option(names = "--mc-samples", defaultValue = "1",
            description = "labels sampled per example for the Monte-Carlo Fisher (default ${DEFAULT-VALUE})")
    int mcSamples;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--json", description = "print JSON (stable keys) instead of a table")
    boolean json;

    @Mixin
    OutDirOption out;

    @Option(names = "--hidden", split = ",", defaultValue = "8",
            description = "mlp: hidden-layer widths, comma-separated (default ${DEFAULT-VALUE})")
    int[] hidden;

    @Option(names = "--activation", defaultValue = "tanh",
            description = "mlp: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Activation activation;

    @Option(names = "--likelihood", defaultValue = "auto", description = "mlp: ${COMPLETION-CANDIDATES} (auto: by "
            + "the dataset's labels) (default ${DEFAULT-VALUE})")
    MlpLikelihood likelihood;

    @Option(names = "--train-steps", defaultValue = "200",
            description = "steps of training for --at optimum (default ${DEFAULT-VALUE})")
    int trainSteps;

    @Option(names = "--figure-steps", defaultValue = "30",
            description = "steps of the training runs in training.png (default ${DEFAULT-VALUE})")
    int figureSteps;

    @Option(names = "--max-dimension", defaultValue = "1000", description = "largest D inspected densely (D x D "
            + "matrices, eigen-decomposed); above it, matrix-free Lanczos and Hutchinson estimates (default ${DEFAULT-VALUE})")
    int maxDimension;

    PrintStream stdout = System.out;

    @Override
    public Integer call() {
        try {
            return inspect();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            System.err.println("inspect: " + e.getMessage());
            return 2;
        }
    }

    private int inspect() {
        double damping = lambda.value();
        long seed = seedOption.seed;
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("--lambda must be a finite number >= 0, got " + damping);
        }
        if (mcSamples < 1) {
            throw new IllegalArgumentException("--mc-samples must be at least 1, got " + mcSamples);
        }
        String name = dataset != null ? dataset : model.syntheticDataset();
        Dataset data = Datasets.load(name, dataDir.dir, seed);
        return Inspection.run(new Inspection.Settings(model, at, damping, mcSamples, seed, hidden, activation,
                likelihood, trainSteps, figureSteps, maxDimension), data, json, out.dir, stdout, System.err);
    }
}
