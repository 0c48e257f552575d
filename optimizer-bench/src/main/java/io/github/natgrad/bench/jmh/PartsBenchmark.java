package io.github.natgrad.bench.jmh;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.solve.Solvers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Question (b): where does a step's time go? The three parts of a dense NGD step, each alone, through
 * the public API the optimizer itself calls:
 * <ul>
 *   <li>{@link #gradient}: forward pass f = Xθ, loss and residual r = ∂ℓ/∂f, g = Jᵀr (4ND flops);</li>
 *   <li>{@link #curvatureBuild}: {@link Curvature#build}, the factors and one {@code dsyrk}
 *       (N·D(D + 1) flops);</li>
 *   <li>{@link #factorSolve}: Cholesky of C + λI and the solve (D³/3 + 2D² flops).</li>
 * </ul>
 */
public class PartsBenchmark extends GlmShapeBenchmark {

    /** The curvature kind whose build is measured. */
    @Param({"fisher"})
    public String kind;

    private Workload work;
    private Model glm;
    private Batch batch;
    private Curvature curvature;
    private Linearization linearization;
    private CurvatureSystem system;
    private double[] residual;
    private double[] grad;
    private double[] direction;

    /** Linearises the model at θ₀ and builds the curvature once. */
    @Setup
    public void setUp() {
        work = workload();
        glm = work.model();
        batch = work.batch();
        curvature = Curvatures.byName(kind, 1, 0);
        residual = new double[work.n()];
        grad = new double[work.d()];
        direction = new double[work.d()];
        loss();
        system = curvatureBuild(new FlopCounter());
    }

    /** The forward pass, loss, residual and gradient at θ₀; returns the loss. */
    @Benchmark
    public double gradient(FlopCounter counter) {
        counter.flop += Workload.gradientFlops(work.n(), work.d());
        return loss();
    }

    private double loss() {
        linearization = glm.linearize(work.theta(), batch);
        double loss = glm.likelihood().lossAndResidual(linearization.outputs(), batch.y(), work.n(), residual);
        linearization.vectorJacobianProduct(residual, grad);
        return loss;
    }

    /** The curvature build at θ₀. */
    @Benchmark
    public CurvatureSystem curvatureBuild(FlopCounter counter) {
        counter.flop += Workload.syrkFlops(work.n(), work.d());
        return curvature.build(linearization, batch, glm.likelihood(), residual, 0.0, Solvers.cholesky());
    }

    /** The Cholesky factorisation of C + λI (λ = 1e-4) and one solve. */
    @Benchmark
    public double[] factorSolve(FlopCounter counter) {
        counter.flop += Workload.factorSolveFlops(work.d());
        system.factor(1e-4).orElseThrow().solve(grad, direction);
        return direction;
    }
}
