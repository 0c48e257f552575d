package io.github.natgrad.bench.reproduce;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;

/**
 * θ* of one of the paper's small problems and the curvature matrices there, computed by the library:
 * Newton's method as the library's {@code NaturalGradient.of(Curvatures.fisher())} with step size 1, no
 * damping and the problem's prior (for these generalised linear models with canonical links the Fisher plus
 * the prior's curvature is the Hessian), from θ = 0 until the gradient norm stops decreasing (three steps
 * without a new minimum, at most {@value #MAX_STEPS} steps). The authors take θ* from two conjugate-gradient
 * Newton steps (linear regression) or scipy's BFGS (logistic regression); this converges further, to the
 * rounding level of the gradient.
 */
final class Optimum {
    static final int MAX_STEPS = 100;

    /** θ*, the gradient norm there and the Newton steps taken. */
    record Point(double[] theta, double gradientNorm, int steps) {
    }

    private Optimum() {
    }

    /** Finds θ*. */
    static Point find(Problem problem) {
        Optimizer newton = NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.none())
                .withPrior(problem.prior()).build(problem.model());
        double[] theta = new double[problem.parameters()];
        double[] best = theta.clone();
        double bestNorm = Double.POSITIVE_INFINITY;
        int stalls = 0;
        int steps = 0;
        for (; steps < MAX_STEPS && stalls < 3; steps++) {
            double[] before = theta.clone();
            StepReport r = newton.step(theta, problem.batch());
            if (r.gradientNorm() < bestNorm) {
                bestNorm = r.gradientNorm();
                best = before;
                stalls = 0;
            } else {
                stalls++;
            }
            if (bestNorm == 0 || !r.stepped()) {
                break;
            }
        }
        return new Point(best, bestNorm, steps);
    }

    /**
     * The matrix the library's curvature kind builds at θ on the problem's data, dense row-major D × D; the
     * prior's curvature I/(σ²N) is included when the kind includes it and the problem has a prior.
     */
    static double[] matrix(Problem problem, Curvature kind, double[] theta) {
        GeneralizedLinearModel model = problem.model();
        Batch batch = problem.batch();
        Linearization lin = model.linearize(theta, batch);
        Likelihood likelihood = model.likelihood();
        double[] residual = new double[batch.rows() * likelihood.outputsPerExample()];
        likelihood.lossAndResidual(lin.outputs(), batch.y(), batch.rows(), residual);
        double precision = problem.prior() == null || !kind.includesPrior() ? 0 : problem.prior().precision(batch.rows());
        return kind.copy().build(lin, batch, likelihood, residual, precision, Solvers.cholesky()).toDense();
    }
}
