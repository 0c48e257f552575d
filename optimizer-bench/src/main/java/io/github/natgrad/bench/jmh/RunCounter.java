package io.github.natgrad.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts the run-iterations a benchmark advanced (JMH sample 23, {@code @AuxCounters}), as {@link FlopCounter}
 * counts flops: in average-time mode JMH reports the secondary result {@code runIterations} as the time per
 * run-iteration (µs), the unit of the reproduction's grid timings ({@code CPU-µs/run-it}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class RunCounter {
    /** Run-iterations advanced in this iteration. */
    public double runIterations;

    /** Resets the count at the start of each iteration (JMH does not). */
    @Setup(Level.Iteration)
    public void reset() {
        runIterations = 0;
    }
}
