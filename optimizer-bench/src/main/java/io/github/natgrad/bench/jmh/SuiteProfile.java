package io.github.natgrad.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two ways {@code jmh-suite} runs the benchmarks: {@link #QUICK}, a few minutes on 2 cores (the
 * logistic model, the four small shapes plus the build at 20 000 × 500, one fork, short iterations),
 * and {@link #FULL}, every benchmark at every {@code @Param} value with the classes' own JMH settings
 * (one fork, 3 × 1 s warm-up, 5 × 1 s measurement). A run is split into parts, one per benchmark class
 * and shape, each stored in its own file so an interrupted run resumes where it stopped.
 */
public enum SuiteProfile {
    /** A few minutes: small shapes, logistic only, short iterations. */
    QUICK(2, 200, 3, 300),
    /** Everything, with the benchmark classes' own settings. */
    FULL(-1, -1, -1, -1);

    /** The name users type: lower case. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The shapes of the quick profile's step benchmark (the wide and large ones cost seconds per step). */
    static final List<String> QUICK_STEP_SHAPES = List.of("178x14", "569x31", "1605x124", "10000x100");

    /** The shape at which the build is compared with {@code dsyrk}; in both profiles. */
    static final String BUILD_TARGET_SHAPE = "20000x500";

    final int warmupIterations;
    final int warmupMillis;
    final int measurementIterations;
    final int measurementMillis;

    SuiteProfile(int warmupIterations, int warmupMillis, int measurementIterations, int measurementMillis) {
        this.warmupIterations = warmupIterations;
        this.warmupMillis = warmupMillis;
        this.measurementIterations = measurementIterations;
        this.measurementMillis = measurementMillis;
    }

    /**
     * One JMH run of the suite: the benchmarks of one class at one shape, with parameter overrides.
     *
     * @param benchmark the benchmark class
     * @param shape     the shape {@code NxD}
     * @param params    parameter overrides (name to values); parameters not named keep their defaults
     */
    record Part(Class<?> benchmark, String shape, Map<String, String[]> params) {
        /** The part's file name stem, e.g. {@code StepBenchmark-569x31}. */
        String name() {
            return benchmark.getSimpleName() + "-" + shape;
        }
    }

    /** The parts of this profile, in run order. */
    List<Part> parts() {
        List<Part> parts = new ArrayList<>();
        if (this == QUICK) {
            for (String shape : QUICK_STEP_SHAPES) {
                parts.add(new Part(StepBenchmark.class, shape, Map.of("model", new String[] {"logistic"})));
            }
            List<String> shapes = new ArrayList<>(QUICK_STEP_SHAPES);
            shapes.add(BUILD_TARGET_SHAPE);
            for (String shape : shapes) {
                boolean target = shape.equals(BUILD_TARGET_SHAPE);
                parts.add(new Part(PartsBenchmark.class, shape, Map.of("model", new String[] {"logistic"},
                        "threads", target ? new String[] {"1", "2", "auto"} : new String[] {"1"})));
                parts.add(new Part(BlasBenchmark.class, shape,
                        Map.of("threads", target ? new String[] {"1", "2"} : new String[] {"1"})));
            }
            return parts;
        }
        for (String shape : Workload.SHAPES) {
            parts.add(new Part(StepBenchmark.class, shape,
                    large(shape) ? Map.of("threads", new String[] {"1", "auto"}) : Map.of()));
        }
        for (String shape : Workload.SHAPES) {
            parts.add(new Part(PartsBenchmark.class, shape,
                    Map.of("threads", large(shape) ? new String[] {"1", "2", "auto"} : new String[] {"1"})));
            parts.add(new Part(BlasBenchmark.class, shape, Map.of()));
        }
        return parts;
    }

    /** Whether a shape is large enough (N·D² ≥ 10⁹) for two BLAS threads to be worth measuring. */
    private static boolean large(String shape) {
        int[] nd = Workload.parseShape(shape);
        return (double) nd[0] * nd[1] * nd[1] >= 1e9;
    }
}
