package io.github.natgrad.cli;

import io.github.natgrad.bench.options.OutDirOption;
import io.github.natgrad.bench.options.SeedOption;
import io.github.natgrad.bench.train.NetworkRun;
import io.github.natgrad.bench.train.OptimizerChoice;
import io.github.natgrad.training.TrainStatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.datasets.FashionMnist;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.training.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains a multilayer perceptron on Fashion-MNIST with K-FAC, the dense natural gradient, Adam or SGD:
 * a trace per epoch (train loss, test loss, test accuracy, seconds) on the console and in
 * {@code OUT/trace.csv}, and a checkpoint {@code OUT/checkpoint.state} after every epoch that
 * {@code --resume} continues from, bit for bit. {@code OUT/result.json} records the status (ok, diverged,
 * all-steps-rejected; see {@link TrainStatus}), a message and the exit code, which is 0 only for ok.
 *
 * <p>Users run it as {@code train --model mlp} ({@link TrainCommand} fills in this command's fields); the
 * {@code train-network} spelling is kept as a hidden command with the same option names as {@code train}.
 */
@Command(name = "train-network", mixinStandardHelpOptions = true, hidden = true,
        description = "Train an MLP on Fashion-MNIST (kfac, ngd, adam or sgd) with a per-epoch trace and resumable checkpoints.",
        exitCodeListHeading = "%nExit codes (OUT/result.json's status):%n", exitCodeList = {
            "0:ok: every epoch ran",
            "1:failed: an error (bad input, missing data, unwritable file)",
            "2:usage error: an unknown or malformed option",
            "5:all-steps-rejected: no step of an epoch was taken",
            "6:diverged: the loss, gradient or direction became NaN or infinite, or a minibatch loss rose above 100x the first"})
public final class NetworkTrainCommand implements Callable<Integer> {

    @Option(names = "--model", description = "the model: mlp (default ${DEFAULT-VALUE})", defaultValue = "mlp")
    String model;

    @Option(names = "--data", description = "the data set: fashion-mnist (default ${DEFAULT-VALUE})",
            defaultValue = "fashion-mnist")
    String data;

    @Option(names = {"--step-size", "--lr"}, description = "step size (default, tuned at batch 1000: kfac 0.1, adam 4e-3, sgd 0.2, ngd 0.5)", defaultValue = "NaN")
    double stepSize;

    @Option(names = {"--lambda", "--damping"}, description = "initial damping lambda of kfac and ngd (default 1e-2)", defaultValue = "NaN")
    double damping;

    @Mixin
    NetworkOptions network;

    @Mixin
    SeedOption seedOption;

    @Mixin
    OutDirOption.Defaulted out = new OutDirOption.Defaulted("results/train-network");

    @Option(names = "--resume", description = "continue from OUT/checkpoint.state")
    boolean resume;

    /** The network this command's options describe. */
    MultilayerPerceptron network() {
        if (!model.equalsIgnoreCase("mlp")) {
            throw new IllegalArgumentException("unknown model '" + model + "'; this command trains --model mlp");
        }
        Activation sigma;
        try {
            sigma = Activation.valueOf(network.activation.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + network.activation + "'; choose relu, tanh or softplus");
        }
        return MultilayerPerceptron.of(784, Likelihoods.categorical(FashionMnist.CLASSES)).withHidden(network.hidden)
                .withActivation(sigma);
    }

    /** Loads Fashion-MNIST from {@code dir} or {@code dir/fashion-mnist}. */
    static FashionMnist load(String data, Path dir) throws IOException {
        if (!data.equalsIgnoreCase("fashion-mnist")) {
            throw new IllegalArgumentException("unknown data set '" + data + "'; this command reads fashion-mnist");
        }
        Path d = Files.isDirectory(dir.resolve("fashion-mnist")) ? dir.resolve("fashion-mnist") : dir;
        return FashionMnist.load(d);
    }

    @Override
    public Integer call() throws IOException {
        if (network.batchSize < 1 || network.epochs < 1) {
            throw new IllegalArgumentException("--batch-size and --epochs must be at least 1");
        }
        MultilayerPerceptron net = network();
        OptimizerChoice choice = OptimizerChoice.parse(network.optimizer);
        io.github.natgrad.OptimizerFactory config = choice.configure(net, stepSize, damping, seedOption.seed);
        Optimizer opt = config.build(net);
        FashionMnist fm = load(data, network.dataDir.orShared());
        Batch train = network.trainLimit > 0 && network.trainLimit < fm.train().rows() ? fm.train().slice(0, network.trainLimit) : fm.train();
        Path checkpoint = out.dir.resolve("checkpoint.state");
        Path traceFile = out.dir.resolve("trace.csv");
        double[] theta = net.initialParameters(seedOption.seed);
        int start = 0;
        List<NetworkRun.Epoch> trace = new ArrayList<>();
        if (resume) {
            if (!Checkpoint.exists(checkpoint)) {
                throw new IllegalArgumentException("--resume: no checkpoint at " + checkpoint + "; run without --resume first");
            }
            Checkpoint c = Checkpoint.load(checkpoint, net);
            c.optimizerState().hostDifference().ifPresent(w -> System.err.println("train-network: warning: " + w));
            opt.restore(c.optimizerState());
            theta = c.theta();
            start = c.epochs();
            if (Files.exists(traceFile)) {
                for (String line : Files.readAllLines(traceFile)) {
                    if (!line.isBlank() && !line.startsWith("epoch")) {
                        NetworkRun.Epoch row = NetworkRun.Epoch.parse(line);
                        if (row.epoch() <= start) {
                            trace.add(row);
                        }
                    }
                }
            }
            System.out.printf("resumed from %s after epoch %d%n", checkpoint, start);
        }
        System.out.printf("%s on Fashion-MNIST (%d train, %d test), %s, batch %d, seed %d%n", net.describe(), train.rows(),
                fm.test().rows(), config, network.batchSize, seedOption.seed);
        System.out.println(NetworkRun.Epoch.HEADER);
        double before = trace.isEmpty() ? 0.0 : trace.get(trace.size() - 1).seconds();
        try {
            NetworkRun.train(net, opt, theta, train, fm.test(), network.batchSize, seedOption.seed, start, network.epochs, before, checkpoint,
                    row -> {
                        trace.add(row);
                        System.out.println(row.csv());
                        StringBuilder csv = new StringBuilder(NetworkRun.Epoch.HEADER).append('\n');
                        trace.forEach(r -> csv.append(r.csv()).append('\n'));
                        AtomicFiles.write(traceFile, csv.toString());
                    });
        } catch (NetworkRun.Stopped e) {
            writeResult(e.status(), e.getMessage(), trace);
            System.err.println("train-network: " + e.status().label() + ": " + e.getMessage());
            System.err.println("(the trace of the finished epochs is in " + traceFile + ")");
            return e.status().exitCode();
        }
        String message = "ran " + network.epochs + " epochs";
        writeResult(TrainStatus.OK, message, trace);
        System.out.println("trace: " + traceFile + ", checkpoint: " + checkpoint);
        return 0;
    }

    /** OUT/result.json: status, message, exit code and the last epoch's figures. */
    private void writeResult(TrainStatus status, String message, List<NetworkRun.Epoch> trace) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status.label());
        result.put("message", message);
        result.put("exit_code", status.exitCode());
        result.put("epochs", trace.isEmpty() ? 0 : trace.get(trace.size() - 1).epoch());
        if (!trace.isEmpty()) {
            NetworkRun.Epoch last = trace.get(trace.size() - 1);
            result.put("test_loss", last.testLoss());
            result.put("test_accuracy", last.testAccuracy());
        }
        try {
            AtomicFiles.write(out.dir.resolve("result.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write result.json: " + e.getMessage(), e);
        }
    }
}
