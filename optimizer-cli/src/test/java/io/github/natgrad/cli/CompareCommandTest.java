package io.github.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compare command end to end, as a user runs it. */
class CompareCommandTest {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsOneRowPerPreconditionerAndNaturalGradientReachesTheTarget() {
        String out = run("compare", "--n", "400", "--p", "6", "--steps", "30", "--seed", "3");
        List<String> rows = out.lines().filter(l -> l.matches("^(gradient descent|fisher|mc-fisher|empirical-fisher"
                + "|gauss-newton|hessian)\\s.*")).toList();
        assertEquals(6, rows.size(), out);
        String fisher = rows.stream().filter(l -> l.startsWith("fisher ")).findFirst().orElseThrow();
        assertTrue(!fisher.contains("not reached"), fisher);
    }

    @Test
    void helpIsAvailable() {
        String out = run("compare", "--help");
        assertTrue(out.contains("--steps"), out);
    }

    @Test
    void whenEveryGradientDescentRunDivergesTheTableSaysSoInsteadOfHoldingANullRow() {
        List<CompareCommand.Row> diverged = List.of(new CompareCommand.Row("gradient descent", 1, Double.NaN, -1, 3.0),
                new CompareCommand.Row("gradient descent", 10, Double.POSITIVE_INFINITY, -1, 3.0));
        assertTrue(CompareCommand.bestGradientDescent(diverged).isEmpty());
        String line = CompareCommand.line(new CompareCommand.Row("gradient descent", Double.NaN, Double.NaN, -1,
                Double.NaN));
        assertTrue(line.matches("gradient descent\\s+every\\s+diverged\\s+not reached\\s+-"), line);
    }

    @Test
    void theBestGradientDescentRunIsTheLowestFinalLossAmongThoseThatDidNotDivergeFirstOnTies() {
        List<CompareCommand.Row> runs = List.of(new CompareCommand.Row("gd", 1e-3, 0.7, -1, 1),
                new CompareCommand.Row("gd", 1e-2, 0.5, -1, 1), new CompareCommand.Row("gd", 1e-1, Double.NaN, -1, 1),
                new CompareCommand.Row("gd", 1, 0.5, 12, 1));
        assertEquals(1e-2, CompareCommand.bestGradientDescent(runs).orElseThrow().stepSize());
    }
}
