package io.github.natgrad.bench.jmh;

import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.NaturalGradient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Question (a): what does one full optimizer step θ ← θ − η (C + λI)⁻¹ g cost, per preconditioner and
 * shape? Each op is one {@link Optimizer#step} from the same θ₀ (θ is reset first, a D-double copy), with
 * η = 1 and fixed damping λ = 1e-4 and the Cholesky solver: forward pass, loss, gradient, curvature
 * build, factorisation and solve. The Monte-Carlo Fisher draws one label per example.
 */
public class StepBenchmark extends GlmShapeBenchmark {

    /** The curvature kind ({@code Curvatures.byName}). */
    @Param({"identity", "fisher", "mc-fisher", "empirical-fisher", "gauss-newton", "hessian"})
    public String kind;

    private Workload work;
    private Optimizer optimizer;
    private double[] theta;
    private double flopsPerStep;

    /** Builds the problem and the optimizer, and takes one step so every buffer is allocated. */
    @Setup
    public void setUp() {
        work = workload();
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
