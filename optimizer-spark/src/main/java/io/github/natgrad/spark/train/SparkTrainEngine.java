package io.github.natgrad.spark.train;

import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepReport;
import io.github.natgrad.data.LabelMapping;
import io.github.natgrad.optim.ShardedOptimizer;
import io.github.natgrad.spark.SparkEngine;
import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.training.GlmTrainer;
import io.github.natgrad.training.StateFiles;
import io.github.natgrad.training.StopRule;
import io.github.natgrad.training.TrainEngine;
import io.github.natgrad.training.TrainLog;
import io.github.natgrad.training.TrainSpec;
import io.github.natgrad.training.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@code spark} engine of {@code train}: distributed Newton-CG / natural gradient for the generalised linear
 * models, after Zhuang, Chin, Juan and Lin, "Distributed Newton Methods for Regularized Logistic Regression"
 * (PAKDD 2015). Spark reads the training file into partitions, each parsed once by the library's reader into a
 * CSR block cached on its executor ({@link SparkData}); the driver runs the library's own optimizer — the
 * {@link GlmTrainer#configuration same NaturalGradient configuration} as the local engine, damping, CG, line search —
 * against {@link SparkObjective}, whose loss and gradient at a point are one pass, every partition calling the
 * library's {@link io.github.natgrad.optim.Shard} on its block. Two structures ({@code --structure}): matrix-free,
 * each curvature-vector product one more pass and the driver O(D); dense (for small D), the kind's D × D matrix summed
 * in the gradient's pass and factorised on the driver by the library's solver, one pass per iteration. The trace and
 * result.json are the local engine's ({@link GlmTrainer#iterate}).
 *
 * <p>Spark runs embedded ({@code local[*]}) unless a master is given ({@code --master spark://host:7077}, or
 * {@code spark.master} set by {@code spark-submit}); a failed task is retried (up to 4 attempts, also embedded).
 * After every iteration the driver saves θ, the optimizer's state and the trace in {@code OUT/checkpoint/};
 * {@code --resume} continues such a run (after a kill of the driver) to the same trace.
 */
public final class SparkTrainEngine implements TrainEngine {
    /** Task attempts before a job fails (Spark's spark.task.maxFailures; local[N,F] embedded). */
    static final int TASK_ATTEMPTS = 4;
    /** The depth of the aggregation trees. */
    static final int DEPTH = 2;
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)\\]");

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Trainer trainer(Options options) {
        return (spec, log) -> train(spec, options, log);
    }

    /** The master: the option, else spark-submit's spark.master, else local[*]; local[N] gets task retries. */
    static String master(SparkConf conf, Options options) {
        String master = options.master() != null ? options.master()
                : conf.contains("spark.master") ? conf.get("spark.master") : "local[*]";
        Matcher m = LOCAL.matcher(master);
        return m.matches() ? "local[" + m.group(1) + "," + TASK_ATTEMPTS + "]" : master;
    }

    private static void train(TrainSpec spec, Options options, TrainLog log) {
        GlmTrainer.validate(spec);
        if (options.partitions() < 0) {
            throw new IllegalArgumentException("--partitions must be >= 0 (0: Spark's default), got "
                    + options.partitions());
        }
        dense(options.structure(), spec.solver(), 0); // an unknown or contradictory --structure, before Spark starts
        Path checkpoint = spec.out().resolve("checkpoint");
        if (options.resume() && !Files.exists(checkpoint.resolve("state.bin"))) {
            throw new IllegalArgumentException("--resume: no checkpoint in " + checkpoint + " (a spark run saves one "
                    + "after every iteration); run without --resume to start");
        }
        SparkEngine.checkOpens();
        SparkConf conf = new SparkConf().setAppName("natgrad train " + spec.model() + " " + spec.data());
        String master = master(conf, options);
        SparkEngine.checkReachable(master);
        SparkObjective.configure(conf.setMaster(master)).set("spark.ui.enabled", "false").set("spark.task.maxFailures",
                String.valueOf(TASK_ATTEMPTS));
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        String run = UUID.randomUUID().toString();
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("ERROR");
            run(jsc, spec, options, log, run, master, checkpoint);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // Spark's job failures are checked exceptions thrown from Scala
            throw new IllegalStateException("Spark failed the run: " + e.getMessage()
                    + " (the checkpoint of the finished iterations is in " + checkpoint + "; --resume continues)", e);
        } finally {
            Shards.forget(run);
        }
    }

    static void run(JavaSparkContext jsc, TrainSpec spec, Options options, TrainLog log, String run,
            String master, Path checkpoint) {
        LabelMapping mapping = GlmTrainer.mapping(spec.model());
        SparkData train = SparkData.read(jsc, spec.data().toString(), format(spec), mapping, spec.columns(), null,
                options.partitions());
        SparkData test = spec.test() == null ? null : SparkData.read(jsc, spec.test().toString(), format(spec),
                mapping, train.columns, train.classes, options.partitions());
        long failPass = Long.getLong("natgrad.spark.injectFailure", -1L);
        Shards.Spec shardSpec = new Shards.Spec(run, spec.model(), spec.bias(), train.columns, train.classes, failPass);
        Model model = GlmTrainer.model(spec.model(), spec.bias(), train.columns,
                train.classes == null ? 0 : train.classes.length, train.file);
        int n = train.rows;
        GlmTrainer.describe(spec, log, model, n, train.nonZeros);
        log.put("engine", "spark");
        log.put("master", master);
        log.put("partitions", train.blocks.getNumPartitions());
        boolean dense = dense(options.structure(), spec.solver(), model.parameterCount());
        log.put("structure", dense ? "dense" : "matrix-free");
        SparkObjective objective = new SparkObjective(jsc, train, shardSpec, model, TrainSpec.label(spec.curvature()), dense, DEPTH);
        if (spec.cgPreconditioner() != io.github.natgrad.solve.ConjugateGradient.Preconditioner.NONE) {
            objective.withDiagonalFromTheStart(); // CG's preconditioner asks for it at the first step
        }
        ShardedOptimizer optimizer = GlmTrainer.configuration(spec, n).build(objective);
        double tau = L2Prior.ofVariance(spec.priorVariance()).precision(n);
        GlmTrainer.Start start = options.resume() ? resume(checkpoint, model, optimizer, log)
                : new GlmTrainer.Start(new double[model.parameterCount()], 0, 0, 0, Double.NaN);
        try {
            GlmTrainer.iterate(spec, log, model, n, new GlmTrainer.Session() {
                @Override
                public StepReport step(double[] theta) {
                    return optimizer.step(theta);
                }

                @Override
                public double objective(double[] theta) {
                    return optimizer.loss(theta);
                }

                @Override
                public double gradientNorm(double[] theta) {
                    double[] g = new double[theta.length];
                    objective.lossAndGradient(theta, g);
                    return GlmTrainer.gradientNorm(g, theta, n, tau);
                }

                @Override
                public double[] test(double[] theta) {
                    return test == null ? new double[] {Double.NaN, Double.NaN}
                            : SparkObjective.evaluate(jsc, test, shardSpec, model, theta, DEPTH);
                }

                @Override
                public long[] classCounts() {
                    if (spec.model().equals("linear")) {
                        return null;
                    }
                    double[] classes = train.classes;
                    return train.blocks.map(b -> blockClassCounts(b, classes)).reduce(StopRule::addCounts);
                }

                @Override
                public void iterationDone(int iteration, double[] theta, double seconds, long products, double g0) {
                    save(checkpoint, model, optimizer, log, iteration, theta, seconds, products, g0);
                }
            }, start);
            log.put("passes", objective.passes());
            log.put("pass_seconds", objective.passSeconds());
        } finally {
            objective.close();
            train.blocks.unpersist(false);
            if (test != null) {
                test.blocks.unpersist(false);
            }
        }
    }

    /** Examples per class of one block (labels mapped to the softmax's {@code classes} when given). */
    static long[] blockClassCounts(Block b, double[] classes) {
        if (b.y == null || b.rows == 0) {
            return new long[2];
        }
        double[] y = Arrays.copyOf(b.y, b.rows);
        if (classes != null) {
            for (int i = 0; i < y.length; i++) {
                y[i] = Arrays.binarySearch(classes, y[i]);
            }
        }
        return StopRule.classCounts(y);
    }

    /** D up to which {@code --structure} auto sums the dense matrix (the local engine's auto solver: Cholesky). */
    static final int DENSE_LIMIT = 1024;

    /**
     * Whether the run sums the dense D × D curvature ({@code --structure dense}) or stays matrix-free; unset, the
     * rule: dense when the solver factorises a matrix (cholesky, eigen) or is auto with D ≤ {@value #DENSE_LIMIT}
     * (as the local engine's auto solver picks Cholesky there), matrix-free for cg and for auto above.
     */
    /** The spec's --format as SparkData reads it: its label, or null (by the file's name). */
    private static String format(TrainSpec spec) {
        return spec.format() == null ? null : TrainSpec.label(spec.format());
    }

    static boolean dense(String structure, TrainSpec.SolverChoice solver, int d) {
        String s = structure == null ? "auto" : structure;
        boolean factorises = solver == TrainSpec.SolverChoice.CHOLESKY || solver == TrainSpec.SolverChoice.EIGEN;
        switch (s) {
            case "dense":
                return true;
            case "matrix-free":
                if (factorises) {
                    throw new IllegalArgumentException("--solver " + TrainSpec.label(solver) + " factorises the dense "
                            + "D x D matrix: use --structure dense (or leave it unset), or --solver cg with --structure "
                            + "matrix-free");
                }
                return false;
            case "auto":
                return factorises || (solver == TrainSpec.SolverChoice.AUTO && d <= DENSE_LIMIT);
            default:
                throw new IllegalArgumentException("unknown --structure '" + structure + "'; choose dense or "
                        + "matrix-free (unset: dense when D <= " + DENSE_LIMIT + " and --solver is not cg)");
        }
    }

    private static final String KIND = "natgrad train checkpoint";

    /** θ, the totals, the optimizer's state (state.bin) and the trace rows (trace.csv), written atomically. */
    static void save(Path dir, Model model, ShardedOptimizer optimizer, TrainLog log, int iteration, double[] theta,
            double seconds, long products, double g0) {
        OptimizerState state = OptimizerState.builder(KIND, model).putLong("iteration", iteration + 1L)
                .putDoubles("theta", theta.clone()).putDouble("seconds", seconds).putLong("products", products)
                .putDouble("g0", g0).include("optimizer.", optimizer.state()).build();
        try {
            AtomicFiles.write(dir.resolve("trace.csv"), log.traceRows());
            StateFiles.save(state, dir.resolve("state.bin"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Restores a checkpoint: the optimizer's state, the trace's rows (as many as iterations saved) and the start. */
    static GlmTrainer.Start resume(Path dir, Model model, ShardedOptimizer optimizer, TrainLog log) {
        OptimizerState state;
        String rows;
        try {
            state = StateFiles.load(dir.resolve("state.bin"));
            rows = Files.readString(dir.resolve("trace.csv"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint in " + dir + ": " + e.getMessage(), e);
        }
        state.requireCompatible(KIND, model);
        optimizer.restore(state.nested("optimizer."));
        int iteration = (int) state.getLong("iteration");
        String[] lines = rows.split("\n", -1);
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < iteration && i < lines.length; i++) {
            kept.append(lines[i]).append('\n');
        }
        log.restoreTrace(kept.toString());
        return new GlmTrainer.Start(state.getDoubles("theta"), iteration, state.getDouble("seconds"),
                state.getLong("products"), state.getDouble("g0"));
    }
}
