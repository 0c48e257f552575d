package io.github.natgrad;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one place natgrad configures ND4J: double precision as the default data type (ND4J's default is
 * FLOAT, and a float × double product throws). Called by every natgrad entry point that creates or
 * reads ND4J arrays; idempotent and cheap after the first call. Users who create their own arrays before
 * touching natgrad can call {@link #useDoublePrecision()} first.
 */
public final class Nd4jDefaults {
    private static volatile boolean done;

    private Nd4jDefaults() {
    }

    /** Sets ND4J's default data types to DOUBLE (once per process). */
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
