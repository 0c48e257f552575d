package io.github.natgrad.bench.jmh;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.linalg.DenseDesign;
import io.github.natgrad.linalg.GramBuilder;
import io.github.natgrad.optim.DampingSweep;
import io.github.natgrad.optim.NaturalGradient;
import java.nio.DoubleBuffer;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How close is the damping sweep to its floor? At the reproduction grid's dense shape (N = 569, D = 31:
 * breast cancer with a bias) every run-iteration of a Fisher or empirical-Fisher run needs its curvature
 * C_s = Σ_i w_si x_i x_iᵀ, N·D(D+1)/2 multiply-adds that nothing cheaper can replace. This bench times, per
 * run-iteration (the secondary result {@code runIterations}, µs):
 * <ul>
 *   <li>{@link #packedGram}: that curvature for {@code runs} runs as the sweep builds it, one batched
 *       product W (R × N) · P (N × D(D+1)/2) against the packed outer products ({@code DenseDesign}: natgrad's
 *       kernel since 0.1.x, OpenBLAS {@code dgemm} before) — the floor;</li>
 *   <li>{@link #simdGram}: the same curvature of one run by natgrad's SIMD Gram kernel (the one-run
 *       optimizer's build), the other candidate for the floor;</li>
 *   <li>{@link #sweep}: whole iterations of a {@link DampingSweep} of {@code runs} true-Fisher runs (10
 *       iterations from θ₀ = 0, step sizes and dampings spread as in the grid), everything included.</li>
 * </ul>
 * The synthetic logistic problem of {@link Workload} stands in for breast cancer (the same shape). Not part
 * of the {@code jmh-suite}: run it with {@code jmh SweepFloorBench}.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JmhDefaults.HEAP_2G, JmhDefaults.VECTOR_API})
public class SweepFloorBench extends JmhDefaults {
    private static final String SHAPE = "569x31";
    private static final int ITERATIONS = 10;

    /** The runs advanced together: one step size's dampings (41) or nine step sizes' (369). */
    @Param({"41", "369"})
    public int runs;

    private Workload workload;
    private DenseDesign.Workspace workspace;
    private DampingSweep sweep;
    private double[] stepSizes;
    private double[] dampings;
    private final GramBuilder builder = new GramBuilder();
    private DoubleBuffer rows;

    /**
     * The design, random positive weights for the packed product, the runs' step sizes and dampings; OpenBLAS
     * on one thread (the grid's per-core figures are CPU time).
     */
    @Setup
    public void setUp() {
        Workload.useThreads("1");
        workload = Workload.of(SHAPE, "logistic", 1);
        int n = workload.n();
        int d = workload.d();
        double[] x = new double[n * d];
        double[] inputs = workload.batch().x();
        for (int i = 0; i < n; i++) {
            System.arraycopy(inputs, i * (d - 1), x, i * d, d - 1);
            x[i * d + d - 1] = 1.0;
        }
        DenseDesign design = DenseDesign.of(x, n, d, true);
        workspace = design.workspace(runs);
        Random random = new Random(2);
        for (int k = 0; k < runs * n; k++) {
            workspace.weights().put(k, 0.25 * random.nextDouble());
        }
        rows = builder.begin(n, d, 1.0);
        rows.put(0, x, 0, n * d);
        sweep = DampingSweep.of(workload.model(), workload.batch());
        stepSizes = new double[runs];
        dampings = new double[runs];
        for (int s = 0; s < runs; s++) {
            stepSizes[s] = Math.pow(10, -1 + 2.0 * (s / 41) / 8);
            dampings[s] = Math.pow(10, -10 + 0.5 * (s % 41));
        }
    }

    /** The curvatures of all runs: one batched product (natgrad's kernel, DenseDesign) against the packed outer products. */
    @Benchmark
    public DoubleBuffer packedGram(RunCounter counter) {
        counter.runIterations += runs;
        workspace.gram(runs);
        return workspace.result();
    }

    /** One run's curvature by natgrad's SIMD Gram kernel (accumulating: the cost of one more build). */
    @Benchmark
    public GramBuilder simdGram(RunCounter counter) {
        counter.runIterations += 1;
        builder.accumulate(workload.n());
        return builder;
    }

    /** Ten iterations of {@code runs} true-Fisher runs, everything included (a run that stops counts its own). */
    @Benchmark
    public DampingSweep.Run[] sweep(RunCounter counter) {
        DampingSweep.Run[] out = sweep.run(NaturalGradient.of(Curvatures.fisher()), stepSizes, dampings, ITERATIONS,
                Double.POSITIVE_INFINITY, false);
        for (DampingSweep.Run r : out) {
            counter.runIterations += r.iterations() + 1; // as the grid counts: the last loss evaluation too
        }
        return out;
    }
}
