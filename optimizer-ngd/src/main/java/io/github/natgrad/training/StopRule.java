package io.github.natgrad.training;

import io.github.natgrad.StepReport;
import java.util.Locale;

/**
 * When a full-batch training run stops, and with which {@link TrainStatus}: the run is {@link TrainStatus#OK}
 * only when ‖g‖ ≤ tolerance · ‖g₀‖. It stops early, and not ok, when a step diverged (objective, gradient
 * or direction not finite), was rejected (step rejection, or a line search that accepted no trial), or
 * went along a direction d with gᵀd ≤ 0 (cos∠(g, d) ≤ 0: not a descent direction, which a positive
 * definite C + λI and a correct solve never give); and ends {@link TrainStatus#NOT_CONVERGED} when the
 * iteration budget runs out first, or when the line search fails because the predicted decrease gᵀd is
 * below the objective's rounding ({@link #ROUNDING}): the tolerance asked for more than double precision
 * resolves. Each status comes with a message that says what happened and what to try.
 *
 * <p>Call order: {@link #stop} after every step, until it returns true or the budget is spent; then
 * {@link #finish} once with the gradient norm at the final θ.
 */
public final class StopRule {
    /**
     * LIBLINEAR's -e for its L2-regularised logistic regression (-s 0), the ε of the classification models'
     * default tolerance ({@link #liblinearTolerance}).
     */
    public static final double CLASSIFICATION_EPSILON = 1e-2;

    /**
     * LIBLINEAR's -e for its L2-regularised least squares (-s 11, whose TRON stops at ‖g‖ ≤ ε‖g₀‖): the default
     * tolerance of the linear (Gaussian) model.
     */
    public static final double REGRESSION_EPSILON = 1e-3;

    /**
     * A predicted decrease gᵀd below this share of |objective| is below what the objective, a sum of N
     * rounded terms, resolves: a line search that fails there has stopped at the rounding, not at a bad step.
     */
    static final double ROUNDING = 1e-12;

    private final double tolerance;
    private final int maxIterations;
    private double g0 = Double.NaN;
    private TrainStatus status;
    private String message;

    /** A rule for {@code --gradient-tolerance} (relative to ‖g₀‖) and {@code --max-iterations}. */
    StopRule(double tolerance, int maxIterations) {
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /**
     * The default relative tolerance, LIBLINEAR 2.3's own stopping rule ({@code linear.cpp}, {@code train_one}):
     * for the two-class models (logistic, probit) ‖g‖ ≤ ε·max(1, min(#pos, #neg))/N · ‖g₀‖ with ε = 10⁻²
     * (LIBLINEAR's -e for -s 0); for softmax the same with min over the classes k of min(n_k, N − n_k) (the
     * smallest of the one-vs-rest problems LIBLINEAR would solve); for the linear model ε = 10⁻³ without a class
     * factor (LIBLINEAR's -s 11). The factor makes the rule scale with the rarer class: an unbalanced problem,
     * whose gradient at θ = 0 is dominated by the majority class, is solved more tightly.
     *
     * @param model        the model's name (linear, logistic, probit, softmax)
     * @param epsilon      ε (LIBLINEAR's -e), NaN for the model's default (10⁻², 10⁻³ for linear)
     * @param classCounts  examples per class (index = class), ignored for linear; null only for linear
     * @param n            the number of examples N
     * @throws IllegalArgumentException for an unknown model or missing counts
     */
    public static double liblinearTolerance(String model, double epsilon, long[] classCounts, long n) {
        if (!Double.isNaN(epsilon) && (!(epsilon > 0) || Double.isInfinite(epsilon))) {
            throw new IllegalArgumentException("--epsilon must be a finite number > 0 (LIBLINEAR's -e), got " + epsilon);
        }
        if (model.equals("linear")) {
            return Double.isNaN(epsilon) ? REGRESSION_EPSILON : epsilon;
        }
        if (!GlmTrainer.MODELS.contains(model)) {
            throw new IllegalArgumentException("no default --gradient-tolerance for the model '" + model
                    + "': give a number");
        }
        if (classCounts == null || classCounts.length == 0 || n < 1) {
            throw new IllegalArgumentException("the default --gradient-tolerance of " + model
                    + " needs the examples per class; give a number instead");
        }
        long smallest = Long.MAX_VALUE;
        for (long c : classCounts) {
            smallest = Math.min(smallest, Math.min(c, n - c));
        }
        return (Double.isNaN(epsilon) ? CLASSIFICATION_EPSILON : epsilon) * Math.max(1, smallest) / n;
    }

    /**
     * Examples per class of labels 0…K−1 (a two-class file: 0 and 1, as {@code LabelMapping.BINARY} reads it),
     * K = max(2, the largest label + 1); for {@link #liblinearTolerance}. Labels that are not class indices are
     * refused.
     */
    public static long[] classCounts(double[] y) {
        int k = 2;
        for (double v : y) {
            if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE - 1) {
                throw new IllegalArgumentException("a class label must be an index 0, 1, ..., got " + v);
            }
            k = Math.max(k, (int) v + 1);
        }
        long[] counts = new long[k];
        for (double v : y) {
            counts[(int) v]++;
        }
        return counts;
    }

    /** Adds {@code b} to {@code a} element by element (class counts of two shards; the longer one is returned). */
    public static long[] addCounts(long[] a, long[] b) {
        long[] longer = a.length >= b.length ? a.clone() : b.clone();
        long[] shorter = a.length >= b.length ? b : a;
        for (int i = 0; i < shorter.length; i++) {
            longer[i] += shorter[i];
        }
        return longer;
    }

    /** For a run resumed after its first iteration: ‖g₀‖ as the first iteration measured it. */
    void resumedWith(double firstGradientNorm) {
        g0 = firstGradientNorm;
    }

    /** The gradient norm the run must reach: tolerance · ‖g₀‖ (NaN before the first step). */
    double target() {
        return tolerance * g0;
    }

    /** Observes the report of step {@code iteration} (from 0); true when the run stops here. */
    boolean stop(int iteration, StepReport r) {
        if (iteration == 0) {
            g0 = r.gradientNorm();
        }
        if (r.diverged()) {
            return end(TrainStatus.DIVERGED, String.format(Locale.ROOT, "diverged at iteration %d: objective %s, "
                    + "|g| %s (%s); lower --step-size, add --line-search or use --damping lm", iteration,
                    r.loss(), r.gradientNorm(), r.dampingAction()));
        }
        if (r.gradientNorm() <= target()) {
            return end(TrainStatus.OK, converged(iteration, r.gradientNorm()));
        }
        if (r.rejected()) {
            return end(TrainStatus.ALL_STEPS_REJECTED, String.format(Locale.ROOT, "every try of the step at iteration "
                    + "%d was rejected (%s, cos(g, d) = %.3g): the objective would grow (objective %.12g)", iteration,
                    r.dampingAction(), r.cosine(), r.loss()));
        }
        if (!(r.cosine() > 0)) {
            return end(TrainStatus.NOT_DESCENT, String.format(Locale.ROOT, "not a descent direction at iteration %d "
                    + "(cos(g, d) = %.3g, objective %.12g): the curvature is indefinite or the solve is wrong; "
                    + "use --damping lm or shift, another --curvature, or check --solver against --solver cg",
                    iteration, r.cosine(), r.loss()));
        }
        if (!r.stepped() || r.stepSize() == 0) {
            double predicted = r.cosine() * r.gradientNorm() * r.directionNorm();
            if (predicted <= ROUNDING * Math.abs(r.loss())) {
                return end(TrainStatus.NOT_CONVERGED, String.format(Locale.ROOT, "not converged: stopped at iteration "
                        + "%d at the objective's rounding (the line search accepted no trial step; the predicted "
                        + "decrease g'd = %.3g is below %.0e x |objective %.12g|) with |g| = %.3e above the target "
                        + "%.3e: --gradient-tolerance %.3g is finer than double precision resolves here; loosen it",
                        iteration, predicted, ROUNDING, r.loss(), r.gradientNorm(), target(), tolerance));
            }
            return end(TrainStatus.ALL_STEPS_REJECTED, String.format(Locale.ROOT, "no step taken at iteration %d (%s): "
                    + "the line search accepted no trial step (objective %.12g, predicted decrease g'd = %.3g); "
                    + "try --damping lm", iteration, r.dampingAction(), r.loss(), predicted));
        }
        return false;
    }

    /**
     * After the last step: a run no rule stopped is ok if the final gradient norm meets the tolerance, else
     * not converged; a final objective or gradient that is not finite is diverged.
     */
    void finish(int iterations, double objective, double gradientNorm) {
        if (status != null && status != TrainStatus.OK) {
            return;
        }
        if (!Double.isFinite(objective) || !Double.isFinite(gradientNorm)) {
            end(TrainStatus.DIVERGED, "diverged: the final objective is " + objective + " and |g| " + gradientNorm
                    + "; lower --step-size, add --line-search or use --damping lm");
        } else if (status == null) {
            if (gradientNorm <= target()) {
                end(TrainStatus.OK, converged(iterations, gradientNorm));
            } else {
                end(TrainStatus.NOT_CONVERGED, String.format(Locale.ROOT, "not converged: %d iterations (--max-iterations"
                        + " %d) ended at |g| = %.3e above the target %.3e (--gradient-tolerance %.3g x |g0| (%.4g)); "
                        + "raise --max-iterations, or check the curvature and the solver", iterations, maxIterations,
                        gradientNorm, target(), tolerance, g0));
            }
        }
    }

    private String converged(int iteration, double gradientNorm) {
        return String.format(Locale.ROOT, "converged at iteration %d: |g| = %.3e <= %.3g x |g0| (%.4g) = %.3e",
                iteration, gradientNorm, tolerance, g0, target());
    }

    private boolean end(TrainStatus s, String m) {
        status = s;
        message = m;
        return true;
    }

    /** The status (null before the run ended). */
    TrainStatus status() {
        return status;
    }

    /** The human message that goes with the status. */
    String message() {
        return message;
    }
}
