package io.github.natgrad.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.natgrad.Batch;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Model;
import io.github.natgrad.bench.inspect.CurvatureInspection;
import io.github.natgrad.bench.inspect.InspectDatasets;
import io.github.natgrad.bench.inspect.InspectFigures;
import io.github.natgrad.bench.inspect.MatrixFreeInspection;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.models.SoftmaxRegression;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import picocli.CommandLine.Command;
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
    /** The model names {@code --model} accepts. */
    public static final List<String> MODELS = List.of("linear", "logistic", "softmax", "probit", "mlp");

    @Option(names = "--model", required = true, description = "linear | logistic | softmax | probit | mlp")
    String model;

    @Option(names = "--dataset", description = "a named dataset (breast-cancer, wine, a1a, australian, diabetes, "
            + "energy, power-plant, yacht) or synthetic-linear | synthetic-logistic | synthetic-probit | "
            + "synthetic-softmax (default: the synthetic problem of the model; synthetic-logistic for mlp)")
    String dataset;

    @Option(names = "--data-dir", description = "directory of the named datasets (default: $NATGRAD_DATA)",
            defaultValue = "${env:NATGRAD_DATA}")
    Path dataDir;

    @Option(names = "--at", defaultValue = "zero", description = "the point: zero | init (seeded random "
            + "initialisation) | optimum (after Gauss-Newton/Levenberg-Marquardt training from init) | FILE "
            + "(D numbers separated by whitespace or commas) (default ${DEFAULT-VALUE})")
    String at;

    @Option(names = "--damping", defaultValue = "1e-8",
            description = "lambda of the directions (C + lambda I)^-1 g (default ${DEFAULT-VALUE})")
    double damping;

    @Option(names = "--mc-samples", defaultValue = "1",
            description = "labels sampled per example for the Monte-Carlo Fisher (default ${DEFAULT-VALUE})")
    int mcSamples;

    @Option(names = "--seed", defaultValue = "0",
            description = "seed of synthetic data, initialisation and sampling (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print JSON (stable keys) instead of a table")
    boolean json;

    @Option(names = "--out", description = "directory for the figures spectra.png and training.png (none if absent)")
    Path out;

    @Option(names = "--hidden", split = ",", defaultValue = "8",
            description = "mlp: hidden-layer widths, comma-separated (default ${DEFAULT-VALUE})")
    int[] hidden;

    @Option(names = "--activation", defaultValue = "tanh", description = "mlp: tanh | softplus (default ${DEFAULT-VALUE})")
    String activation;

    @Option(names = "--likelihood", defaultValue = "auto", description = "mlp: auto | gaussian | bernoulli | probit | "
            + "categorical (auto: by the dataset's labels) (default ${DEFAULT-VALUE})")
    String likelihood;

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
        String kind = model.toLowerCase(Locale.ROOT);
        if (!MODELS.contains(kind)) {
            throw new IllegalArgumentException("unknown --model '" + model + "'; choose one of " + MODELS);
        }
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("--damping must be a finite number >= 0, got " + damping);
        }
        if (mcSamples < 1) {
            throw new IllegalArgumentException("--mc-samples must be at least 1, got " + mcSamples);
        }
        String name = dataset != null ? dataset : kind.equals("mlp") ? "synthetic-logistic" : "synthetic-" + kind;
        InspectDatasets.Dataset data = loadDataset(name, dataDir, seed);
        Model m = buildModel(kind, data);
        int d = m.parameterCount();
        if (d > maxDimension) {
            Batch large = data.batch();
            m.likelihood().checkLabels(large.y(), large.rows());
            double[] start = at.equalsIgnoreCase("optimum") ? MatrixFreeInspection.optimum(m,
                    m instanceof MultilayerPerceptron ? init(m) : new double[d], large, trainSteps) : point(m, large);
            return MatrixFreeInspection.print(m, start, large, data.name(), at, mcSamples, seed, json, stdout);
        }
        Batch batch = data.batch();
        m.likelihood().checkLabels(batch.y(), batch.rows());
        double[] theta = point(m, batch);
        CurvatureInspection.Report report = CurvatureInspection.inspect(m, theta, batch, kind, data.name(), at, damping,
                mcSamples, seed);
        if (json) {
            stdout.println(toJson(report));
        } else {
            printTable(report, m);
        }
        if (out != null) {
            Path spectra = InspectFigures.spectra(report, out);
            Path training = trainingFigure(m, batch);
            if (!json) {
                stdout.println("wrote " + spectra + " and " + training);
            }
        }
        return 0;
    }

    /** The one place inspect obtains data: the shared named-dataset readers, or a synthetic problem. */
    private static InspectDatasets.Dataset loadDataset(String name, Path dataDir, long seed) {
        return InspectDatasets.load(name, dataDir, seed);
    }

    private static int classes(InspectDatasets.Dataset data) {
        int k = 0;
        for (double y : data.batch().y()) {
            k = Math.max(k, (int) y + 1);
        }
        return Math.max(2, k);
    }

    private Model buildModel(String kind, InspectDatasets.Dataset data) {
        int p = data.batch().columns();
        switch (kind) {
            case "linear":
                return GeneralizedLinearModel.linearRegression(p).withBias();
            case "logistic":
                return GeneralizedLinearModel.logisticRegression(p).withBias();
            case "probit":
                return GeneralizedLinearModel.of(Likelihoods.probit(), p).withBias();
            case "softmax":
                return SoftmaxRegression.of(p, classes(data)).withBias();
            default:
                Activation sigma;
                try {
                    sigma = Activation.valueOf(activation.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown --activation '" + activation + "'; choose tanh or softplus");
                }
                return MultilayerPerceptron.of(p, mlpLikelihood(data)).withHidden(hidden).withActivation(sigma);
        }
    }

    private Likelihood mlpLikelihood(InspectDatasets.Dataset data) {
        switch (likelihood.toLowerCase(Locale.ROOT)) {
            case "auto":
                return data.classes() == 0 ? Likelihoods.gaussian()
                        : data.classes() == 2 ? Likelihoods.bernoulli() : Likelihoods.categorical(classes(data));
            case "gaussian":
                return Likelihoods.gaussian();
            case "bernoulli":
                return Likelihoods.bernoulli();
            case "probit":
                return Likelihoods.probit();
            case "categorical":
                return Likelihoods.categorical(classes(data));
            default:
                throw new IllegalArgumentException("unknown --likelihood '" + likelihood
                        + "'; choose auto, gaussian, bernoulli, probit or categorical");
        }
    }

    /** A seeded initialisation: the MLP's LeCun initialisation, else N(0, 1/p) per entry. */
    private double[] init(Model m) {
        return init(m, seed);
    }

    private static double[] init(Model m, long seed) {
        if (m instanceof MultilayerPerceptron) {
            return ((MultilayerPerceptron) m).initialParameters(seed);
        }
        RandomGenerator random = new Well19937c(seed);
        double[] theta = new double[m.parameterCount()];
        double std = 1.0 / Math.sqrt(m.inputColumns());
        for (int j = 0; j < theta.length; j++) {
            theta[j] = std * random.nextGaussian();
        }
        return theta;
    }

    private double[] point(Model m, Batch batch) {
        int d = m.parameterCount();
        switch (at.toLowerCase(Locale.ROOT)) {
            case "zero":
                return new double[d];
            case "init":
                return init(m);
            case "optimum":
                double[] theta = m instanceof MultilayerPerceptron ? init(m) : new double[d];
                double norm = CurvatureInspection.train(m, theta, batch, trainSteps, 1e-10);
                if (!(norm <= 1e-6)) {
                    System.err.printf(Locale.ROOT, "inspect: note: training stopped after %d steps with |g| = %.3g; "
                            + "the point is not a converged optimum (the data may be separable: then no finite "
                            + "optimum exists). Raise --train-steps to train longer.%n", trainSteps, norm);
                }
                return theta;
            default:
                return readPoint(Path.of(at), d);
        }
    }

    static double[] readPoint(Path file, int d) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--at '" + file + "' is not zero, init, optimum or a readable file");
        }
        List<Double> values = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int l = 0; l < lines.size(); l++) {
                for (String token : lines.get(l).trim().split("[\\s,]+")) {
                    if (token.isEmpty()) {
                        continue;
                    }
                    try {
                        double v = Double.parseDouble(token);
                        if (!Double.isFinite(v)) {
                            throw new NumberFormatException();
                        }
                        values.add(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + (l + 1) + ": '" + token
                                + "' is not a finite number");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (values.size() != d) {
            throw new IllegalArgumentException(file + " holds " + values.size() + " numbers but the model has D = " + d
                    + " parameters");
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String toJson(CurvatureInspection.Report report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the report as JSON", e);
        }
    }

    private void printTable(CurvatureInspection.Report r, Model m) {
        stdout.printf(Locale.ROOT, "%s%ndataset %s: N = %d, D = %d; point %s; loss %.10g; |g| %.4g; damping %.3g%n%n",
                m.describe(), r.dataset(), r.n(), r.d(), r.point(), r.loss(), r.gradientNorm(), r.damping());
        stdout.printf(Locale.ROOT, "%-17s %12s %12s %12s %9s %12s%n", "matrix", "trace", "lambda_max", "lambda_min",
                "negative", "condition");
        for (var e : r.matrices().entrySet()) {
            var s = e.getValue();
            stdout.printf(Locale.ROOT, "%-17s %12.5g %12.5g %12.5g %9d %12s%n", e.getKey(), s.trace(), s.lambdaMax(),
                    s.lambdaMin(), s.negativeEigenvalues(), s.conditionNumber() == null ? "-"
                            : String.format(Locale.ROOT, "%.4g", s.conditionNumber()));
        }
        stdout.printf("%nrelative Frobenius distance ||row - column|| / ||column||%n%-17s", "");
        for (String b : CurvatureInspection.MATRICES) {
            stdout.printf("%17s", b);
        }
        stdout.println();
        for (String a : CurvatureInspection.MATRICES) {
            stdout.printf("%-17s", a);
            for (String b : CurvatureInspection.MATRICES) {
                stdout.printf(Locale.ROOT, "%17s", a.equals(b) ? "0"
                        : String.format(Locale.ROOT, "%.4g", r.distances().get(a + "_vs_" + b)));
            }
            stdout.println();
        }
        stdout.printf(Locale.ROOT, "%ncosines between the damped directions (C + %.3g I)^-1 g (and the gradient)%n%-17s",
                r.damping(), "");
        List<String> names = new ArrayList<>(List.of("gradient"));
        names.addAll(CurvatureInspection.MATRICES);
        for (String b : names) {
            stdout.printf("%17s", b);
        }
        stdout.println();
        for (String a : names) {
            stdout.printf("%-17s", a);
            for (String b : names) {
                Double c = a.equals(b) ? Double.valueOf(1.0) : r.cosines().get(a + "_vs_" + b);
                if (c == null) {
                    c = r.cosines().get(b + "_vs_" + a);
                }
                stdout.printf(Locale.ROOT, "%17s", String.format(Locale.ROOT, "%.4f", c));
            }
            stdout.println();
        }
    }

    /**
     * Training runs on seeded teacher data of the dataset's input dimension: teacher θ_T = 2 × the seeded
     * initialisation, student from another seeded initialisation (never θ = 0, where for a one-output GLM
     * H, F and EF can coincide exactly).
     */
    private Path trainingFigure(Model m, Batch batch) {
        double[] teacher = init(m);
        for (int j = 0; j < teacher.length; j++) {
            teacher[j] *= 2;
        }
        int n = m.parameterCount() <= 100 ? 2000 : 1000;
        Batch well = InspectFigures.teacherData(m, teacher, n, false, seed + 1);
        Batch miss = InspectFigures.teacherData(m, teacher, n, true, seed + 1);
        double[] start = init(m, seed + 2);
        var a = InspectFigures.trajectory(m, start, well, figureSteps, seed);
        var b = InspectFigures.trajectory(m, start, miss, figureSteps, seed);
        return InspectFigures.training(String.format(Locale.ROOT, "%s: H and EF vs F along training on teacher data "
                + "(N = %d)", model, n), a, b, out);
    }
}
