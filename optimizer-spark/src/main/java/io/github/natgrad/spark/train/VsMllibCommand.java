package io.github.natgrad.spark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.natgrad.Batch;
import io.github.natgrad.CsrMatrix;
import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.bench.ExtraCommand;
import io.github.natgrad.bench.options.OutDirOption;
import io.github.natgrad.training.TrainEngine;
import io.github.natgrad.training.TrainLog;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.training.TrainSpec;
import io.github.natgrad.training.Trainers;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.datasets.SyntheticSparse;
import io.github.natgrad.spark.SparkEngine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code natgrad vs-mllib}: distributed Newton-CG ({@code train --engine spark}) against Spark MLlib's
 * {@code LogisticRegression} (L-BFGS) on the same Spark ({@code local[2]} by default), the same cached data and the
 * same objective — L2-regularised logistic regression without an intercept, (1/N) Σ ℓ_i + ‖w‖²/(2CN), which is
 * MLlib's objective with {@code regParam} = 1/(N·C), {@code standardization} false, {@code elasticNetParam} 0 — and
 * against natgrad's local engine on the same file. Each run's time to a relative objective gap of 1e-6 from the
 * shared optimum (the lowest objective any run reached) is read from its trajectory: natgrad's trace.csv (optimizer
 * seconds) and MLlib's objective history (fit time × the fraction of its iterations; MLlib reports no per-iteration
 * time). The engines run interleaved, {@code --repeats} times each. Data sets: a LIBSVM file (a1a), a seeded sparse
 * problem (Zipf columns, {@link SyntheticSparse}) and a seeded dense one ({@link SyntheticGlm}), written as LIBSVM
 * so that both libraries read the same file.
 */
@Command(name = "vs-mllib", mixinStandardHelpOptions = true,
        description = "Time to a 1e-6 objective gap: train --engine spark vs Spark MLlib LogisticRegression vs the local engine.")
public final class VsMllibCommand implements Callable<Integer>, ExtraCommand {
    @Option(names = "--a1a", description = "the a1a LIBSVM file (skipped if absent)")
    Path a1a = Path.of("../shared/datasets/a1a.libsvm");

    @Option(names = "--sparse", defaultValue = "100000x1000000x50",
            description = "generated sparse problem NxDxNNZ_PER_ROW, or none (default ${DEFAULT-VALUE})")
    String sparse;

    @Option(names = "--dense", defaultValue = "1000000x100",
            description = "generated dense problem NxD, or none (default ${DEFAULT-VALUE})")
    String dense;

    @Option(names = "--prior-variance", defaultValue = "1", description = "C (default ${DEFAULT-VALUE})")
    double c;

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default ${DEFAULT-VALUE})")
    String master;

    @Option(names = "--partitions", defaultValue = "2", description = "partitions of every data set (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--repeats", defaultValue = "3", description = "runs of each engine, interleaved (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--gap", defaultValue = "1e-6", description = "relative objective gap (default ${DEFAULT-VALUE})")
    double gap;

    @Mixin
    OutDirOption outDir;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the generated problems (default ${DEFAULT-VALUE})")
    long seed;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--structures", defaultValue = "matrix-free,dense", split = ",",
            description = "natgrad's structures to run (dense only where D <= 1024) (default ${DEFAULT-VALUE})")
    List<String> structures;

    /** One run's trajectory: (seconds, objective) after each iteration, its passes and their seconds. */
    record Run(String dataset, String engine, int repeat, double[] seconds, double[] objective, long passes,
            double passSeconds) {
    }

    /** The engines, in the order of the first repeat: natgrad on Spark and locally per structure, and MLlib. */
    private List<String> engines(int d) {
        List<String> engines = new ArrayList<>();
        for (String s : structures) {
            if (!s.equals("matrix-free") && !s.equals("dense")) {
                throw new IllegalArgumentException("unknown structure '" + s + "' in --structures; choose matrix-free, "
                        + "dense or both");
            }
        }
        if (structures.contains("matrix-free")) {
            engines.add("natgrad-spark");
        }
        boolean dense = structures.contains("dense") && d <= SparkTrainEngine.DENSE_LIMIT;
        if (dense) {
            engines.add("natgrad-spark-dense");
        }
        engines.add("mllib-lbfgs");
        if (structures.contains("matrix-free")) {
            engines.add("natgrad-local");
        }
        if (dense) {
            engines.add("natgrad-local-dense");
        }
        return engines;
    }

    /** The largest feature index of a LIBSVM file (its D without a bias). */
    private static int columns(Path file) throws IOException {
        int max = 0;
        try (var lines = Files.lines(file)) {
            for (String line : (Iterable<String>) lines::iterator) {
                int colon = line.lastIndexOf(':');
                if (colon > 0) {
                    int space = line.lastIndexOf(' ', colon);
                    max = Math.max(max, Integer.parseInt(line.substring(space + 1, colon).trim()));
                }
            }
        }
        return max;
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(outDir.required("results.csv, summary.md and data/").resolve("data"));
        List<String[]> sets = new ArrayList<>();
        if (Files.exists(a1a)) {
            sets.add(new String[] {"a1a", a1a.toString(), String.valueOf(columns(a1a))});
        }
        if (!sparse.equals("none")) {
            sets.add(new String[] {"sparse-" + sparse, sparseFile(sparse).toString(),
                String.valueOf(parse(sparse, 3)[1])});
        }
        if (!dense.equals("none")) {
            sets.add(new String[] {"dense-" + dense, denseFile(dense).toString(), String.valueOf(parse(dense, 2)[1])});
        }
        SparkEngine.checkOpens();
        // the same settings for MLlib as for natgrad's passes (task results up to 128 MB straight to the driver)
        SparkConf conf = SparkObjective.configure(new SparkConf().setMaster(master)).setAppName("natgrad vs-mllib")
                .set("spark.ui.enabled", "false").set("spark.sql.shuffle.partitions", String.valueOf(partitions));
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        List<Run> runs = new ArrayList<>();
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("ERROR");
            SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
            for (String[] set : sets) {
                Dataset<Row> df = mllibData(spark, set[1]);
                long n = df.count(); // caches
                System.out.printf(Locale.ROOT, "%s: N = %d (cached for MLlib)%n", set[0], n);
                List<String> engines = engines(Integer.parseInt(set[2]));
                for (int r = 0; r < repeats; r++) {
                    // interleaved, the order rotating per repeat
                    for (int k = 0; k < engines.size(); k++) {
                        String engine = engines.get((k + r) % engines.size());
                        Run run = switch (engine) {
                            case "natgrad-spark" -> natgradSpark(jsc, set, r, false);
                            case "natgrad-spark-dense" -> natgradSpark(jsc, set, r, true);
                            case "natgrad-local" -> natgradLocal(set, r, false);
                            case "natgrad-local-dense" -> natgradLocal(set, r, true);
                            default -> mllib(df, set[0], n, r);
                        };
                        runs.add(run);
                        System.out.printf(Locale.ROOT, "  %-20s repeat %d: %d iterations, %.3f s, objective %.12g, "
                                + "%d passes%n", run.engine(), r, run.objective().length - 1,
                                run.seconds()[run.seconds().length - 1], run.objective()[run.objective().length - 1],
                                run.passes());
                    }
                }
                df.unpersist();
            }
        }
        report(runs);
        return 0;
    }

    private TrainSpec spec(String data, String dir, boolean dense) {
        // LIBLINEAR's Newton: the Hessian (= Fisher), CG (Jacobi) with LIBLINEAR's stopping rule, Armijo line
        // search, no damping; dense: the same Newton step solved exactly (Cholesky of the summed D x D matrix)
        return TrainSpec.builder().model("logistic").data(Path.of(data)).format(TrainSpec.DataFormat.LIBSVM).priorVariance(c)
                .solver(dense ? TrainSpec.SolverChoice.CHOLESKY : TrainSpec.SolverChoice.CG)
                .cgStop(ConjugateGradient.StoppingRule.LIBLINEAR).cgPreconditioner(ConjugateGradient.Preconditioner.JACOBI)
                .damping(TrainSpec.DampingChoice.NONE)
                .stepRejection(0).lineSearch(true).gradientTolerance(1e-10).out(outDir.dir.resolve("runs").resolve(dir))
                .seed(seed).quiet(true).build();
    }

    private Run natgradSpark(JavaSparkContext jsc, String[] set, int r, boolean dense) throws IOException {
        String engine = dense ? "natgrad-spark-dense" : "natgrad-spark";
        TrainSpec spec = spec(set[1], set[0] + "-" + engine + "-" + r, dense);
        TrainLog log = new TrainLog(spec.out(), null);
        String run = UUID.randomUUID().toString();
        try {
            SparkTrainEngine.run(jsc, spec, new TrainEngine.Options(master, partitions, false,
                    dense ? "dense" : "matrix-free"), log, run, master, spec.out().resolve("checkpoint"));
            log.finish(null);
        } finally {
            Shards.forget(run);
        }
        return fromTrace(set[0], engine, r, spec.out());
    }

    private Run natgradLocal(String[] set, int r, boolean dense) throws IOException {
        String engine = dense ? "natgrad-local-dense" : "natgrad-local";
        TrainSpec spec = spec(set[1], set[0] + "-" + engine + "-" + r, dense);
        TrainLog log = new TrainLog(spec.out(), null);
        Trainers.forModel("logistic").train(spec, log);
        log.finish(null);
        return fromTrace(set[0], engine, r, spec.out());
    }

    private static Run fromTrace(String dataset, String engine, int r, Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("trace.csv"));
        JsonNode result = JSON.readTree(dir.resolve("result.json").toFile());
        int k = lines.size() - 1;
        // row i: the objective at θ_i (before step i) and the seconds after step i; θ_i was ready at row i-1's time
        double[] seconds = new double[k + 1];
        double[] objective = new double[k + 1];
        for (int i = 0; i < k; i++) {
            String[] f = lines.get(i + 1).split(",");
            objective[i] = Double.parseDouble(f[2]);
            seconds[i + 1] = Double.parseDouble(f[1]);
        }
        objective[k] = result.get("objective").asDouble();
        return new Run(dataset, engine, r, seconds, objective, result.has("passes") ? result.get("passes").asLong() : 0,
                result.has("pass_seconds") ? result.get("pass_seconds").asDouble() : Double.NaN);
    }

    private Dataset<Row> mllibData(SparkSession spark, String file) {
        Dataset<Row> df = spark.read().format("libsvm").load(file);
        df = df.withColumn("label", functions.when(functions.col("label").gt(0), 1.0).otherwise(0.0))
                .repartition(partitions);
        return df.cache();
    }

    private Run mllib(Dataset<Row> df, String dataset, long n, int r) {
        LogisticRegression lr = new LogisticRegression().setStandardization(false).setElasticNetParam(0)
                .setRegParam(1.0 / (n * c)).setFitIntercept(false).setMaxIter(500).setTol(1e-12);
        long t0 = System.nanoTime();
        LogisticRegressionModel model = lr.fit(df);
        double total = (System.nanoTime() - t0) / 1e9;
        double[] history = model.summary().objectiveHistory();
        double[] seconds = new double[history.length];
        for (int i = 0; i < history.length; i++) {
            seconds[i] = history.length == 1 ? total : total * i / (history.length - 1);
        }
        // the history is MLlib's objective (1/N) Σ ℓ + regParam/2 ‖w‖², natgrad's objective with regParam = 1/(N·C)
        return new Run(dataset, "mllib-lbfgs", r, seconds, history, history.length, Double.NaN);
    }

    private void report(List<Run> runs) throws IOException {
        StringBuilder csv = new StringBuilder("dataset,engine,repeat,seconds_to_gap,iterations_to_gap,iterations,"
                + "seconds_total,final_objective,passes,pass_seconds,optimum\n");
        StringBuilder md = new StringBuilder("| data | engine | median s to gap " + gap + " | iterations | passes | "
                + "ms per pass | final gap |\n|---|---|---|---|---|---|---|\n");
        StringBuilder ratios = new StringBuilder("\n| data | structure | spark / MLlib | spark / local |\n|---|---|---|---|\n");
        List<String> datasets = runs.stream().map(Run::dataset).distinct().toList();
        for (String dataset : datasets) {
            double optimum = Double.POSITIVE_INFINITY;
            for (Run run : runs) {
                if (run.dataset().equals(dataset)) {
                    for (double v : run.objective()) {
                        optimum = Math.min(optimum, v);
                    }
                }
            }
            java.util.Map<String, Double> medians = new java.util.HashMap<>();
            for (String engine : List.of("natgrad-spark", "natgrad-spark-dense", "mllib-lbfgs", "natgrad-local",
                    "natgrad-local-dense")) {
                List<Double> times = new ArrayList<>();
                List<Double> perPass = new ArrayList<>();
                String its = "";
                String passes = "";
                double finalGap = Double.NaN;
                for (Run run : runs) {
                    if (!run.dataset().equals(dataset) || !run.engine().equals(engine)) {
                        continue;
                    }
                    int hit = -1;
                    for (int i = 0; i < run.objective().length; i++) {
                        if ((run.objective()[i] - optimum) / Math.abs(optimum) <= gap) {
                            hit = i;
                            break;
                        }
                    }
                    double t = hit < 0 ? Double.NaN : run.seconds()[hit];
                    times.add(t);
                    perPass.add(run.passSeconds() / run.passes() * 1e3);
                    its = String.valueOf(hit);
                    passes = String.valueOf(run.passes());
                    double last = run.objective()[run.objective().length - 1];
                    finalGap = (last - optimum) / Math.abs(optimum);
                    csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%d,%d,%.4f,%.17g,%d,%.4f,%.17g%n", dataset,
                            engine, run.repeat(), t, hit, run.objective().length - 1,
                            run.seconds()[run.seconds().length - 1], last, run.passes(), run.passSeconds(), optimum));
                }
                if (times.isEmpty()) {
                    continue;
                }
                double median = median(times);
                medians.put(engine, median);
                md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %.1f | %.1e |%n", dataset, engine,
                        median, its, passes, median(perPass), finalGap));
            }
            for (String structure : List.of("matrix-free", "dense")) {
                String suffix = structure.equals("dense") ? "-dense" : "";
                Double spark = medians.get("natgrad-spark" + suffix);
                if (spark != null) {
                    ratios.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f |%n", dataset, structure,
                            spark / medians.get("mllib-lbfgs"), spark / medians.getOrDefault("natgrad-local" + suffix,
                                    Double.NaN)));
                }
            }
        }
        md.append(ratios);
        AtomicFiles.write(outDir.dir.resolve("results.csv"), csv.toString());
        AtomicFiles.write(outDir.dir.resolve("summary.md"), md.toString());
        System.out.print(md);
        System.out.println("wrote " + outDir.dir.resolve("results.csv") + " and " + outDir.dir.resolve("summary.md"));
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private Path sparseFile(String shape) throws IOException {
        long[] s = parse(shape, 3);
        Path file = outDir.dir.resolve("data").resolve("sparse-" + shape + "-seed" + seed + ".libsvm");
        if (!Files.exists(file)) {
            Batch b = SyntheticSparse.logistic((int) s[0], (int) s[1], s[0] * s[2], 1.0, seed).batch();
            write(file, b);
        }
        return file;
    }

    private Path denseFile(String shape) throws IOException {
        long[] s = parse(shape, 2);
        Path file = outDir.dir.resolve("data").resolve("dense-" + shape + "-seed" + seed + ".libsvm");
        if (!Files.exists(file)) {
            write(file, SyntheticGlm.logistic((int) s[0], (int) s[1], 10, seed).batch());
        }
        return file;
    }

    private static long[] parse(String shape, int parts) {
        String[] f = shape.toLowerCase(Locale.ROOT).split("x");
        if (f.length != parts) {
            throw new IllegalArgumentException("expected " + parts + " numbers separated by x, got '" + shape + "'");
        }
        return Arrays.stream(f).mapToLong(Long::parseLong).toArray();
    }

    /** Writes a batch as LIBSVM (labels ±1, values with 17 significant digits). */
    static void write(Path file, Batch b) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            CsrMatrix x = b.isSparse() ? b.csr() : null;
            double[] dense = b.isSparse() ? null : b.x();
            int p = b.columns();
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < b.rows(); i++) {
                line.setLength(0);
                line.append(b.y()[i] > 0 ? "+1" : "-1");
                if (x != null) {
                    for (int k = x.rowStart()[i]; k < x.rowStart()[i + 1]; k++) {
                        line.append(' ').append(x.columnIndex()[k] + 1).append(':').append(x.values()[k]);
                    }
                } else {
                    for (int j = 0; j < p; j++) {
                        double v = dense[i * p + j];
                        if (v != 0) {
                            line.append(' ').append(j + 1).append(':').append(v);
                        }
                    }
                }
                w.write(line.append('\n').toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
