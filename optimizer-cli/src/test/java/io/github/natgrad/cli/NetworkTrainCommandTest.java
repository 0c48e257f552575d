package io.github.natgrad.cli;

import io.github.natgrad.training.TrainStatus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.training.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --model mlp on a slice of Fashion-MNIST: trace, checkpoint, a resumed run equal to a straight one. */
class NetworkTrainCommandTest {

    private static String dataDir() {
        String dir = System.getProperty("natgrad.data.dir");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir, "fashion-mnist")),
                "natgrad.data.dir does not hold fashion-mnist");
        return dir;
    }

    private static int train(Path out, int epochs, boolean resume, String optimizer) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--model", "mlp", "--hidden", "16", "--batch-size", "250",
                "--train-limit", "1000", "--epochs", String.valueOf(epochs), "--optimizer", optimizer, "--data-dir",
                dataDir(), "--out", out.toString(), "--seed", "3"));
        if (resume) {
            args.add("--resume");
        }
        return Main.run(args.toArray(String[]::new));
    }

    private static List<String> withoutSeconds(Path trace) throws IOException {
        return Files.readAllLines(trace).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void aResumedRunContinuesExactlyWhereTheStraightRunGoes(@TempDir Path dir) throws IOException {
        for (String optimizer : List.of("kfac")) { // the first-order optimizers' resume is tested in optimizer-ngd
            Path straight = dir.resolve(optimizer + "-straight");
            Path resumed = dir.resolve(optimizer + "-resumed");
            assertEquals(0, train(straight, 2, false, optimizer));
            assertEquals(0, train(resumed, 1, false, optimizer));
            assertEquals(0, train(resumed, 2, true, optimizer));
            List<String> a = withoutSeconds(straight.resolve("trace.csv"));
            assertEquals(3, a.size());
            assertEquals("epoch,train_loss,test_loss,test_accuracy", a.get(0));
            assertEquals(a, withoutSeconds(resumed.resolve("trace.csv")));
            MultilayerPerceptron net = MultilayerPerceptron.of(784, Likelihoods.categorical(10)).withHidden(16)
                    .withActivation(Activation.RELU);
            Checkpoint x = Checkpoint.load(straight.resolve("checkpoint.state"), net);
            Checkpoint y = Checkpoint.load(resumed.resolve("checkpoint.state"), net);
            assertArrayEquals(x.theta(), y.theta(), 0.0);
            assertNotEquals(a.get(1), a.get(2), "the second epoch changed something");
            double accuracy = Double.parseDouble(a.get(2).split(",")[3]);
            assertTrue(accuracy > 0.4, optimizer + " test accuracy " + accuracy + " after 2 epochs on 1000 images");
        }
    }

    @Test
    void aDivergedRunExitsWith6AndSaysSoInResultJson(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("diverged");
        int code = Main.run("train", "--model", "mlp", "--hidden", "16", "--batch-size", "250", "--train-limit", "1000",
                "--epochs", "2", "--optimizer", "sgd", "--step-size", "1e12", "--data-dir", dataDir(), "--out", out.toString(),
                "--seed", "3");
        assertEquals(TrainStatus.DIVERGED.exitCode(), code);
        String result = Files.readString(out.resolve("result.json"));
        assertTrue(result.contains("\"status\" : \"diverged\""), result);
        assertTrue(result.contains("rose above 100x the first step's"), result);

        Path fine = dir.resolve("fine");
        assertEquals(0, train(fine, 1, false, "sgd"));
        assertTrue(Files.readString(fine.resolve("result.json")).contains("\"status\" : \"ok\""));
    }

    @Test
    void badRequestsFailWithAnExitCode(@TempDir Path dir) {
        assertNotEquals(0, train(dir.resolve("a"), 1, false, "lbfgs"));
        assertNotEquals(0, train(dir.resolve("b"), 1, true, "adam")); // nothing to resume
        assertNotEquals(0, Main.run("train-network", "--optimizer", "ngd", "--data-dir", dataDir(), "--out",
                dir.resolve("c").toString())); // 203 530 parameters: dense NGD refused
    }
}
