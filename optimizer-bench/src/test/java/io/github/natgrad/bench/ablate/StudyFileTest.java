package io.github.natgrad.bench.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Study files: the grid they expand to, and the line and known choices of the first error. */
class StudyFileTest {
    private static final String BASE = """
            name: t
            problems:
              - synthetic: {generator: linear, n: 20, p: 3, seed: 1}
            axes:
              kind: [gd, fisher, ef]
              step-size: [0.1, 1]
              damping: {logspace: [-2, 0, 3]}
              iterations: 5
            """;

    private static StudyException error(String text) {
        return assertThrows(StudyException.class, () -> Study.parse("s.yaml", text));
    }

    @Test
    void dampingDoesNotMultiplyGradientDescent() {
        StudyPlan plan = StudyPlan.of(Study.parse("s.yaml", BASE));
        assertEquals(2 + 2 * 2 * 3, plan.runs().size());
        assertEquals(List.of("gd", GridValues.format(0.1), "", "5"), plan.runs().get(0).values());
        assertEquals(List.of("empirical-fisher", "1.0000000000000000", "1.0000000000000000", "5"),
                plan.runs().get(plan.runs().size() - 1).values());
        // the grid fast path: one task per (kind, step size)
        // one grid task per kind: both step sizes lie in the first block of GridPath.STEP_SIZES_PER_SWEEP
        assertEquals(3, plan.tasks().size());
        assertTrue(plan.tasks().stream().allMatch(Task::grid));
    }

    @Test
    void jsonGivesTheSamePlan() {
        String json = """
                {"name": "t", "problems": [{"synthetic": {"generator": "linear", "n": 20, "p": 3, "seed": 1}}],
                 "axes": {"kind": ["gd", "fisher", "ef"], "step-size": [0.1, 1], "damping": {"logspace": [-2, 0, 3]},
                          "iterations": 5}}
                """;
        StudyPlan a = StudyPlan.of(Study.parse("s.yaml", BASE));
        StudyPlan b = StudyPlan.of(Study.parse("s.json", json));
        assertEquals(a.keys(), b.keys());
    }

    @Test
    void unknownKeysAndValuesNameTheLineAndTheChoices() {
        StudyException e = error(BASE.replace("axes:", "axis:"));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("unknown key 'axis'") && e.getMessage().contains("known: [name,"), e.getMessage());
        e = error(BASE + "  structure: [dense, kfac]\n");
        assertEquals(9, e.line());
        assertTrue(e.getMessage().contains("unknown value 'kfac' for axis structure; known: [dense, kronecker"), e.getMessage());
        e = error(BASE + "  solver: [lu]\n");
        assertTrue(e.getMessage().contains("unknown value 'lu' for axis solver; known: [cholesky, eigen, cg"), e.getMessage());
        e = error(BASE + "  batch-size: [full, many]\n");
        assertTrue(e.getMessage().contains("unknown value 'many' for axis batch-size; known: [full, a whole number"),
                e.getMessage());
        e = error(BASE + "  momentum: [0.9]\n");
        assertEquals(9, e.line());
        assertTrue(e.getMessage().contains("unknown axis 'momentum'; known: [kind, structure"), e.getMessage());
        e = error(BASE.replace("kind: [gd, fisher, ef]", "kind: [gd, fisher, kfac]"));
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("unknown value 'kfac' for axis kind"), e.getMessage());
        e = error(BASE + "metric: test-error\n");
        assertEquals(9, e.line());
        assertTrue(e.getMessage().contains("known: [final-objective, best-objective"), e.getMessage());
        e = error(BASE.replace("generator: linear", "generator: quadratic"));
        assertEquals(3, e.line());
        e = error(BASE.replace("dataset", "x").replace("synthetic: {generator: linear, n: 20, p: 3, seed: 1}",
                "dataset: iris"));
        assertTrue(e.getMessage().contains("unknown dataset 'iris'; known: [breast-cancer"), e.getMessage());
    }

    @Test
    void badValuesAndEmptyGridsAreRefused() {
        assertTrue(error(BASE.replace("[0.1, 1]", "[]")).getMessage().contains("no values: the grid is empty"));
        assertTrue(error(BASE.replace("[0.1, 1]", "[0.1, -1]")).getMessage().contains("positive"));
        assertTrue(error(BASE.replace("iterations: 5", "iterations: 0")).getMessage().contains("at least 1"));
        assertTrue(error(BASE + "metric: iterations-to-target\n").getMessage().contains("needs target"));
        assertTrue(error(BASE.replace("fisher, ef]", "fisher, ef")).getMessage().contains("not valid YAML"));
        assertTrue(error("").getMessage().contains("empty"));
        assertTrue(error(BASE.replace("name: t", "name: a/b")).getMessage().contains("may hold only"));
        StudyException dup = error(BASE + "  kind: [gd]\n");
        assertEquals(9, dup.line());
        assertTrue(dup.getMessage().contains("appears twice"), dup.getMessage());
    }
}
