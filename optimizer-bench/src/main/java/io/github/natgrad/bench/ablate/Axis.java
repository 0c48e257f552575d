package io.github.natgrad.bench.ablate;

import java.util.List;
import java.util.Map;

/**
 * One axis a study can vary: how its values are written in the study file, which values exist, when the
 * axis applies to a run (the damping does not apply to gradient descent), and the builder setting each
 * value becomes. Axes are looked up by name in {@link Axes}; a value the library cannot run yet is an
 * error on load, with the known values.
 */
public interface Axis {
    /** The name used in the study file and as the runs.csv column, e.g. {@code step-size}. */
    String name();

    /** One line for the README and {@code --help}. */
    String description();

    /** The symbolic values this axis accepts (empty for numeric axes). */
    List<String> known();

    /** The canonical text of each value written at {@code node} (a value, a list, or a generator). */
    List<String> parse(StudyNode node);

    /**
     * Whether the axis applies to a run with these (canonical) values of the other axes; where it does
     * not, the run has no value for it and the grid does not multiply over it.
     */
    boolean appliesTo(Map<String, String> run);

    /** Sets {@code value} (canonical) on the setting. */
    void apply(String value, RunSetting setting);
}
