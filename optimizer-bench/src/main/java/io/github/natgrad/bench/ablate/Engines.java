package io.github.natgrad.bench.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds an {@link AblationEngine} by name: {@code local}, or one registered through {@link ServiceLoader}. */
public final class Engines {
    private Engines() {
    }

    /** The engine called {@code name}, or a message saying which module provides it. */
    public static AblationEngine byName(String name) {
        List<String> known = new ArrayList<>(List.of("local"));
        if (name.equals("local")) {
            return new LocalEngine();
        }
        for (AblationEngine e : ServiceLoader.load(AblationEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
            known.add(e.name());
        }
        if (name.equals("spark")) {
            throw new IllegalArgumentException("the spark engine is not on the classpath of this jar: run the same "
                    + "command with optimizer-spark on the class path: bin/natgrad ablate ... (the command line's jar, "
                    + "optimizer-cli/target/natgrad.jar, includes it; see docs/ablation.md)");
        }
        throw new IllegalArgumentException("unknown engine '" + name + "'; known here: " + known);
    }
}
