package io.github.natgrad.spark;

import io.github.natgrad.cli.Main;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class of the spark-submit jar: {@code spark-submit --class io.github.natgrad.spark.SparkAblate
 * natgrad-spark-submit.jar --study FILE --out DIR} runs {@code ablate --engine spark} on the cluster
 * spark-submit connects to (its {@code spark.master}).
 */
public final class SparkAblate {
    private SparkAblate() {
    }

    /** Runs {@code ablate --engine spark ARGS} and exits with its code. */
    public static void main(String[] args) {
        List<String> all = new ArrayList<>(List.of("ablate", "--engine", "spark"));
        all.addAll(List.of(args));
        System.exit(Main.run(all.toArray(new String[0])));
    }
}
