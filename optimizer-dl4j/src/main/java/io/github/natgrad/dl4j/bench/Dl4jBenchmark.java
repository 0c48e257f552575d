package io.github.natgrad.dl4j.bench;

import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.datasets.FashionMnist;
import io.github.natgrad.dl4j.Dl4jTrainer;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.training.Evaluation;
import io.github.natgrad.training.Minibatches;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The Deeplearning4j benchmark on Fashion-MNIST (issue 21): a 784-256-10 ReLU network trained from the same
 * initial weights (natgrad's seeded LeCun initialisation) on the same shuffled minibatches by
 * <ul>
 *   <li>{@code dl4j-adam}: DL4J's own {@code net.fit(DataSet)} with its Adam updater (double precision);</li>
 *   <li>{@code kfac-dl4j}: natgrad's K-FAC on the same kind of DL4J network through {@link Dl4jTrainer};</li>
 *   <li>{@code kfac-mlp}: natgrad's K-FAC on natgrad's own {@link MultilayerPerceptron} (the adapter's
 *       overhead is kfac-dl4j's time over this one's);</li>
 *   <li>{@code dl4j-adam-float} (with {@code --float-adam}): DL4J's Adam in single precision, DL4J's default.</li>
 * </ul>
 * The runs advance minibatch by minibatch in turn, so a change of the shared machine's load hits them alike;
 * only the training steps are timed (building the minibatches and evaluating are not), after ten untimed
 * warm-up steps of each (so no run pays for compiling code the others share), and the order of the runs is
 * reversed on every other minibatch. Ratios are also given seed by
 * seed: the runs of one seed are interleaved, so theirs are the paired comparisons. After every epoch
 * the test accuracy is evaluated; a run stops once it reaches the target (or after the maximum of epochs).
 *
 * <p>Run after {@code mvn -B -ntp -pl optimizer-dl4j -am package -DskipTests}:
 * <pre>
 * OMP_NUM_THREADS=1 java -cp "optimizer-dl4j/target/classes:$(cat optimizer-dl4j/target/classpath.txt)" \
 *   io.github.natgrad.dl4j.bench.Dl4jBenchmark --data-dir ../shared/datasets/fashion-mnist --seeds 0,1,2
 * </pre>
 * Options (defaults): {@code --seeds 0,1,2 --batch-size 1000 --max-epochs 15 --target 0.88
 * --adam-lr 0.004 --kfac-lr 0.1 --kfac-damping 0.01 --kfac-periods 5 --train-limit 0 --float-adam false
 * --runs dl4j-adam,kfac-dl4j,kfac-mlp,dl4j-adam-float --out results/dl4j-bench}.
 */
public final class Dl4jBenchmark {
    private Dl4jBenchmark() {
    }

    /** One training step of a run, on the minibatch as natgrad's batch, DL4J's data set and its float copy. */
    @FunctionalInterface
    private interface Step {
        void take(Batch batch, DataSet data, DataSet floatData);
    }

    /** One run's progress: its stepping function, its parameters' read-back, cumulative step time and per-epoch trace. */
    private static final class Runner {
        final String name;
        final Step step;
        final Supplier<double[]> theta;
        final List<double[]> trace = new ArrayList<>(); // epoch, seconds, test accuracy
        final List<Long> steps = new ArrayList<>(); // nanoseconds of each step
        long nanos;
        boolean active = true;

        Runner(String name, Step step, Supplier<double[]> theta) {
            this.name = name;
            this.step = step;
            this.theta = theta;
        }

        void step(Batch batch, DataSet data, DataSet floatData) {
            step.take(batch, data, floatData);
        }

        double[] theta() {
            return theta.get();
        }
    }

    /** Entry point; see the class description for the options. */
    public static void main(String[] args) throws IOException {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--data-dir", "../shared/datasets/fashion-mnist",
                "--seeds", "0,1,2", "--batch-size", "1000", "--max-epochs", "15", "--target", "0.88",
                "--adam-lr", "0.004", "--kfac-lr", "0.1", "--kfac-damping", "0.01", "--kfac-periods", "5",
                "--train-limit", "0"));
        o.put("--float-adam", "false");
        o.put("--out", "results/dl4j-bench");
        o.put("--runs", "dl4j-adam,kfac-dl4j,kfac-mlp,dl4j-adam-float");
        for (int i = 0; i < args.length; i += 2) {
            if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: "
                        + o.keySet());
            }
            o.put(args[i], args[i + 1]);
        }
        long[] seeds = Arrays.stream(o.get("--seeds").split(",")).mapToLong(Long::parseLong).toArray();
        int batchSize = Integer.parseInt(o.get("--batch-size"));
        int maxEpochs = Integer.parseInt(o.get("--max-epochs"));
        double target = Double.parseDouble(o.get("--target"));
        double adamLr = Double.parseDouble(o.get("--adam-lr"));
        double kfacLr = Double.parseDouble(o.get("--kfac-lr"));
        double kfacDamping = Double.parseDouble(o.get("--kfac-damping"));
        int periods = Integer.parseInt(o.get("--kfac-periods"));
        int limit = Integer.parseInt(o.get("--train-limit"));
        boolean floatAdam = Boolean.parseBoolean(o.get("--float-adam"));
        List<String> selected = Arrays.asList(o.get("--runs").split(","));
        Path out = Path.of(o.get("--out"));
        Files.createDirectories(out);

        FashionMnist fm = FashionMnist.load(Path.of(o.get("--data-dir")));
        Batch train = limit > 0 && limit < fm.train().rows() ? fm.train().slice(0, limit) : fm.train();
        Batch test = fm.test();
        MultilayerPerceptron mlp = MultilayerPerceptron.of(784, Likelihoods.categorical(FashionMnist.CLASSES))
                .withHidden(256).withActivation(Activation.RELU);
        StringBuilder csv = new StringBuilder("run,seed,epoch,seconds,test_accuracy\n");
        System.out.printf(Locale.ROOT, "dl4j-bench: %s, %d train, batch %d, target %.2f, load %s%n", mlp.describe(),
                train.rows(), batchSize, target, load());
        Map<String, List<double[]>> results = new LinkedHashMap<>(); // run -> per seed {epochs, seconds, s/epoch}
        boolean identical = true;
        for (long seed : seeds) {
            double[] theta0 = mlp.initialParameters(seed);
            OptimizerFactory kfac = LayerwiseNaturalGradient.kfac().withStepSize(kfacLr).withDamping(kfacDamping)
                    .withSeed(seed).withCurvaturePeriod(periods).withInversePeriod(periods);
            List<Runner> runners = new ArrayList<>();
            MultiLayerNetwork adamNet = network(seed, adamLr, DataType.DOUBLE, theta0);
            runners.add(new Runner("dl4j-adam", (b, d, f) -> adamNet.fit(d), () -> adamNet.params().toDoubleVector()));
            MultiLayerNetwork kfacNet = network(seed, adamLr, DataType.DOUBLE, theta0);
            Dl4jTrainer trainer = Dl4jTrainer.of(kfacNet, kfac);
            runners.add(new Runner("kfac-dl4j", (b, d, f) -> trainer.step(d), () -> kfacNet.params().toDoubleVector()));
            Optimizer own = kfac.build(mlp);
            double[] theta = theta0.clone();
            runners.add(new Runner("kfac-mlp", (b, d, f) -> own.step(theta, b), theta::clone));
            if (floatAdam) {
                MultiLayerNetwork floatNet = network(seed, adamLr, DataType.FLOAT, theta0);
                runners.add(new Runner("dl4j-adam-float", (b, d, f) -> floatNet.fit(f),
                        () -> floatNet.params().castTo(DataType.DOUBLE).toDoubleVector()));
            }
            runners.removeIf(r -> !selected.contains(r.name));
            if (seed == seeds[0]) {
                warmUp(mlp, kfac, train, adamLr, theta0);
            }
            Runner kfacDl4j = runners.stream().filter(r -> r.name.equals("kfac-dl4j")).findFirst().orElse(null);
            Runner kfacMlp = runners.stream().filter(r -> r.name.equals("kfac-mlp")).findFirst().orElse(null);
            List<Runner> reversed = new ArrayList<>(runners);
            java.util.Collections.reverse(reversed);
            int minibatch = 0;
            for (int epoch = 0; epoch < maxEpochs && runners.stream().anyMatch(r -> r.active); epoch++) {
                for (Batch b : Minibatches.epoch(train, batchSize, seed, epoch)) {
                    DataSet data = dataSet(b);
                    DataSet floatData = floatAdam ? new DataSet(data.getFeatures().castTo(DataType.FLOAT),
                            data.getLabels().castTo(DataType.FLOAT)) : null;
                    // forwards on even minibatches, backwards on odd ones: no run always goes first
                    for (Runner r : minibatch++ % 2 == 0 ? runners : reversed) {
                        if (r.active) {
                            long t0 = System.nanoTime();
                            r.step(b, data, floatData);
                            long t = System.nanoTime() - t0;
                            r.nanos += t;
                            r.steps.add(t);
                        }
                    }
                }
                for (Runner r : runners) {
                    if (!r.active) {
                        continue;
                    }
                    double accuracy = Evaluation.of(mlp, r.theta(), test).accuracy();
                    double seconds = r.nanos * 1e-9;
                    r.trace.add(new double[] {epoch + 1, seconds, accuracy});
                    csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.4f%n", r.name, seed, epoch + 1, seconds,
                            accuracy));
                    System.out.printf(Locale.ROOT, "  seed %d %-15s epoch %2d  %7.1f s  test accuracy %.4f  (load %s)%n",
                            seed, r.name, epoch + 1, seconds, accuracy, load());
                    if (accuracy >= target) {
                        r.active = false;
                    }
                }
                if (kfacDl4j != null && kfacMlp != null && kfacDl4j.trace.size() == kfacMlp.trace.size()) {
                    boolean same = Arrays.equals(kfacDl4j.theta(), kfacMlp.theta());
                    identical &= same;
                    if (!same) {
                        System.out.println("  kfac-dl4j and kfac-mlp differ after epoch " + (epoch + 1));
                    }
                }
            }
            for (Runner r : runners) {
                double[] last = r.trace.get(r.trace.size() - 1);
                boolean reached = last[2] >= target;
                double[] sorted = r.steps.stream().mapToDouble(t -> t * 1e-6).sorted().toArray();
                results.computeIfAbsent(r.name, k -> new ArrayList<>()).add(new double[] {
                        reached ? last[0] : Double.NaN, reached ? last[1] : Double.NaN, last[1] / last[0],
                        sorted[sorted.length / 2]});
            }
            Files.writeString(out.resolve("runs.csv"), csv);
        }
        String summary = summary(results, seeds, target, identical, String.join(" ", args));
        Files.writeString(out.resolve("summary.md"), summary);
        System.out.println(summary);
    }

    /**
     * Ten untimed steps of K-FAC on a throwaway DL4J network and MLP and of DL4J's Adam, before the first seed's
     * timed runs, so that no run is charged the JIT compilation of code the others share.
     */
    private static void warmUp(MultilayerPerceptron mlp, OptimizerFactory kfac, Batch train, double adamLr,
            double[] theta0) {
        MultiLayerNetwork adam = network(0, adamLr, DataType.DOUBLE, theta0);
        Dl4jTrainer trainer = Dl4jTrainer.of(network(0, adamLr, DataType.DOUBLE, theta0), kfac);
        Optimizer own = kfac.build(mlp);
        double[] theta = theta0.clone();
        int step = 0;
        for (Batch b : Minibatches.epoch(train, 1000, 12345, 0)) {
            DataSet d = dataSet(b);
            adam.fit(d);
            trainer.step(d);
            own.step(theta, b);
            if (++step == 10) {
                break;
            }
        }
    }

    /** A 784-256-10 ReLU softmax network with DL4J's Adam updater and θ₀ as its parameters. */
    private static MultiLayerNetwork network(long seed, double adamLr, DataType type, double[] theta0) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).dataType(type)
                .updater(new Adam(adamLr, 0.9, 0.999, 1e-8)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(256).nOut(FashionMnist.CLASSES)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .build());
        net.init();
        net.params().assign(Nd4j.createFromArray(theta0).reshape(net.params().shape()).castTo(type));
        return net;
    }

    /** A natgrad minibatch as a DL4J data set: features N × 784, one-hot labels N × 10 (double). */
    private static DataSet dataSet(Batch b) {
        int n = b.rows();
        double[] oneHot = new double[n * FashionMnist.CLASSES];
        double[] y = b.y();
        for (int i = 0; i < n; i++) {
            oneHot[i * FashionMnist.CLASSES + (int) y[i]] = 1.0;
        }
        INDArray labels = Nd4j.create(oneHot, new long[] {n, FashionMnist.CLASSES}, DataType.DOUBLE);
        return new DataSet(b.features(), labels);
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length * 2 <= rows.size()) {
            return Double.NaN; // the median run did not reach the target
        }
        double[] all = rows.stream().mapToDouble(r -> Double.isNaN(r[column]) ? Double.POSITIVE_INFINITY : r[column])
                .sorted().toArray();
        int m = all.length;
        return m % 2 == 1 ? all[m / 2] : (all[m / 2 - 1] + all[m / 2]) / 2;
    }

    private static String summary(Map<String, List<double[]>> results, long[] seeds, double target, boolean identical,
            String args) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Fashion-MNIST 784-256-10 ReLU, seeds %s, target %.0f%% test accuracy; "
                + "arguments: %s; load at the end %s; CPU %s%n%n", Arrays.toString(seeds), 100 * target, args, load(),
                cpu()));
        s.append("| run | epochs to target (median) | seconds to target (median) | seconds per epoch (median) "
                + "| ms per step (median) | runs reaching target |\n|---|---|---|---|---|---|\n");
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (var e : results.entrySet()) {
            List<double[]> rows = e.getValue();
            double[] m = {median(rows, 0), median(rows, 1), median(rows, 2), median(rows, 3)};
            medians.put(e.getKey(), m);
            long reached = rows.stream().filter(r -> !Double.isNaN(r[0])).count();
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.1f | %d of %d |%n", e.getKey(),
                    Double.isNaN(m[0]) ? "not reached" : String.format(Locale.ROOT, "%.0f", m[0]),
                    Double.isNaN(m[1]) ? "not reached" : String.format(Locale.ROOT, "%.1f", m[1]), m[2], m[3], reached,
                    rows.size()));
        }
        double[] kd = medians.get("kfac-dl4j");
        double[] km = medians.get("kfac-mlp");
        for (String adam : List.of("dl4j-adam", "dl4j-adam-float")) {
            double[] a = medians.get(adam);
            if (a != null && kd != null) {
                s.append(String.format(Locale.ROOT, "%nK-FAC on the DL4J network / %s: seconds to target %.2f "
                        + "(target <= 0.6), epochs to target %.2f; per seed (paired, the runs interleaved) %s",
                        adam, kd[1] / a[1], kd[0] / a[0],
                        pairedRatios(results.get("kfac-dl4j"), results.get(adam), 1)));
            }
        }
        if (kd != null && km != null) {
            s.append(String.format(Locale.ROOT, "%nAdapter overhead, K-FAC on the DL4J network / on natgrad's MLP "
                    + "(target <= 1.2): seconds per epoch %.3f, per seed %s; median ms per step %.3f, per seed %s%n",
                    kd[2] / km[2], pairedRatios(results.get("kfac-dl4j"), results.get("kfac-mlp"), 2),
                    kd[3] / km[3], pairedRatios(results.get("kfac-dl4j"), results.get("kfac-mlp"), 3)));
            s.append("K-FAC on the DL4J network and on natgrad's MLP reached bit-identical parameters after every "
                    + "epoch: " + (identical ? "yes" : "NO") + "\n");
        }
        return s.toString();
    }

    /** Seed-by-seed ratios a/b of one column, e.g. "[0.39, 0.41, 0.12] (median 0.39)". */
    private static String pairedRatios(List<double[]> a, List<double[]> b, int column) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i)[column] / b.get(i)[column];
        }
        double[] sorted = Arrays.stream(r).map(x -> Double.isNaN(x) ? Double.POSITIVE_INFINITY : x).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        StringBuilder out = new StringBuilder("[");
        for (double x : r) {
            out.append(out.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.2f", x));
        }
        return out.append(String.format(Locale.ROOT, "] (median %.2f)", median)).toString();
    }

    private static String load() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%.2f", l);
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown")
                    + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
