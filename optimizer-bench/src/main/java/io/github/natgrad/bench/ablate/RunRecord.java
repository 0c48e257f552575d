package io.github.natgrad.bench.ablate;

import java.io.Serializable;
import java.util.List;

/**
 * The outcome of one run, as runs.csv records it.
 *
 * @param run            the run index in grid order
 * @param iterations     iterations done (the budget, or where the run stopped)
 * @param finalObjective the objective at the last iterate (NaN when it is not finite or the run failed)
 * @param metric         the study's metric (infinite when a target was never reached; NaN on failure)
 * @param diverged       whether the run stopped on the divergence rule or an unfactorisable curvature
 * @param seconds        wall seconds the run took (a grid group's time shared equally by its runs)
 * @param error          why the run did not finish: for a diverged run the rule that stopped it (e.g.
 *                       "diverged at iteration 7: loss NaN"), for a failed one the exception's class and
 *                       message; "" for a run that finished
 * @param rows           the rows a unit of a {@link StudyKind} wrote (empty for a grid run, and for a unit that failed)
 */
public record RunRecord(int run, int iterations, double finalObjective, double metric, boolean diverged, double seconds,
        String error, List<List<String>> rows) implements Serializable {
    private static final long serialVersionUID = 2L;

    /** A grid run's record (no rows). */
    public RunRecord(int run, int iterations, double finalObjective, double metric, boolean diverged, double seconds,
            String error) {
        this(run, iterations, finalObjective, metric, diverged, seconds, error, List.of());
    }

    /** Whether the run threw (a diverged run has a reason in {@code error} but did not fail). */
    public boolean failed() {
        return !diverged && !error.isEmpty();
    }

    /** Whether the run counts for the best: it neither diverged nor failed. */
    public boolean usable() {
        return !diverged && !failed();
    }
}
