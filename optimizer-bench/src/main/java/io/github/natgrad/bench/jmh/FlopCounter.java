package io.github.natgrad.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts the floating-point operations a benchmark did (JMH sample 23, {@code @AuxCounters}). Each
 * benchmark method adds its op's flop count; JMH then reports a secondary result {@code flop} next to
 * the time per op. In average-time mode that result is the time per flop (µs/flop), so
 * {@code GFLOP/s = 1e-3 / score} and {@code flops per op = time per op / time per flop};
 * {@code bench-report} does both conversions.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {
    /** Floating-point operations done in this iteration. */
    public double flop;

    /** Resets the count at the start of each iteration (JMH does not). */
    @Setup(Level.Iteration)
    public void reset() {
        flop = 0;
    }
}
