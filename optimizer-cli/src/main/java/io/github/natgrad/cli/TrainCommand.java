package io.github.natgrad.cli;

import io.github.natgrad.bench.options.OutDirOption;
import io.github.natgrad.bench.options.SeedOption;
import io.github.natgrad.training.TrainEngine;
import io.github.natgrad.training.TrainEngines;
import io.github.natgrad.training.TrainLog;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.training.TrainSpec;
import io.github.natgrad.training.TrainStatus;
import io.github.natgrad.training.Trainers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code natgrad train}: a front door like {@code liblinear-train}. Reads a LIBSVM or CSV file, trains the
 * chosen model with the chosen curvature, solver and damping, prints one progress line per iteration and
 * writes {@code DIR/trace.csv} (rewritten atomically after every iteration) and {@code DIR/result.json}
 * (also when the run fails, with the error). The model's trainer comes from {@link Trainers}, the command's
 * one extension point.
 *
 * <p>The exit code is 0 only when the run converged (‖g‖ ≤ tolerance · ‖g₀‖); a run that did not
 * (iteration budget spent, not a descent direction, every step rejected, diverged) exits with the code of
 * its {@link TrainStatus}, which result.json records with a message.
 *
 * <p>The objective is natgrad's mean negative log-likelihood plus ‖θ‖²/(2σ²N); with σ² = C it equals
 * LIBLINEAR's ½‖w‖² + C Σ ℓ_i divided by N·C (result.json also gives it on LIBLINEAR's scale).
 *
 * <p>{@code --model mlp} trains a network on Fashion-MNIST in minibatches instead ({@link NetworkTrainCommand}):
 * its options ({@link NetworkOptions}, marked "mlp:" in the help) are this command's too, and the options both
 * kinds share mean the same thing ({@code --data}, {@code --out}, {@code --seed}, {@code --resume},
 * {@code --step-size}, {@code --lambda}); {@code --out} is required for the GLMs and defaults to
 * results/train-network for mlp. An option of the other kind of model is a usage error (exit code 2).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on a LIBSVM or CSV file (like liblinear-train); writes trace.csv and result.json.",
            "--model mlp: a multilayer perceptron on Fashion-MNIST in minibatches (the options marked mlp:), with "
                    + "OUT/checkpoint.state after every epoch."},
        exitCodeListHeading = "%nExit codes (result.json's status):%n", exitCodeList = {
            "0:ok: converged (|g| <= tolerance * |g0|)",
            "1:failed: an error (bad input, unwritable file); see result.json's error",
            "2:usage error: an unknown or malformed option",
            "3:not-converged: the iteration budget ran out first",
            "4:not-descent: a direction that is not downhill (wrong curvature or solve)",
            "5:all-steps-rejected: step rejection or the line search refused every step",
            "6:diverged: the objective, gradient or direction became NaN or infinite"})
public final class TrainCommand implements Callable<Integer> {
    /** The library's defaults, from which the GLM options start (one set of defaults: the library's). */
    private static final TrainSpec DEFAULTS = TrainSpec.DEFAULTS;

    @Option(names = "--model", required = true, description = "linear, logistic, probit or softmax (generalised linear "
            + "models, full batch), or mlp (a network, minibatches)")
    String model;

    @Option(names = "--data", description = "training data: a LIBSVM or CSV file (required for the GLMs); "
            + "mlp: the data set, fashion-mnist (the default)")
    String data;

    @Option(names = "--format", description = "libsvm or csv (default: csv for *.csv, else libsvm)")
    String format;

    @Option(names = "--test", description = "test file, same format; its loss and accuracy go into the trace")
    Path test;

    @Option(names = "--columns",
            description = "input columns (default: the largest index of the training file)")
    int columns = DEFAULTS.columns();

    @Option(names = "--prior-variance",
            description = "sigma^2 of the Gaussian prior, = LIBLINEAR's C (default ${DEFAULT-VALUE})")
    double priorVariance = DEFAULTS.priorVariance();

    @Option(names = "--bias", description = "add a bias (regularised, like LIBLINEAR's -B 1)")
    boolean bias = DEFAULTS.bias();

    @Option(names = "--curvature",
            description = "fisher, mc-fisher, empirical-fisher, gauss-newton, hessian, identity (default ${DEFAULT-VALUE})")
    String curvature = TrainSpec.label(DEFAULTS.curvature());

    @Option(names = "--mc-samples", description = "labels sampled per example for mc-fisher")
    int mcSamples = DEFAULTS.mcSamples();

    @Option(names = "--solver",
            description = "cholesky, eigen, cg, woodbury or auto (default ${DEFAULT-VALUE})")
    String solver = TrainSpec.label(DEFAULTS.solver());

    @Option(names = "--cg-max-iterations", description = "CG cap (default ${DEFAULT-VALUE})")
    int cgMaxIterations = DEFAULTS.cgMaxIterations();

    @Option(names = "--cg-stop",
            description = "CG stopping rule: tron (LIBLINEAR's |r| <= 0.1 |g| in the preconditioner's norm), martens, "
                    + "liblinear (>= 2.40's quadratic-model rule) or residual (default ${DEFAULT-VALUE})")
    String cgStop = TrainSpec.label(DEFAULTS.cgStop());

    @Option(names = "--cg-preconditioner",
            description = "none, jacobi or mixed (LIBLINEAR's 0.99 I + 0.01 diag) (default ${DEFAULT-VALUE})")
    String cgPreconditioner = TrainSpec.label(DEFAULTS.cgPreconditioner());

    @Option(names = "--cg-warm-start", description = "start CG from the previous direction (Martens 2010)")
    boolean cgWarmStart;

    @Option(names = "--damping",
            description = "trust-region (LIBLINEAR's TRON: Steihaug CG within a radius, or a lambda search with a dense "
                    + "solver), auto (Levenberg-Marquardt from 1e-3 min diag(C), Nielsen's update), none, fixed, lm "
                    + "(Levenberg-Marquardt from 1) or shift (default ${DEFAULT-VALUE})")
    String damping = TrainSpec.label(DEFAULTS.damping());

    @Option(names = "--lambda",
            description = "lambda of fixed damping, initial lambda of auto (default 1e-3 min diag(C)), lm (default 1) "
                    + "and shift; mlp: initial lambda of kfac and ngd (default 1e-2)")
    double lambda = DEFAULTS.lambda();

    @Option(names = "--step-rejection",
            description = "tries after a step that would raise the objective (damping raised, or step halved), "
                    + "0 = off (default: 10 with --damping auto, else off; the trust region always rejects a step "
                    + "that fails TRON's test, up to max(20, this) tries)")
    int stepRejection = DEFAULTS.stepRejection();

    @Option(names = "--line-search", description = "Armijo backtracking line search (LIBLINEAR >= 2.40)")
    boolean lineSearch;

    @Option(names = "--step-size", description = "step size eta (default ${DEFAULT-VALUE}; "
            + "mlp: tuned at batch 1000, kfac 0.1, adam 4e-3, sgd 0.2, ngd 0.5)")
    double stepSize = DEFAULTS.stepSize();

    @Option(names = "--max-iterations", description = "iterations (default ${DEFAULT-VALUE})")
    int maxIterations = DEFAULTS.maxIterations();

    @Option(names = "--gradient-tolerance", defaultValue = "liblinear", paramLabel = "TOL|liblinear",
            description = {"stop when |g| <= TOL * |g0|; liblinear (the default): LIBLINEAR's own rule, TOL = "
                    + "0.01 * max(1, min(#pos, #neg)) / N for logistic and probit (its -e 0.01 of -s 0; softmax: the "
                    + "smallest class against the rest), 0.001 for linear (its -s 11); a number (e.g. 1e-8) for a "
                    + "tighter optimum"})
    String gradientTolerance;

    @Option(names = "--epsilon", paramLabel = "EPS", description = "epsilon of "
            + "--gradient-tolerance liblinear (LIBLINEAR's -e; default 0.01, linear 0.001)")
    double epsilon = DEFAULTS.epsilon();

    @Mixin
    OutDirOption out;

    @Option(names = "--save-parameters", description = "write the trained parameters, one per line")
    Path saveParameters;

    @Mixin
    SeedOption seed;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    @Option(names = "--engine", defaultValue = "local",
            description = "local (this JVM) or spark (the optimizer-spark jar: data cached on Spark executors) "
                    + "(default ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--master", description = "spark: the master URL, e.g. spark://host:7077 (default: embedded local[*])")
    String master;

    @Option(names = "--partitions", defaultValue = "0",
            description = "spark: exactly this many partitions of the data, split by size (one per core is fastest: each partition sends one D-vector per pass; default 0: Spark's, one per file block)")
    int partitions;

    @Option(names = "--structure", description = "spark: dense (the D x D curvature summed in the gradient's pass, "
            + "factorised on the driver: one pass per iteration) or matrix-free (one pass per CG product, nothing "
            + "D x D) (default: dense when D <= 1024 and --solver is not cg, else matrix-free)")
    String structure;

    @Option(names = "--resume", description = "continue the run checkpointed in --out (mlp: OUT/checkpoint.state; "
            + "GLMs: with --engine spark)")
    boolean resume;

    /** The former spelling of {@code --step-size} in {@code train --model mlp} (applied in {@code call}). */
    @Option(names = "--lr", hidden = true, description = "the former spelling of --step-size in train --model mlp")
    Double lr;

    @Mixin
    NetworkOptions network;

    @Spec
    CommandSpec spec;

    /** The options both kinds of model take. */
    private static final Set<String> SHARED = Set.of("--model", "--data", "--out", "--seed", "--resume", "--step-size",
            "--lr", "--lambda", "--help", "--version");

    @Override
    public Integer call() throws java.io.IOException {
        boolean mlp = model.equalsIgnoreCase("mlp");
        List<String> misplaced = misplacedOptions(mlp);
        if (!misplaced.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join(", ", misplaced)
                    + (mlp ? " apply(ies) to the generalised linear models only, not to --model mlp"
                            : " apply(ies) to --model mlp only (the options marked mlp: in train --help)"));
        }
        if (mlp) {
            return network().call();
        }
        if (lr != null) {
            stepSize = lr;
        }
        if (data == null || out.dir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model " + model + " needs "
                    + (data == null && out.dir == null ? "--data FILE and --out DIR" : data == null ? "--data FILE" : "--out DIR")
                    + " (the training file and the output directory)");
        }
        return trainGlm(Path.of(data));
    }

    /** The options given on the command line that the other kind of model takes. */
    private List<String> misplacedOptions(boolean mlp) {
        Set<String> networkOnly = new java.util.HashSet<>();
        for (OptionSpec o : spec.mixins().get("network").options()) {
            networkOnly.add(o.longestName());
        }
        List<String> misplaced = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String name = o.longestName();
            boolean wrong = mlp ? !networkOnly.contains(name) && !SHARED.contains(name) : networkOnly.contains(name);
            if (wrong && !misplaced.contains(name)) {
                misplaced.add(name);
            }
        }
        return misplaced;
    }

    /** The network trainer with this command's options ({@code --step-size}, {@code --lambda}: NaN = its default). */
    NetworkTrainCommand network() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        NetworkTrainCommand n = new NetworkTrainCommand();
        n.model = model;
        n.network = network;
        n.data = data == null ? "fashion-mnist" : data;
        n.stepSize = lr != null ? lr : parsed.hasMatchedOption("--step-size") ? stepSize : Double.NaN;
        n.damping = parsed.hasMatchedOption("--lambda") ? lambda : Double.NaN;
        n.seedOption = seed;
        if (out.dir != null) {
            n.out.dir = out.dir; // else the network's default folder
        }
        n.resume = resume;
        return n;
    }

    /** {@code --gradient-tolerance}: a number, or NaN for {@code liblinear} (the trainer's default rule). */
    private double tolerance() {
        if (gradientTolerance.equalsIgnoreCase("liblinear")) {
            return Double.NaN;
        }
        try {
            double t = Double.parseDouble(gradientTolerance);
            if (!Double.isNaN(t)) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--gradient-tolerance must be a number >= 0 "
                + "or liblinear, got '" + gradientTolerance + "'");
    }

    /**
     * The spec of a GLM run on {@code data} from this command's options: the choices parsed here, at the command
     * line's edge ({@link TrainSpec#parse}); an unknown one is a usage error naming the option and the choices.
     */
    TrainSpec glmSpec(Path data) {
        TrainSpec.Builder b;
        try {
            b = TrainSpec.builder()
                    .format(format == null ? null : TrainSpec.parse(TrainSpec.DataFormat.class, format, "--format"))
                    .curvature(TrainSpec.CurvatureKind.of(curvature))
                    .solver(TrainSpec.parse(TrainSpec.SolverChoice.class, solver, "--solver"))
                    .cgStop(TrainSpec.parse(ConjugateGradient.StoppingRule.class, cgStop, "--cg-stop"))
                    .cgPreconditioner(TrainSpec.parse(ConjugateGradient.Preconditioner.class, cgPreconditioner,
                            "--cg-preconditioner"))
                    .damping(TrainSpec.parse(TrainSpec.DampingChoice.class, damping, "--damping"));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return b.model(model).data(data).test(test).columns(columns)
                .priorVariance(priorVariance).bias(bias).mcSamples(mcSamples)
                .cgMaxIterations(cgMaxIterations)
                .cgWarmStart(cgWarmStart).lambda(lambda).stepRejection(stepRejection)
                .lineSearch(lineSearch).stepSize(stepSize).maxIterations(maxIterations).gradientTolerance(tolerance())
                .epsilon(epsilon).out(out.dir).saveParameters(saveParameters).seed(seed.seed).quiet(quiet).build();
    }

    private Integer trainGlm(Path data) {
        TrainSpec spec = glmSpec(data);
        if (Files.exists(out.dir) && !Files.isDirectory(out.dir)) {
            System.err.println("train: error: --out " + out.dir + " is a file, not a directory");
            return 2;
        }
        TrainLog.resetPeakHeap(); // result.json's peak_heap_bytes: this run's
        TrainLog log = new TrainLog(out.dir, quiet ? null : System.out);
        try {
            TrainEngines.trainer(engine, model, new TrainEngine.Options(master, partitions, resume, structure)).train(spec, log);
            log.finish(null);
            TrainStatus status = log.status();
            if (!quiet) {
                System.out.println("wrote " + out.dir.resolve("trace.csv") + " and " + out.dir.resolve("result.json"));
            }
            if (status == TrainStatus.OK) {
                if (!quiet) {
                    System.out.println(log.message());
                }
            } else {
                System.err.println("train: " + status.label() + ": " + log.message());
            }
            return status.exitCode();
        } catch (RuntimeException e) {
            log.finish(e);
            System.err.println("train: error: " + e.getMessage());
            System.err.println("(the trace of the finished iterations is in " + out.dir.resolve("trace.csv") + ")");
            return 1;
        }
    }
}
