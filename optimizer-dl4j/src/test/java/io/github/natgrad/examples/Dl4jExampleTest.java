package io.github.natgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The README's "With Deeplearning4j" example learns, saves a network DL4J reloads, and is the code the README
 * shows: the first {@code java} block under "## With Deeplearning4j" is this file verbatim from its first
 * import to its end (the package line left out).
 */
class Dl4jExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/io/github/natgrad/examples/Dl4jExample.java");

    @Test
    void theExampleLearnsAndTheSavedNetworkPredictsTheSame(@TempDir Path dir) throws IOException {
        DataSetIterator test = Dl4jExample.data(1000, 2);
        double[] counts = new double[3];
        while (test.hasNext()) {
            INDArray labels = test.next().getLabels();
            for (int c = 0; c < 3; c++) {
                counts[c] += labels.getColumn(c).sumNumber().doubleValue();
            }
        }
        test.reset();
        double majority = Math.max(counts[0], Math.max(counts[1], counts[2])) / 1000;
        Path file = dir.resolve("network.zip");
        Evaluation evaluation = Dl4jExample.train(Dl4jExample.data(3000, 1), test, file.toFile());
        assertTrue(evaluation.accuracy() > majority + 0.15, "accuracy " + evaluation.accuracy() + " vs majority "
                + majority);

        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file.toFile());
        Evaluation again = restored.evaluate(Dl4jExample.data(1000, 2));
        assertEquals(evaluation.accuracy(), again.accuracy(), 0.0);
        assertArrayEquals(evaluation.getConfusionMatrix().toCSV().getBytes(), again.getConfusionMatrix().toCSV()
                .getBytes());
    }

    @Test
    void theReadmeShowsThisFileVerbatim() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("\n## With Deeplearning4j\n");
        assertTrue(section >= 0, "README.md has no '## With Deeplearning4j' section");
        int open = readme.indexOf("```java\n", section);
        int close = readme.indexOf("\n```\n", open);
        assertTrue(open >= 0 && close > open, "no ```java block in README.md's '## With Deeplearning4j'");
        String source = Files.readString(SOURCE);
        assertEquals(source.substring(source.indexOf("\nimport ") + 1), readme.substring(open + 8, close + 1),
                "README.md's Deeplearning4j example must be " + SOURCE + " without its package line, verbatim");
    }
}
