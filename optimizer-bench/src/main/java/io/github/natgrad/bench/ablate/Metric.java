package io.github.natgrad.bench.ablate;

import java.util.Arrays;
import java.util.List;

/**
 * What a study optimises when it picks the best run: the final or the best objective over the run, the
 * iterations or seconds it took to bring the objective to a target (infinite when it never did) — all
 * lowest best — or the accuracy on the problems' held-out split (highest best).
 */
public enum Metric {
    /** The objective after the last iteration. */
    FINAL_OBJECTIVE("final-objective", false),
    /** The lowest objective seen during the run. */
    BEST_OBJECTIVE("best-objective", false),
    /** The first iteration at which the objective is at most the target. */
    ITERATIONS_TO_TARGET("iterations-to-target", true),
    /** The seconds until the objective is at most the target. */
    SECONDS_TO_TARGET("seconds-to-target", true),
    /**
     * The fraction of the held-out examples (a problem's {@code test-fraction} or {@code test-file}) the final
     * iterate classifies right ({@link io.github.natgrad.training.Evaluation}); classification problems only.
     */
    TEST_ACCURACY("test-accuracy", false);

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

    /**
     * Whether the metric lies in a fixed bounded range (an accuracy, in [0, 1]): such a metric is plotted
     * on a linear scale, never a logarithmic one.
     */
    public boolean bounded() {
        return this == TEST_ACCURACY;
    }

    /** Whether the metric needs a target. */
    public boolean needsTarget() {
        return target;
    }

    /** Whether a higher value is better (accuracy); otherwise lower is. */
    public boolean higherIsBetter() {
        return this == TEST_ACCURACY;
    }

    /** Whether {@code a} is strictly better than {@code b} under this metric. */
    public boolean better(double a, double b) {
        return higherIsBetter() ? a > b : a < b;
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
                + Arrays.stream(values()).map(Metric::label).toList());
    }
}
