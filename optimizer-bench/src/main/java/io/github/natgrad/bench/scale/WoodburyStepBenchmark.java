package io.github.natgrad.bench.scale;

import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.bench.jmh.JmhDefaults;
import io.github.natgrad.bench.jmh.Workload;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One optimizer step at (N, D) = (500, 5000), logistic regression, fixed λ = 1e-4, through the dense D × D
 * Cholesky against the Woodbury sample-space solve (an N·m × N·m Cholesky), for every kind with a
 * low-rank factor, in the same run. Same θ₀ every op, as {@code StepBenchmark}.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class WoodburyStepBenchmark extends JmhDefaults {

    /** The curvature kind. */
    @Param({"fisher", "mc-fisher", "empirical-fisher", "gauss-newton"})
    public String kind;

    /** {@code cholesky} (dense D × D) or {@code woodbury}. */
    @Param({"cholesky", "woodbury"})
    public String solver;

    /** The shape. */
    @Param({"500x5000"})
    public String shape;

    private Workload work;
    private Optimizer optimizer;
    private double[] theta;

    /** Builds the problem and takes one step. */
    @Setup
    public void setUp() {
        Workload.useThreads("1");
        work = Workload.of(shape, "logistic", 1);
        optimizer = NaturalGradient.of(Curvatures.byName(kind, 1, 0)).withDamping(Damping.fixed(1e-4))
                .withSolver(Solvers.byName(solver)).build(work.model());
        theta = work.theta().clone();
        optimizer.step(theta, work.batch());
    }

    /** One step from θ₀. */
    @Benchmark
    public StepReport step() {
        System.arraycopy(work.theta(), 0, theta, 0, theta.length);
        return optimizer.step(theta, work.batch());
    }
}
