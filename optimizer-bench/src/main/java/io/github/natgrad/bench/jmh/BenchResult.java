package io.github.natgrad.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JMH result (a benchmark method at one set of parameters), in the units a report needs.
 *
 * @param benchmark   {@code Class.method}, e.g. {@code StepBenchmark.step}
 * @param params      the {@code @Param} values
 * @param medianMicros the median time per op over every measured iteration, µs
 * @param meanMicros  the mean time per op, µs
 * @param errorMicros JMH's 99.9% confidence half-width of the mean, µs
 * @param spread      the slowest measured iteration over the fastest (1 when steady; large when other
 *                    processes shared the cores during the run)
 * @param flopsPerOp  the flops per op from the {@link FlopCounter} ({@code NaN} if not counted)
 * @param settings    forks, warm-up and measurement iterations and times, e.g. {@code 1 fork, 3 x 1 s + 5 x 1 s}
 * @param overloaded  whether the machine's load average exceeded its core count while this result's part of
 *                    a {@code jmh-suite} run was measured (other processes then took CPU time from it)
 */
public record BenchResult(String benchmark, Map<String, String> params, double medianMicros, double meanMicros,
        double errorMicros, double spread, double flopsPerOp, String settings, boolean overloaded) {

    /** Reads one element of a JMH JSON result array. */
    static BenchResult of(JsonNode node) {
        String full = node.path("benchmark").asText();
        String[] parts = full.split("\\.");
        String benchmark = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : full;
        Map<String, String> params = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.path("params").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            params.put(e.getKey(), e.getValue().asText());
        }
        JsonNode primary = node.path("primaryMetric");
        double scale = toMicros(primary.path("scoreUnit").asText());
        double mean = primary.path("score").asDouble() * scale;
        double median = primary.path("scorePercentiles").path("50.0").asDouble(Double.NaN) * scale;
        double error = primary.path("scoreError").asDouble(Double.NaN) * scale;
        double min = primary.path("scorePercentiles").path("0.0").asDouble(Double.NaN);
        double max = primary.path("scorePercentiles").path("100.0").asDouble(Double.NaN);
        double spread = min > 0 ? max / min : Double.NaN;
        JsonNode flop = node.path("secondaryMetrics").path("flop");
        double flops = Double.NaN;
        if (!flop.isMissingNode()) {
            double perFlop = flop.path("score").asDouble() * toMicros(flop.path("scoreUnit").asText());
            flops = perFlop > 0 ? mean / perFlop : Double.NaN;
        }
        String settings = node.path("forks").asInt() + " fork(s), warm-up " + node.path("warmupIterations").asInt()
                + " x " + node.path("warmupTime").asText() + ", measurement " + node.path("measurementIterations").asInt()
                + " x " + node.path("measurementTime").asText();
        return new BenchResult(benchmark, params, Double.isNaN(median) ? mean : median, mean, error, spread, flops,
                settings, false);
    }

    /** The factor from a JMH time unit per op ({@code ns/op}, {@code us/op}, ...) to µs per op. */
    static double toMicros(String unit) {
        String u = unit.contains("/") ? unit.substring(0, unit.indexOf('/')) : unit;
        switch (u) {
            case "ns":
                return 1e-3;
            case "us":
                return 1;
            case "ms":
                return 1e3;
            case "s":
                return 1e6;
            default:
                throw new IllegalArgumentException("unexpected JMH score unit '" + unit + "'; run the benchmarks in "
                        + "average-time mode (-bm avgt)");
        }
    }

    /** This result, marked as measured while the machine was overloaded. */
    BenchResult markedOverloaded() {
        return new BenchResult(benchmark, params, medianMicros, meanMicros, errorMicros, spread, flopsPerOp, settings,
                true);
    }

    /** The name of the {@code jmh-suite} part this result belongs to, e.g. {@code StepBenchmark-569x31}. */
    String part() {
        return benchmark.substring(0, benchmark.indexOf('.')) + "-" + params.getOrDefault("shape", "");
    }

    /** A parameter's value, or {@code fallback} when the benchmark has no such parameter. */
    String param(String name, String fallback) {
        return params.getOrDefault(name, fallback);
    }

    /** The flop rate at the median time, GFLOP/s ({@code NaN} without a flop count). */
    double gflops() {
        return flopsPerOp / (medianMicros * 1e3);
    }
}
