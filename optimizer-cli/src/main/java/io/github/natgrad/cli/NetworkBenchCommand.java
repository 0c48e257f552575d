package io.github.natgrad.cli;

import io.github.natgrad.bench.options.DataDirOption;
import io.github.natgrad.bench.options.OutDirOption;
import io.github.natgrad.bench.train.NetworkRun;
import io.github.natgrad.bench.train.OptimizerChoice;

import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.bench.plots.Charts;
import io.github.natgrad.datasets.FashionMnist;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The optimizer benchmark on Fashion-MNIST: K-FAC, Adam and SGD with momentum on the same network
 * (784-256-10 ReLU by default), the same initialisation and the same minibatches per seed. Each
 * optimizer's step size is tuned on a small grid with the first seed (best test accuracy after the tuning
 * epochs); the best is then run with every seed, the optimizers interleaved seed by seed. Reports, per optimizer, the median over seeds of the
 * epochs and seconds to the target test accuracy and the accuracy after 5 epochs; draws test accuracy
 * against seconds and against epochs (PNG + SVG). Every finished run is kept in {@code OUT/runs.csv}
 * (atomically): an interrupted benchmark run again skips what is done.
 */
@Command(name = "network-bench", mixinStandardHelpOptions = true,
        description = "Benchmark K-FAC, Adam and SGD on Fashion-MNIST: step-size grid, seeds, time and epochs to a target accuracy, figures.")
public final class NetworkBenchCommand implements Callable<Integer> {

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--hidden", split = ",", defaultValue = "256", description = "hidden widths (default ${DEFAULT-VALUE})")
    int[] hidden;

    @Option(names = "--batch-size", defaultValue = "512", description = "minibatch size for all (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "12", description = "at most this many epochs per final run; a run stops "
            + "once it has done --min-epochs and reached the target (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--min-epochs", defaultValue = "5", description = "epochs every final run does (default ${DEFAULT-VALUE})")
    int minEpochs;

    @Option(names = "--tune-epochs", defaultValue = "2", description = "epochs per tuning run (default ${DEFAULT-VALUE})")
    int tuneEpochs;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2", description = "seeds (default ${DEFAULT-VALUE})")
    long[] seeds;

    @Option(names = "--grid", split = ";", defaultValue = "kfac=0.1,0.2,0.4;adam=0.0005,0.001,0.002;sgd=0.02,0.05,0.1",
            description = "step-size grid per optimizer (default ${DEFAULT-VALUE})")
    String[] grid;

    @Option(names = "--kfac-lambda", defaultValue = "0.01", description = "K-FAC's initial damping lambda (default ${DEFAULT-VALUE})")
    double kfacDamping;

    @Option(names = "--kfac-damping", hidden = true, description = "the former spelling of --kfac-lambda")
    Double kfacDampingAlias;

    @Option(names = "--kfac-curvature-period", defaultValue = "1", description = "K-FAC curvature update period (default ${DEFAULT-VALUE})")
    int curvaturePeriod;

    @Option(names = "--kfac-inverse-period", defaultValue = "5", description = "K-FAC inverse update period (default ${DEFAULT-VALUE})")
    int inversePeriod;

    @Option(names = "--target", defaultValue = "0.88", description = "target test accuracy (default ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--train-limit", defaultValue = "0", description = "first N training examples only (0 = all)")
    int trainLimit;

    @Mixin
    OutDirOption.Defaulted out = new OutDirOption.Defaulted("results/network-bench");

    /** One finished run: its configuration and its trace. */
    record Run(String optimizer, double stepSize, long seed, int requested, List<NetworkRun.Epoch> trace) {
        String key() {
            return optimizer + "," + stepSize + "," + seed + "," + requested;
        }
    }

    private final Map<String, Run> done = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        if (kfacDampingAlias != null) {
            kfacDamping = kfacDampingAlias;
        }
        MultilayerPerceptron net = MultilayerPerceptron.of(784, Likelihoods.categorical(FashionMnist.CLASSES))
                .withHidden(hidden).withActivation(Activation.RELU);
        FashionMnist fm = NetworkTrainCommand.load("fashion-mnist", dataDir.orShared());
        Batch train = trainLimit > 0 && trainLimit < fm.train().rows() ? fm.train().slice(0, trainLimit) : fm.train();
        Path runsFile = out.dir.resolve("runs.csv");
        readRuns(runsFile);
        System.out.printf("network-bench: %s, %d train, batch %d, load %s%n", net.describe(), train.rows(), batchSize,
                load());
        Map<String, double[]> grids = new LinkedHashMap<>();
        for (String g : grid) {
            String[] kv = g.split("=");
            grids.put(kv[0].trim().toLowerCase(Locale.ROOT),
                    Arrays.stream(kv[1].split(",")).mapToDouble(Double::parseDouble).toArray());
        }
        Map<String, Double> best = new LinkedHashMap<>();
        StringBuilder tuning = new StringBuilder("| optimizer | step size | test accuracy after " + tuneEpochs
                + " epochs (seed " + seeds[0] + ") | seconds |\n|---|---|---|---|\n");
        for (Map.Entry<String, double[]> e : grids.entrySet()) {
            double bestAcc = -1;
            for (double lr : e.getValue()) {
                Run r = run(net, train, fm.test(), e.getKey(), lr, seeds[0], tuneEpochs, tuneEpochs, runsFile);
                NetworkRun.Epoch last = r.trace().get(r.trace().size() - 1);
                tuning.append(String.format(Locale.ROOT, "| %s | %g | %.4f | %.1f |%n", e.getKey(), lr, last.testAccuracy(),
                        last.seconds()));
                if (last.testAccuracy() > bestAcc) {
                    bestAcc = last.testAccuracy();
                    best.put(e.getKey(), lr);
                }
            }
        }
        // seeds outside, optimizers inside: each seed's runs are close in time, so a change of the machine's
        // load hits every optimizer alike
        Map<String, List<Run>> finals = new LinkedHashMap<>();
        for (long seed : seeds) {
            for (Map.Entry<String, Double> e : best.entrySet()) {
                finals.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(run(net, train, fm.test(), e.getKey(), e.getValue(), seed, epochs, minEpochs, runsFile));
            }
        }
        String summary = summary(net, train.rows(), finals, best, tuning.toString());
        AtomicFiles.write(out.dir.resolve("summary.md"), summary);
        figures(finals);
        System.out.println(summary);
        return 0;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private OptimizerFactory config(MultilayerPerceptron net, String name, double lr, long seed) {
        if (name.equals("kfac")) {
            return LayerwiseNaturalGradient.kfac().withStepSize(lr).withDamping(kfacDamping).withSeed(seed)
                    .withCurvaturePeriod(curvaturePeriod).withInversePeriod(inversePeriod);
        }
        return OptimizerChoice.parse(name).configure(net, lr, Double.NaN, seed);
    }

    private Run run(MultilayerPerceptron net, Batch train, Batch test, String name, double lr, long seed, int nEpochs,
            int atLeast, Path runsFile) {
        Run cached = done.get(name + "," + lr + "," + seed + "," + nEpochs);
        if (cached != null) {
            System.out.printf("%s lr %g seed %d: done before%n", name, lr, seed);
            return cached;
        }
        Optimizer opt = config(net, name, lr, seed).build(net);
        double[] theta = net.initialParameters(seed);
        System.out.printf("%s lr %g seed %d (load %s)%n", name, lr, seed, load());
        List<NetworkRun.Epoch> trace;
        try {
            trace = NetworkRun.train(net, opt, theta, train, test, batchSize, seed, 0, nEpochs, 0.0, null,
                    row -> System.out.println("  " + row.csv()),
                    row -> row.epoch() >= atLeast && row.testAccuracy() >= target);
        } catch (IllegalStateException diverged) {
            System.out.println("  diverged: " + diverged.getMessage());
            trace = List.of(new NetworkRun.Epoch(1, Double.NaN, Double.NaN, 0.0, Double.NaN));
        }
        Run r = new Run(name, lr, seed, nEpochs, trace);
        done.put(r.key(), r);
        StringBuilder csv = new StringBuilder("optimizer,step_size,seed,epochs," + NetworkRun.Epoch.HEADER + "\n");
        for (Run x : done.values()) {
            for (NetworkRun.Epoch e : x.trace()) {
                csv.append(x.optimizer()).append(',').append(x.stepSize()).append(',').append(x.seed()).append(',')
                        .append(x.requested()).append(',').append(e.csv()).append('\n');
            }
        }
        AtomicFiles.write(runsFile, csv.toString());
        return r;
    }

    private void readRuns(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Map<String, List<NetworkRun.Epoch>> traces = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("optimizer")) {
                continue;
            }
            String[] f = line.split(",", 5);
            String key = f[0] + "," + Double.parseDouble(f[1]) + "," + Long.parseLong(f[2]) + "," + Integer.parseInt(f[3]);
            traces.computeIfAbsent(key, k -> new ArrayList<>()).add(NetworkRun.Epoch.parse(f[4]));
        }
        traces.forEach((k, t) -> {
            String[] f = k.split(",");
            done.put(k, new Run(f[0], Double.parseDouble(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), t));
        });
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    /** The first epoch reaching the target, or NaN. */
    private NetworkRun.Epoch reached(Run r) {
        for (NetworkRun.Epoch e : r.trace()) {
            if (e.testAccuracy() >= target) {
                return e;
            }
        }
        return null;
    }

    private String summary(MultilayerPerceptron net, int n, Map<String, List<Run>> finals, Map<String, Double> best,
            String tuning) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Fashion-MNIST, %s, %d training examples, batch %d, %s epochs, seeds %s, "
                + "target %.0f%% test accuracy; K-FAC damping %g, periods %d/%d; load at the end %s.%n%n", net.describe(), n,
                batchSize, epochs + " (at most; runs stop after " + minEpochs + " once at the target)", Arrays.toString(seeds), 100 * target, kfacDamping, curvaturePeriod, inversePeriod,
                load()));
        s.append("| optimizer | step size | epochs to target (median) | seconds to target (median) | test accuracy after "
                + Math.min(5, epochs) + " epochs (median) | seconds per epoch (median) | runs reaching target |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (Map.Entry<String, List<Run>> e : finals.entrySet()) {
            List<Double> ep = new ArrayList<>();
            List<Double> sec = new ArrayList<>();
            List<Double> acc = new ArrayList<>();
            List<Double> perEpoch = new ArrayList<>();
            int reached = 0;
            for (Run r : e.getValue()) {
                NetworkRun.Epoch hit = reached(r);
                ep.add(hit == null ? Double.POSITIVE_INFINITY : hit.epoch());
                sec.add(hit == null ? Double.POSITIVE_INFINITY : hit.seconds());
                reached += hit == null ? 0 : 1;
                int idx = Math.min(5, r.trace().size()) - 1;
                acc.add(r.trace().get(idx).testAccuracy());
                NetworkRun.Epoch last = r.trace().get(r.trace().size() - 1);
                perEpoch.add(last.seconds() / last.epoch());
            }
            double[] m = {median(ep), median(sec), median(acc), median(perEpoch)};
            medians.put(e.getKey(), m);
            s.append(String.format(Locale.ROOT, "| %s | %g | %s | %s | %.4f | %.1f | %d of %d |%n", e.getKey(),
                    best.get(e.getKey()), fmt(m[0], "%.0f"), fmt(m[1], "%.1f"), m[2], m[3], reached, e.getValue().size()));
        }
        double[] k = medians.get("kfac");
        double[] a = medians.get("adam");
        if (k != null && a != null) {
            s.append(String.format(Locale.ROOT, "%nK-FAC / Adam: epochs to target %s, seconds to target %s, seconds per "
                    + "epoch %.2f (targets: fewer epochs, seconds ratio at most 0.6).%n", ratio(k[0], a[0]), ratio(k[1], a[1]),
                    k[3] / a[3]));
        }
        s.append("\nStep-size tuning:\n\n").append(tuning);
        return s.toString();
    }

    private static String fmt(double v, String f) {
        return Double.isInfinite(v) ? "not reached" : String.format(Locale.ROOT, f, v);
    }

    private static String ratio(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) ? String.format(Locale.ROOT, "%.2f", x / y) : "n/a";
    }

    private void figures(Map<String, List<Run>> finals) {
        Color[] colors = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd)};
        XYChart bySeconds = Charts.lines("Fashion-MNIST test accuracy", "training seconds", "test accuracy", false);
        XYChart byEpochs = Charts.lines("Fashion-MNIST test accuracy", "epoch", "test accuracy", false);
        int c = 0;
        for (Map.Entry<String, List<Run>> e : finals.entrySet()) {
            Color color = colors[c++ % colors.length];
            boolean first = true;
            for (Run r : e.getValue()) {
                double[] ep = r.trace().stream().mapToDouble(NetworkRun.Epoch::epoch).toArray();
                double[] sec = r.trace().stream().mapToDouble(NetworkRun.Epoch::seconds).toArray();
                double[] acc = r.trace().stream().mapToDouble(NetworkRun.Epoch::testAccuracy).toArray();
                String name = e.getKey() + (first ? "" : " seed " + r.seed());
                Charts.addLine(bySeconds, name, sec, acc, color, 1.5f, first);
                Charts.addLine(byEpochs, name, ep, acc, color, 1.5f, first);
                first = false;
            }
        }
        Charts.save(bySeconds, out.dir.resolve("accuracy-vs-seconds"));
        Charts.save(byEpochs, out.dir.resolve("accuracy-vs-epochs"));
    }
}
