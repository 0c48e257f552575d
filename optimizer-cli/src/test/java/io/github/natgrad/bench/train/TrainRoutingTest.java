package io.github.natgrad.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code train --model mlp} is the network trainer; every other {@code train} the full-batch GLM trainer. */
class TrainRoutingTest {

    @Test
    void trainWithAnMlpRunsTheNetworkTrainer() {
        String out = help("train", "--model", "mlp", "--help");
        assertTrue(out.contains("--optimizer") && out.contains("--batch-size") && out.contains("--resume"), out);
        out = help("train", "--model=mlp", "--help");
        assertTrue(out.contains("--optimizer"), out);
    }

    @Test
    void trainWithAGlmRunsTheGlmTrainer() {
        String out = help("train", "--model", "logistic", "--help");
        assertTrue(out.contains("--line-search") && out.contains("--solver"), out);
        assertTrue(!out.contains("--batch-size"), out);
    }

    private static String help(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
