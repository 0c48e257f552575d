package io.github.natgrad.examples;

import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.training.Checkpoint;
import io.github.natgrad.training.Evaluation;
import io.github.natgrad.training.Minibatches;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The network training loop of docs/networks.md (K-FAC, INDArray inputs, minibatches, a checkpoint per epoch). */
final class NetworkTrainingExample {
    private NetworkTrainingExample() {
    }

    /** A seeded 3-class problem: 20 inputs in [-1/2, 1/2], labels from a fixed random two-layer teacher. */
    static INDArray[] data(int n, long seed) {
        Nd4j.getRandom().setSeed(7);
        INDArray hidden = Nd4j.randn(DataType.DOUBLE, 20, 20);
        INDArray out = Nd4j.randn(DataType.DOUBLE, 20, 3);
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, 20).subi(0.5);
        INDArray scores = org.nd4j.linalg.ops.transforms.Transforms.sin(x.mmul(hidden)).mmul(out);
        return new INDArray[] {x, scores.argMax(1).castTo(DataType.DOUBLE)};
    }

    /** Trains until {@code epochs} epochs are complete, resuming from {@code file} if it exists; test accuracy. */
    static double run(INDArray features, INDArray labels, Batch test, Path file, int epochs) throws IOException {
        // README-BEGIN
        Batch data = Batch.of(features, labels);              // N x 20 INDArray, N class indices
        MultilayerPerceptron net = MultilayerPerceptron.of(20, Likelihoods.categorical(3))
                .withHidden(32).withActivation(Activation.RELU);
        Optimizer kfac = LayerwiseNaturalGradient.kfac().withStepSize(0.2).withDamping(1e-2).build(net);
        double[] theta = net.initialParameters(42);
        int start = 0;
        if (Checkpoint.exists(file)) {                         // resume after a crash, bit for bit
            Checkpoint c = Checkpoint.load(file, net);
            theta = c.theta();
            start = c.epochs();
            kfac.restore(c.optimizerState());
        }
        for (int epoch = start; epoch < epochs; epoch++) {
            for (Batch b : Minibatches.epoch(data, 100, 42, epoch)) {  // shuffled by (seed, epoch)
                kfac.step(theta, b);
            }
            Checkpoint.save(file, net, theta, epoch + 1, kfac);    // atomic
            System.out.printf("epoch %d: test accuracy %.3f%n", epoch + 1,
                    Evaluation.of(net, theta, test).accuracy());
        }
        // README-END
        return Evaluation.of(net, theta, test).accuracy();
    }
}
