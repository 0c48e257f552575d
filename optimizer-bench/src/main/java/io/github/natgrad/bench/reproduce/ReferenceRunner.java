package io.github.natgrad.bench.reproduce;

import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.Optimizer;
import io.github.natgrad.bench.ablate.GridPath;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.training.Divergence;
import java.util.Arrays;

/**
 * One run of the optimisation grid by its plain definition, one run at a time, with the library's
 * optimizer: {@code NaturalGradient.of(Curvatures.fisher() | empiricalFisher()).withStepSize(η)
 * .withDamping(Damping.fixed(λ))}, or {@code NaturalGradient.gradientDescent(η)}, with the problem's
 * prior, one optimizer step at a time. The loss at θ_0 … θ_t is recorded; the run stops when the loss exceeds
 * {@value Grid#DIVERGENCE_FACTOR} × the initial loss or is not finite ({@link Divergence}), or when the library reports the
 * damped curvature not positive definite. {@link GridPath} (the library's {@code DampingSweep}) must
 * agree with it up to rounding.
 */
public final class ReferenceRunner {
    private ReferenceRunner() {
    }

    /** The library configuration of one run (with the problem's prior). */
    public static NaturalGradient configuration(Problem problem, Method method, double stepSize, double damping) {
        return GridPath.configuration(problem, switch (method) {
            case GD -> "gd";
            case NGD -> "fisher";
            case EFGD -> "empirical-fisher";
        }, stepSize, damping);
    }

    /** The library optimizer for one run. */
    public static Optimizer optimizer(Problem problem, Method method, double stepSize, double damping) {
        return configuration(problem, method, stepSize, damping).build(problem.model());
    }

    /** The objective (mean negative log-likelihood plus prior) of the problem at θ, by the library. */
    public static double loss(Problem problem, double[] theta) {
        return optimizer(problem, Method.GD, 1, 1).loss(theta, problem.batch());
    }

    /** Runs {@code iterations} iterations from θ_0 = 0. */
    public static RunResult run(Problem problem, Method method, double stepSize, double damping, int iterations) {
        Optimizer optimizer = optimizer(problem, method, stepSize, damping);
        Batch batch = problem.batch();
        double[] theta = new double[problem.parameters()];
        double[] curve = new double[iterations + 1];
        for (int t = 0; t <= iterations; t++) {
            double loss = Arrays.stream(theta).allMatch(Double::isFinite) ? optimizer.loss(theta, batch) : Double.NaN;
            curve[t] = loss;
            if (Divergence.diverged(loss, curve[0], Grid.DIVERGENCE_FACTOR)) {
                return new RunResult(t, loss, true, Arrays.copyOf(curve, t + 1));
            }
            if (t == iterations) {
                break;
            }
            try {
                optimizer.step(theta, batch);
            } catch (CurvatureNotPositiveDefiniteException e) {
                return new RunResult(t, loss, true, Arrays.copyOf(curve, t + 1));
            }
        }
        return new RunResult(iterations, curve[iterations], false, curve);
    }
}
