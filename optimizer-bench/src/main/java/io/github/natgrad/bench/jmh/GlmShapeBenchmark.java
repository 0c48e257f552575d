package io.github.natgrad.bench.jmh;

import org.openjdk.jmh.annotations.Param;

/**
 * The parameters of the suite's GLM benchmarks ({@link StepBenchmark}, {@link PartsBenchmark}), declared once:
 * the model, the shape N × D, the OpenBLAS threads and natgrad's SIMD kernels; each subclass adds its
 * curvature kinds ({@code kind}). {@link #workload()} applies the threads and SIMD settings and builds the
 * seeded problem, the first thing each one's {@code @Setup} does.
 */
public abstract class GlmShapeBenchmark extends JmhDefaults {

    /** {@code logistic} or {@code linear} regression. */
    @Param({"logistic", "linear"})
    public String model;

    /** The shape {@code NxD}. */
    @Param({"178x14", "569x31", "1605x124", "10000x100", "20000x500", "2000x2000", "500x5000"})
    public String shape;

    /** OpenBLAS threads, or {@code auto}: natgrad's default (one thread, every core for large Gram products). */
    @Param({"1"})
    public String threads;

    /** natgrad's SIMD kernels: {@code auto} (on; the forks load the Vector API) or {@code off}. */
    @Param({"auto"})
    public String simd;

    /** For the subclasses. */
    protected GlmShapeBenchmark() {
    }

    /** Applies {@link #simd} and {@link #threads}, then builds the seeded problem of {@link #model} and {@link #shape}. */
    protected final Workload workload() {
        Workload.useSimd(simd);
        Workload.useThreads(threads);
        return Workload.of(shape, model, 1);
    }
}
