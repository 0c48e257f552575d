package io.github.natgrad.bench.ablate;

import java.util.Arrays;
import java.util.List;

/**
 * What a study minimises when it picks the best run: the final or the best objective over the run, or
 * the iterations or seconds it took to bring the objective to a target (infinite when it never did).
 */
public enum Metric {
    /** The objective after the last iteration. */
    FINAL_OBJECTIVE("final-objective", false),
    /** The lowest objective seen during the run. */
    BEST_OBJECTIVE("best-objective", false),
    /** The first iteration at which the objective is at most the target. */
    ITERATIONS_TO_TARGET("iterations-to-target", true),
    /** The seconds until the objective is at most the target. */
    SECONDS_TO_TARGET("seconds-to-target", true);

    private final String label;
    private final boolean target;

    Metric(String label, boolean target) {
        this.label = label;
        this.target = target;
    }

    /** The name in study files and outputs. */
    public String label() {
        return label;
    }

    /** Whether the metric needs a target. */
    public boolean needsTarget() {
        return target;
    }

    /** The metrics that read a target. */
    static List<String> targetMetrics() {
        return Arrays.stream(values()).filter(Metric::needsTarget).map(Metric::label).toList();
    }

    /** The metric called {@code name}, or an error at the node's line with the known names. */
    static Metric byName(String name, StudyNode at) {
        for (Metric m : values()) {
            if (m.label.equals(name)) {
                return m;
            }
        }
        throw at.error("unknown value '" + name + "' for metric; known: "
                + Arrays.stream(values()).map(Metric::label).toList()
                + " (test accuracy needs a held-out split, which problems do not declare yet)");
    }
}
