package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.optim.DampingSweep;
import io.github.natgrad.optim.NaturalGradient;

/**
 * The optimisation grid's runner: a thin client of the library's {@link DampingSweep}. All runs of one
 * method (one per step size η_i and damping λ_s) advance together, with the library's likelihood
 * (the clipped Bernoulli or the Gaussian), curvature kind, Gram build and solver, and stop by the grid's
 * rule: a run whose loss exceeds {@value Grid#DIVERGENCE_FACTOR} × its initial loss, or is not finite, or
 * whose C + λI is numerically not positive definite, has {@linkplain RunResult#diverged() diverged}. The
 * numbers are those of the one-run-at-a-time definition ({@link ReferenceRunner}) up to rounding.
 *
 * <p>Immutable after construction and safe to share between threads.
 */
public final class GridEngine {
    private final Problem problem;
    private final DampingSweep sweep;

    /** An engine for one problem: prepares the design matrix once (and its sparsity, if sparse). */
    public GridEngine(Problem problem) {
        this.problem = problem;
        this.sweep = DampingSweep.of(problem.model(), problem.batch());
    }

    /** The problem. */
    public Problem problem() {
        return problem;
    }

    /** Whether the sparse curvature path is used. */
    public boolean sparse() {
        return sweep.sparse();
    }

    /** The number of parameters D. */
    public int dimension() {
        return sweep.dimension();
    }

    /** {@link #run(Method, double, double[], int, boolean)} without the loss curves. */
    public RunResult[] run(Method method, double stepSize, double[] dampings, int iterations) {
        return run(method, stepSize, dampings, iterations, false);
    }

    /**
     * Runs one method at one step size for every damping (gradient descent ignores the dampings and runs
     * once), from θ_0 = 0, for {@code iterations} iterations.
     *
     * @param curves whether to record the loss at every iteration; without, a result's curve holds the
     *               initial and the final loss only
     * @return one result per damping, in order (one result for {@link Method#GD})
     */
    public RunResult[] run(Method method, double stepSize, double[] dampings, int iterations, boolean curves) {
        return run(method, new double[] {stepSize}, dampings, iterations, curves)[0];
    }

    /**
     * Runs one method at every step size for every damping (gradient descent: once per step size), from
     * θ_0 = 0, for {@code iterations} iterations, all as one sweep: the batched products then hold every
     * run of the method, where OpenBLAS runs faster than on the runs of one step size.
     *
     * @return {@code out[i][s]}: the result for step size i and damping s (s = 0 only for {@link Method#GD})
     */
    public RunResult[][] run(Method method, double[] stepSizes, double[] dampings, int iterations, boolean curves) {
        NaturalGradient config = ReferenceRunner.configuration(problem, method, stepSizes[0], 0.0);
        double[] lambdas = method.damped() ? dampings : new double[] {0.0};
        int per = lambdas.length;
        double[] etas = new double[stepSizes.length * per];
        double[] all = new double[stepSizes.length * per];
        for (int i = 0; i < stepSizes.length; i++) {
            java.util.Arrays.fill(etas, i * per, (i + 1) * per, stepSizes[i]);
            System.arraycopy(lambdas, 0, all, i * per, per);
        }
        DampingSweep.Run[] runs = sweep.run(config, etas, all, iterations, Grid.DIVERGENCE_FACTOR, curves);
        RunResult[][] out = new RunResult[stepSizes.length][per];
        for (int k = 0; k < runs.length; k++) {
            DampingSweep.Run r = runs[k];
            out[k / per][k % per] = new RunResult(r.iterations(), r.finalLoss(), r.diverged(), r.curve());
        }
        return out;
    }
}
