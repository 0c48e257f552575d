package io.github.natgrad.spark;

import io.github.natgrad.cli.Main;

/**
 * A main class for spark-submit: {@code spark-submit --class io.github.natgrad.spark.SparkTrain
 * natgrad-spark-submit.jar --model logistic --data hdfs:///data/a1a --out DIR} runs {@code train --engine spark}
 * on the cluster spark-submit connects to (its {@code spark.master}).
 */
public final class SparkTrain {
    private SparkTrain() {
    }

    /** Runs {@code train --engine spark ARGS} and exits with its code. */
    public static void main(String[] args) {
        Main.exitOnSpark("train", args);
    }
}
