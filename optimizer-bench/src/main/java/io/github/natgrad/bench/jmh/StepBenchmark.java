package io.github.natgrad.bench.jmh;

import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.NaturalGradient;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question (a): what does one full optimizer step θ ← θ − η (C + λI)⁻¹ g cost, per preconditioner and
 * shape? Each op is one {@link Optimizer#step} from the same θ₀ (θ is reset first, a D-double copy), with
 * η = 1 and fixed damping λ = 1e-4 and the Cholesky solver: forward pass, loss, gradient, curvature
 * build, factorisation and solve. The Monte-Carlo Fisher draws one label per example.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dorg.slf4j.simpleLogger.log.org.nd4j=warn",
        "--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class StepBenchmark {

    /** The curvature kind ({@code Curvatures.byName}). */
    @Param({"identity", "fisher", "mc-fisher", "empirical-fisher", "gauss-newton", "hessian"})
    public String kind;

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

    private Workload work;
    private Optimizer optimizer;
    private double[] theta;
    private double flopsPerStep;

    /** Builds the problem and the optimizer, and takes one step so every buffer is allocated. */
    @Setup
    public void setUp() {
        Workload.useSimd(simd);
        Workload.useThreads(threads);
        work = Workload.of(shape, model, 1);
        optimizer = NaturalGradient.of(Curvatures.byName(kind, 1, 0)).withDamping(Damping.fixed(1e-4))
                .build(work.model());
        theta = work.theta().clone();
        optimizer.step(theta, work.batch());
        flopsPerStep = Workload.stepFlops(kind, work.n(), work.d(), 1);
    }

    /** One step from θ₀. */
    @Benchmark
    public StepReport step(FlopCounter counter) {
        System.arraycopy(work.theta(), 0, theta, 0, theta.length);
        counter.flop += flopsPerStep;
        return optimizer.step(theta, work.batch());
    }
}
