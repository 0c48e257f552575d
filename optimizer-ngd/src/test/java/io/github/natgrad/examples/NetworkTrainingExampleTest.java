package io.github.natgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Nd4jDefaults;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.training.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The network loop of docs/networks.md trains, resumes bit-identically, and is the code that page shows. */
class NetworkTrainingExampleTest {

    @Test
    void theLoopLearnsAndAResumedRunEqualsAnUninterruptedOne(@TempDir Path dir) throws IOException {
        Nd4jDefaults.useDoublePrecision();
        INDArray[] train = NetworkTrainingExample.data(3000, 1);
        INDArray[] test = NetworkTrainingExample.data(1000, 2);
        Batch testBatch = Batch.of(test[0], test[1]);
        double[] counts = new double[3];
        for (double y : testBatch.y()) {
            counts[(int) y]++;
        }
        double majority = Math.max(counts[0], Math.max(counts[1], counts[2])) / testBatch.rows();

        Path straight = dir.resolve("straight.ckpt");
        double accuracy = NetworkTrainingExample.run(train[0], train[1], testBatch, straight, 6);
        assertTrue(accuracy > majority + 0.15, "accuracy " + accuracy + " vs majority class " + majority);

        Path interrupted = dir.resolve("interrupted.ckpt");
        NetworkTrainingExample.run(train[0], train[1], testBatch, interrupted, 2); // "killed" after epoch 2
        double resumed = NetworkTrainingExample.run(train[0], train[1], testBatch, interrupted, 6);
        assertEquals(accuracy, resumed, 0.0);
        MultilayerPerceptron net = MultilayerPerceptron.of(20, Likelihoods.categorical(3)).withHidden(32)
                .withActivation(Activation.RELU);
        Checkpoint a = Checkpoint.load(straight, net);
        Checkpoint b = Checkpoint.load(interrupted, net);
        assertEquals(6, b.epochs());
        assertArrayEquals(a.theta(), b.theta(), 0.0);
        assertEquals(a.optimizerState(), b.optimizerState());
    }

    @Test
    void theNetworksPageShowsThisCode() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/github/natgrad/examples/NetworkTrainingExample.java"));
        String region = source.substring(source.indexOf("// README-BEGIN\n") + 16, source.indexOf("        // README-END"));
        String expected = region.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n")).strip();
        String readme = Files.readString(Path.of("..", "docs", "networks.md"));
        assertTrue(readme.contains(expected), "docs/networks.md must contain the loop of NetworkTrainingExample verbatim:\n"
                + expected);
    }
}
