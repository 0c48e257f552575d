package io.github.natgrad.bench.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds a {@link StudyKind} by its {@code experiment:} name among those registered through
 * {@link ServiceLoader} ({@code META-INF/services/io.github.natgrad.bench.ablate.StudyKind}).
 */
public final class StudyKinds {
    /** The name of the ablation grid, the default experiment of a study file. */
    public static final String GRID = "grid";

    private StudyKinds() {
    }

    /** The kind called {@code name}, or null when there is none. */
    public static StudyKind find(String name) {
        for (StudyKind k : ServiceLoader.load(StudyKind.class, StudyKinds.class.getClassLoader())) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    /** Every experiment name a study file may give: grid and the registered kinds. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of(GRID));
        for (StudyKind k : ServiceLoader.load(StudyKind.class, StudyKinds.class.getClassLoader())) {
            names.add(k.name());
        }
        return names;
    }
}
