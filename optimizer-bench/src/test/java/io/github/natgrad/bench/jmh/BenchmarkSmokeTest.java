package io.github.natgrad.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of the suite once, in-process, at the smallest shape with one 10 ms iteration, so
 * that a benchmark that throws, or stops counting its flops, fails the build. No timing is asserted.
 * Then feeds the results to {@code bench-report}.
 */
class BenchmarkSmokeTest {

    @Test
    void everyBenchmarkRunsOnceAndTheReportReadsTheResults(@TempDir Path dir) throws Exception {
        // not a measurement: run even while a benchmark suite holds JMH's machine-wide lock
        System.setProperty("jmh.ignoreLock", "true");
        Path json = dir.resolve("smoke.json");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("io\\.github\\.natgrad\\.bench\\.jmh\\.(Step|Parts|Blas)Benchmark\\.")
                .param("shape", "178x14")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(10))
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build()).run();

        // 6 kinds x 2 models steps; 3 parts x 2 models; 5 Gram/BLAS products x 2 thread counts
        Map<String, Long> perMethod = results.stream().collect(Collectors.groupingBy(
                r -> r.getParams().getBenchmark().replaceAll(".*\\.(\\w+\\.\\w+)$", "$1"), Collectors.counting()));
        assertEquals(Map.of("StepBenchmark.step", 12L, "PartsBenchmark.gradient", 2L,
                "PartsBenchmark.curvatureBuild", 2L, "PartsBenchmark.factorSolve", 2L, "BlasBenchmark.dsyrk", 2L,
                "BlasBenchmark.natgradGram", 2L, "BlasBenchmark.dgemm", 2L, "BlasBenchmark.nd4jGemm", 2L,
                "BlasBenchmark.dpotrf", 2L), perMethod);
        for (RunResult r : results) {
            Result<?> primary = r.getPrimaryResult();
            String name = r.getParams().getBenchmark() + " " + r.getParams().getParam("shape");
            assertTrue(primary.getScore() > 0 && Double.isFinite(primary.getScore()), name + ": " + primary);
            Result<?> flop = r.getSecondaryResults().get("flop");
            assertTrue(flop != null && flop.getScore() > 0, name + " reports no flop count");
        }

        Path md = dir.resolve("report.md");
        int code = new picocli.CommandLine(new ReportCommand()).execute(json.toString(), "--markdown", md.toString());
        assertEquals(0, code);
        String report = Files.readString(md);
        for (String section : List.of("## One optimizer step", "## The parts of a step", "## Targets",
                "## Cost exponents", "| 178 | 14 |")) {
            assertTrue(report.contains(section), "report lacks " + section);
        }
        assertTrue(Files.size(dir.resolve("bench-plots").resolve("step-vs-N-logistic.png")) > 0);
        List<BenchResult> parsed = ReportCommand.read(json);
        assertEquals(results.size(), parsed.size());
        Set<String> kinds = parsed.stream().map(b -> b.param("kind", "")).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(ReportCommand.KINDS), "kinds in the JSON: " + kinds);
        for (BenchResult b : parsed) {
            int[] nd = Workload.parseShape(b.param("shape", ""));
            if (b.benchmark().equals("BlasBenchmark.dsyrk")) {
                assertEquals(Workload.syrkFlops(nd[0], nd[1]), b.flopsPerOp(), 1e-6 * b.flopsPerOp(),
                        "flops per op recovered from the aux counter");
            }
        }
    }
}
