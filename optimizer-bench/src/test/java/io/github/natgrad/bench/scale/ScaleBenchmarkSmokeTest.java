package io.github.natgrad.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The scale benchmarks run once, in-process, at tiny sizes (not a measurement: that is the jmh command's). */
class ScaleBenchmarkSmokeTest {

    @Test
    void matrixFreeAndWoodburyBenchmarksRun() throws Exception {
        Options options = new OptionsBuilder()
                .include("io\\.github\\.natgrad\\.bench\\.scale\\..*Benchmark\\.")
                .param("size", "200,50,2000")
                .param("shape", "60x200")
                .param("kind", "fisher")
                .forks(0).warmupIterations(0).measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(10))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Long> perMethod = results.stream().collect(Collectors.groupingBy(
                r -> r.getParams().getBenchmark().replaceAll(".*\\.(\\w+\\.\\w+)$", "$1"), Collectors.counting()));
        assertEquals(Map.of("MatrixFreeBenchmark.fisherVectorProduct", 1L, "MatrixFreeBenchmark.streamRead", 1L,
                "WoodburyStepBenchmark.step", 2L), perMethod);
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark());
        }
    }
}
