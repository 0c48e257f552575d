package io.github.natgrad.bench.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Without the optimizer-spark module on the classpath, --engine spark says which jar to use. */
class EnginesTest {
    @Test
    void sparkWithoutTheSparkModuleSaysWhichJarToUse() {
        assertEquals("local", Engines.byName("local").name());
        String msg = assertThrows(IllegalArgumentException.class, () -> Engines.byName("spark")).getMessage();
        assertTrue(msg.contains("optimizer-spark") && msg.contains("bin/natgrad ablate")
                && msg.contains("optimizer-cli/target/natgrad.jar"), msg);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Engines.byName("flink")).getMessage()
                .contains("unknown engine 'flink'; known here: [local]"));
    }
}
