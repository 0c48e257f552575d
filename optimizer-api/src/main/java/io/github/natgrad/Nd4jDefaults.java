package io.github.natgrad;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An explicit opt-in for applications: makes DOUBLE ND4J's process-wide default data type (ND4J's
 * default is FLOAT, and a float × double product throws). natgrad's library code never calls it —
 * {@code Batch.of(INDArray, INDArray)} converts its inputs locally and {@code Optimizer.step(INDArray, …)}
 * asks for a DOUBLE θ — so it is the caller's choice, for the caller's own arrays. Idempotent.
 */
public final class Nd4jDefaults {
    private static volatile boolean done;

    private Nd4jDefaults() {
    }

    /** Sets ND4J's default data types to DOUBLE, for the whole process (an application's choice). */
    public static void useDoublePrecision() {
        if (!done) {
            synchronized (Nd4jDefaults.class) {
                if (!done) {
                    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
                    done = true;
                }
            }
        }
    }
}
