package io.github.natgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.StepReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's training loop runs, converges, and is the code the README shows: the README's first
 * {@code java} block under "A training loop" is this file verbatim from its first import to its end (only
 * the package line is left out), so what a user copies compiles as printed.
 */
class TrainingLoopExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/io/github/natgrad/examples/TrainingLoopExample.java");

    @Test
    void theExampleConverges() {
        List<StepReport> reports = TrainingLoopExample.train();
        assertEquals(10, reports.size());
        assertEquals(Math.log(2), reports.get(0).loss(), 1e-12, "theta = 0 gives loss log 2");
        StepReport last = reports.get(9);
        assertTrue(last.loss() < 0.5, "loss " + last.loss());
        assertTrue(last.gradientNorm() < 1e-8, "NGD converges quadratically here: |g| " + last.gradientNorm());
    }

    /** The README's java block after the heading {@code ## A training loop}. */
    static String readmeBlock(String readme) {
        int section = readme.indexOf("\n## A training loop\n");
        assertTrue(section >= 0, "README.md has no section '## A training loop'");
        int open = readme.indexOf("```java\n", section);
        int close = readme.indexOf("\n```\n", open);
        assertTrue(open >= 0 && close > open, "no ```java block in README.md's '## A training loop'");
        return readme.substring(open + "```java\n".length(), close + 1);
    }

    @Test
    void theReadmeShowsThisFileVerbatimImportsIncluded() throws IOException {
        String source = Files.readString(SOURCE);
        String withoutPackage = source.substring(source.indexOf("\nimport ") + 1);
        String block = readmeBlock(Files.readString(Path.of("..", "README.md")));
        assertEquals(withoutPackage, block, "README.md's training loop must be " + SOURCE + " without its package "
                + "line, verbatim; copy the file into the README (or the README's block into the file)");
    }
}
