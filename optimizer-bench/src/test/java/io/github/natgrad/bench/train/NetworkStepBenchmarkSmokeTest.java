package io.github.natgrad.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs the network step benchmark once, in-process, on a small batch: it must not throw. No timing is asserted. */
class NetworkStepBenchmarkSmokeTest {

    @Test
    void everyOptimizerAndTheGemmBaselineRunOnce() throws Exception {
        System.setProperty("jmh.ignoreLock", "true"); // not a measurement
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("io\\.github\\.natgrad\\.bench\\.train\\.NetworkStepBenchmark\\.")
                .param("batch", "20")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(10))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build()).run();
        assertEquals(6, results.size()); // {step, gemm} x {adam, kfac, sgd}
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + ": " + score);
        }
    }
}
