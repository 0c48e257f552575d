package io.github.natgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.StepReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's training loop runs, converges, and is the code the README shows. */
class TrainingLoopExampleTest {

    @Test
    void theExampleConverges() {
        List<StepReport> reports = TrainingLoopExample.run();
        assertEquals(10, reports.size());
        assertEquals(Math.log(2), reports.get(0).loss(), 1e-12, "theta = 0 gives loss log 2");
        StepReport last = reports.get(9);
        assertTrue(last.loss() < 0.5, "loss " + last.loss());
        assertTrue(last.gradientNorm() < 1e-8, "NGD converges quadratically here: |g| " + last.gradientNorm());
    }

    @Test
    void theReadmeShowsThisCode() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/github/natgrad/examples/TrainingLoopExample.java"));
        String region = source.substring(source.indexOf("// README-BEGIN\n") + 16, source.indexOf("        // README-END"));
        String expected = region.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n")).strip();
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(expected), "README.md must contain the loop of TrainingLoopExample verbatim:\n"
                + expected);
    }
}
