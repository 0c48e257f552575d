package io.github.natgrad.bench.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a LIBSVM or CSV file (like liblinear-train); writes trace.csv and result.json.",
        exitCodeListHeading = "%nExit codes (result.json's status):%n", exitCodeList = {
            "0:ok: converged (|g| <= tolerance * |g0|)",
            "1:failed: an error (bad input, unwritable file); see result.json's error",
            "2:usage error: an unknown or malformed option",
            "3:not-converged: the iteration budget ran out first",
            "4:not-descent: a direction that is not downhill (wrong curvature or solve)",
            "5:all-steps-rejected: step rejection or the line search refused every step",
            "6:diverged: the objective, gradient or direction became NaN or infinite"})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "linear, logistic, probit or softmax (mlp: the network trainer, see train-network --help)")
    String model;

    @Option(names = "--data", required = true, description = "training file (LIBSVM or CSV)")
    Path data;

    @Option(names = "--format", description = "libsvm or csv (default: csv for *.csv, else libsvm)")
    String format;

    @Option(names = "--test", description = "test file, same format; its loss and accuracy go into the trace")
    Path test;

    @Option(names = "--columns", defaultValue = "0",
            description = "input columns (default: the largest index of the training file)")
    int columns;

    @Option(names = "--prior-variance", defaultValue = "1",
            description = "sigma^2 of the Gaussian prior, = LIBLINEAR's C (default ${DEFAULT-VALUE})")
    double priorVariance;

    @Option(names = "--bias", description = "add a bias (regularised, like LIBLINEAR's -B 1)")
    boolean bias;

    @Option(names = "--curvature", defaultValue = "fisher",
            description = "fisher, mc-fisher, empirical-fisher, gauss-newton, hessian, identity (default ${DEFAULT-VALUE})")
    String curvature;

    @Option(names = "--mc-samples", defaultValue = "1", description = "labels sampled per example for mc-fisher")
    int mcSamples;

    @Option(names = "--solver", defaultValue = "auto",
            description = "cholesky, eigen, cg, woodbury or auto (default ${DEFAULT-VALUE})")
    String solver;

    @Option(names = "--cg-max-iterations", defaultValue = "250", description = "CG cap (default ${DEFAULT-VALUE})")
    int cgMaxIterations;

    @Option(names = "--cg-stop", defaultValue = "tron",
            description = "CG stopping rule: tron (LIBLINEAR's |r| <= 0.1 |g| in the preconditioner's norm), martens, "
                    + "liblinear (>= 2.40's quadratic-model rule) or residual (default ${DEFAULT-VALUE})")
    String cgStop;

    @Option(names = "--cg-preconditioner", defaultValue = "mixed",
            description = "none, jacobi or mixed (LIBLINEAR's 0.99 I + 0.01 diag) (default ${DEFAULT-VALUE})")
    String cgPreconditioner;

    @Option(names = "--cg-warm-start", description = "start CG from the previous direction (Martens 2010)")
    boolean cgWarmStart;

    @Option(names = "--damping", defaultValue = "auto",
            description = "auto (Levenberg-Marquardt from 1e-3 min diag(C), Nielsen's update), none, fixed, lm "
                    + "(Levenberg-Marquardt from 1) or shift (default ${DEFAULT-VALUE})")
    String damping;

    @Option(names = "--lambda", defaultValue = "0",
            description = "lambda of fixed damping, initial lambda of auto (default 1e-3 min diag(C)), lm (default 1) "
                    + "and shift")
    double lambda;

    @Option(names = "--step-rejection", defaultValue = "-1",
            description = "tries after a step that would raise the objective (damping raised, or step halved), "
                    + "0 = off (default: 10 with --damping auto, else off)")
    int stepRejection;

    @Option(names = "--line-search", description = "Armijo backtracking line search (LIBLINEAR >= 2.40)")
    boolean lineSearch;

    @Option(names = "--step-size", defaultValue = "1", description = "step size eta (default ${DEFAULT-VALUE})")
    double stepSize;

    @Option(names = "--max-iterations", defaultValue = "100", description = "iterations (default ${DEFAULT-VALUE})")
    int maxIterations;

    @Option(names = "--gradient-tolerance", defaultValue = "1e-6",
            description = "stop when |g| <= tolerance * |g0| (default ${DEFAULT-VALUE})")
    double gradientTolerance;

    @Option(names = "--out", required = true, description = "output directory for trace.csv and result.json")
    Path out;

    @Option(names = "--save-parameters", description = "write the trained parameters, one per line")
    Path saveParameters;

    @Option(names = "--seed", defaultValue = "0", description = "seed of every random choice (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    @Option(names = "--engine", defaultValue = "local",
            description = "local (this JVM) or spark (the optimizer-spark jar: data cached on Spark executors) "
                    + "(default ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--master", description = "spark: the master URL, e.g. spark://host:7077 (default: embedded local[*])")
    String master;

    @Option(names = "--partitions", defaultValue = "0",
            description = "spark: at least this many partitions of the data (a large file gets one per split; default: the master's default parallelism)")
    int partitions;

    @Option(names = "--resume", description = "spark: continue the run checkpointed in --out")
    boolean resume;

    @Override
    public Integer call() {
        TrainSpec spec = new TrainSpec(model, data, format, test, columns, priorVariance, bias, curvature, mcSamples,
                solver, cgMaxIterations, cgStop, cgPreconditioner, cgWarmStart, damping, lambda, stepRejection, lineSearch,
                stepSize,
                maxIterations, gradientTolerance, out, saveParameters, seed, quiet);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            System.err.println("train: error: --out " + out + " is a file, not a directory");
            return 2;
        }
        TrainLog log = new TrainLog(out, quiet ? null : System.out);
        try {
            TrainEngines.trainer(engine, model, new TrainEngine.Options(master, partitions, resume)).train(spec, log);
            log.finish(null);
            TrainStatus status = log.status();
            if (!quiet) {
                System.out.println("wrote " + out.resolve("trace.csv") + " and " + out.resolve("result.json"));
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
            System.err.println("(the trace of the finished iterations is in " + out.resolve("trace.csv") + ")");
            return 1;
        }
    }
}
