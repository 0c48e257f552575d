package io.github.natgrad.spark;

import io.github.natgrad.cli.Main;

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
        Main.exitOnSpark("ablate", args);
    }
}
