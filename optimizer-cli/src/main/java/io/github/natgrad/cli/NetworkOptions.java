package io.github.natgrad.cli;

import io.github.natgrad.bench.options.DataDirOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a network model ({@code train --model mlp}): the multilayer perceptron's shape, the data
 * directory, the optimizer and the minibatch schedule. A picocli mixin, so that {@code train --help} lists them
 * beside the generalised linear models' options (each marked "mlp:").
 */
public final class NetworkOptions {

    /** Hidden-layer widths. */
    @Option(names = "--hidden", split = ",", paramLabel = "WIDTHS",
            description = "mlp: hidden-layer widths, e.g. 256 or 512,256 (default ${DEFAULT-VALUE})", defaultValue = "256")
    public int[] hidden;

    /** The hidden layers' activation. */
    @Option(names = "--activation", description = "mlp: relu, tanh or softplus (default ${DEFAULT-VALUE})",
            defaultValue = "relu")
    public String activation;

    /** Where the data set's files are: fashion-mnist/ in this folder, or the four IDX files themselves. */
    @Mixin
    public DataDirOption dataDir;

    /** The optimizer. */
    @Option(names = "--optimizer", description = "mlp: kfac, ngd, adam or sgd (default ${DEFAULT-VALUE})",
            defaultValue = "kfac")
    public String optimizer;

    /** Examples per minibatch. */
    @Option(names = "--batch-size", description = "mlp: minibatch size (default ${DEFAULT-VALUE})", defaultValue = "1000")
    public int batchSize;

    /** Epochs in total. */
    @Option(names = "--epochs", description = "mlp: epochs in total, counting resumed ones (default ${DEFAULT-VALUE})",
            defaultValue = "5")
    public int epochs;

    /** The first N training examples only (0 = all). */
    @Option(names = "--train-limit", description = "mlp: use only the first N training examples (0 = all 60000)",
            defaultValue = "0")
    public int trainLimit;
}
