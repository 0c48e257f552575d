package io.github.natgrad.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings natgrad's benchmarks start from, written once: the average time per op in µs, 3 warm-up and
 * 5 measured iterations of 1 s, one fork with a 6 GB heap, ND4J's log at warn and the Vector API module (for
 * the SIMD kernels), one state per thread. A benchmark extends this class and overrides (by annotating itself)
 * only what it does differently; JMH's annotations are inherited, and the class's own win. The fork's JVM
 * arguments are spelled by the constants below.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhDefaults.HEAP_6G, JmhDefaults.QUIET_ND4J, JmhDefaults.VECTOR_API})
@State(Scope.Thread)
public abstract class JmhDefaults {
    /** The fork's heap: 6 GB, for the largest shapes. */
    public static final String HEAP_6G = "-Xmx6g";
    /** A heap of 2 GB, for the benchmarks of small problems. */
    public static final String HEAP_2G = "-Xmx2g";
    /** A heap of 4 GB. */
    public static final String HEAP_4G = "-Xmx4g";
    /** ND4J's log at warn: no backend banner in the results. */
    public static final String QUIET_ND4J = "-Dorg.slf4j.simpleLogger.log.org.nd4j=warn";
    /** The Vector API module, which natgrad's SIMD kernels need. */
    public static final String VECTOR_API = "--add-modules=jdk.incubator.vector";

    /** For the subclasses. */
    protected JmhDefaults() {
    }
}
