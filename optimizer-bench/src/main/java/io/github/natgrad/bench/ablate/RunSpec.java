package io.github.natgrad.bench.ablate;

import java.util.List;

/**
 * One run of a study: its place in grid order, its problem and its value on each axis of the study
 * (in the study's axis order; empty where the axis does not apply).
 *
 * @param index   the position in grid order (problems major, then the axes in file order)
 * @param problem the index of the problem
 * @param values  the canonical value per study axis, "" where the axis does not apply
 */
public record RunSpec(int index, int problem, List<String> values) {

    /** The run's identity in runs.csv: problem name and axis values, comma-separated. */
    public String key(String problemName) {
        return problemName + "," + String.join(",", values);
    }
}
