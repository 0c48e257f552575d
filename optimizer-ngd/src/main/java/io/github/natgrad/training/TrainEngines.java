package io.github.natgrad.training;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the trainer of {@code train --engine NAME}: {@code local}, or an engine registered through {@link ServiceLoader}. */
public final class TrainEngines {
    private TrainEngines() {
    }

    /** The trainer of {@code model} on engine {@code name}, or a message saying which module provides it. */
    public static Trainer trainer(String name, String model, TrainEngine.Options options) {
        if (name.equals("local")) {
            if (options.master() != null || options.partitions() != 0 || options.resume()) {
                throw new IllegalArgumentException("--master, --partitions and --resume are options of a "
                        + "distributed engine (--engine spark); the local engine reads the data into this JVM");
            }
            if (options.structure() != null) {
                throw new IllegalArgumentException("--structure is an option of a distributed engine (--engine spark); "
                        + "the local engine's structure follows --solver (cholesky, eigen, auto up to D = 1024: the "
                        + "dense matrix; cg: matrix-free)");
            }
            return Trainers.forModel(model);
        }
        List<String> known = new ArrayList<>(List.of("local"));
        for (TrainEngine e : ServiceLoader.load(TrainEngine.class)) {
            if (e.name().equals(name)) {
                if (!GlmTrainer.MODELS.contains(model)) {
                    throw new IllegalArgumentException("the " + name + " engine trains " + GlmTrainer.MODELS
                            + ", not --model " + model);
                }
                return e.trainer(options);
            }
            known.add(e.name());
        }
        if (name.equals("spark")) {
            throw new IllegalArgumentException("the spark engine is not on the classpath of this jar: run the same "
                    + "command with optimizer-spark on the class path: bin/natgrad train ... (the command line's jar, "
                    + "optimizer-cli/target/natgrad.jar, includes it; see docs/spark.md)");
        }
        throw new IllegalArgumentException("unknown --engine '" + name + "'; known here: " + known);
    }
}
