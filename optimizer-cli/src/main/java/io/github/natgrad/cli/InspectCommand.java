package io.github.natgrad.cli;

import io.github.natgrad.Batch;
import io.github.natgrad.Model;
import io.github.natgrad.bench.inspect.CurvatureInspection;
import io.github.natgrad.bench.inspect.InspectFigures;
import io.github.natgrad.bench.inspect.InspectModels;
import io.github.natgrad.bench.inspect.InspectOutput;
import io.github.natgrad.bench.inspect.InspectPoints;
import io.github.natgrad.bench.inspect.MatrixFreeInspection;
import io.github.natgrad.bench.inspect.MlpLikelihood;
import io.github.natgrad.bench.inspect.ModelKind;
import io.github.natgrad.datasets.Dataset;
import io.github.natgrad.datasets.Datasets;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.MultilayerPerceptron;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code inspect} command: the Hessian, Gauss-Newton matrix, true Fisher, Monte-Carlo Fisher and
 * empirical Fisher of a model on a dataset at one point, compared (see {@link CurvatureInspection}),
 * as a table or as JSON with stable keys, plus figures with {@code --out}.
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

    @Option(names = "--lambda", defaultValue = "1e-8",
            description = "damping lambda of the directions (C + lambda I)^-1 g (default ${DEFAULT-VALUE})")
    double damping;

    @picocli.CommandLine.Mixin
    FormerLambdaOption dampingAlias;

    @Option(names = "--mc-samples", defaultValue = "1",
            description = "labels sampled per example for the Monte-Carlo Fisher (default ${DEFAULT-VALUE})")
    int mcSamples;

    @picocli.CommandLine.Mixin
    SeedOption seedOption;

    private long seed;

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
        seed = seedOption.seed;
        damping = dampingAlias.or(damping);
        try {
            return inspect();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            System.err.println("inspect: " + e.getMessage());
            return 2;
        }
    }

    private int inspect() {
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("--lambda must be a finite number >= 0, got " + damping);
        }
        if (mcSamples < 1) {
            throw new IllegalArgumentException("--mc-samples must be at least 1, got " + mcSamples);
        }
        String name = dataset != null ? dataset : model.syntheticDataset();
        Dataset data = Datasets.load(name, dataDir.dir, seed);
        Model m = InspectModels.build(model, data, hidden, activation, likelihood);
        int d = m.parameterCount();
        if (d > maxDimension) {
            Batch large = data.batch();
            m.likelihood().checkLabels(large.y(), large.rows());
            double[] start = at.equalsIgnoreCase("optimum") ? MatrixFreeInspection.optimum(m,
                    m instanceof MultilayerPerceptron ? InspectModels.init(m, seed) : new double[d], large, trainSteps)
                    : InspectPoints.point(at, m, large, seed, trainSteps, System.err);
            return MatrixFreeInspection.print(m, start, large, data.name(), at, mcSamples, seed, json, stdout);
        }
        Batch batch = data.batch();
        m.likelihood().checkLabels(batch.y(), batch.rows());
        double[] theta = InspectPoints.point(at, m, batch, seed, trainSteps, System.err);
        CurvatureInspection.Report report = CurvatureInspection.inspect(m, theta, batch, model.toString(), data.name(),
                at, damping, mcSamples, seed);
        if (json) {
            stdout.println(InspectOutput.json(report));
        } else {
            InspectOutput.table(stdout, report, m);
        }
        if (out.dir != null) {
            Path spectra = InspectFigures.spectra(report, out.dir);
            Path training = trainingFigure(m);
            if (!json) {
                stdout.println("wrote " + spectra + " and " + training);
            }
        }
        return 0;
    }

    /**
     * Training runs on seeded teacher data of the dataset's input dimension: teacher θ_T = 2 × the seeded
     * initialisation, student from another seeded initialisation (never θ = 0, where for a one-output GLM
     * H, F and EF can coincide exactly).
     */
    private Path trainingFigure(Model m) {
        double[] teacher = InspectModels.init(m, seed);
        for (int j = 0; j < teacher.length; j++) {
            teacher[j] *= 2;
        }
        int n = m.parameterCount() <= 100 ? 2000 : 1000;
        Batch well = InspectFigures.teacherData(m, teacher, n, false, seed + 1);
        Batch miss = InspectFigures.teacherData(m, teacher, n, true, seed + 1);
        double[] start = InspectModels.init(m, seed + 2);
        var a = InspectFigures.trajectory(m, start, well, figureSteps, seed);
        var b = InspectFigures.trajectory(m, start, miss, figureSteps, seed);
        return InspectFigures.training(String.format(Locale.ROOT, "%s: H and EF vs F along training on teacher data "
                + "(N = %d)", model, n), a, b, out.dir);
    }
}
