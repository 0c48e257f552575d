package io.github.natgrad.optim;

import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.StepAcceptingPolicy;

/**
 * The acceptance stage of a {@link NaturalGradientOptimizer} step: given the direction d, how far to go and
 * whether to go at all. In order:
 * <ol>
 *   <li>the Armijo line search ({@link ArmijoLineSearch}), when configured: the first η of η₀, η₀·s, … with
 *       L(θ − ηd) ≤ L(θ) − c·η·gᵀd;</li>
 *   <li>ρ = actual / predicted reduction, when the damping adapts to it or steps may be rejected: predicted
 *       = η gᵀd − ½ η² dᵀCd (dᵀCd from the solver, else one curvature product), actual = L(θ) − L(θ − ηd);
 *       an adaptive damping observes ρ (Levenberg–Marquardt / Martens 2010 §4.1);</li>
 *   <li>rejection: with retries configured, a step that would raise the objective is not taken
 *       ({@link Trial#rejected}); the caller then solves again (raised λ, or halved η).</li>
 * </ol>
 * A damping that judges its own steps ({@link StepAcceptingPolicy}, e.g. the trust region) plugs in here
 * through that contract: instead of observing ρ it updates its state (the radius) from the actual and predicted
 * reductions and decides the rejection itself (TRON's test a &gt; η₀·p), with at least
 * {@link StepAcceptingPolicy#minimumRetries()} tries.
 */
final class AcceptanceStage {
    private final ArmijoLineSearch lineSearch;
    private final int rejectionRetries;
    private final double[] work;
    private final PriorTerm priorTerms;

    /**
     * {@code lineSearch} null for none; {@code rejectionRetries} 0 for no rejection; d = D; {@code priorTerms}
     * the per-parameter prior's part of the objective (none for an isotropic prior).
     */
    AcceptanceStage(ArmijoLineSearch lineSearch, int rejectionRetries, int d, PriorTerm priorTerms) {
        this.priorTerms = priorTerms;
        this.lineSearch = lineSearch;
        this.rejectionRetries = rejectionRetries;
        this.work = new double[d];
    }

    /** Whether steps that raise the objective are rejected. */
    boolean rejecting() {
        return rejectionRetries > 0;
    }

    /** Rejected tries before the step gives up (at least the policy's own with a {@link StepAcceptingPolicy}). */
    int rejectionRetries(DampingPolicy damping) {
        return damping instanceof StepAcceptingPolicy p ? Math.max(rejectionRetries, p.minimumRetries())
                : rejectionRetries;
    }

    /**
     * One trial of a direction: the step size η (0: not stepped), L(θ − ηd) when it was computed (NaN
     * otherwise), the actual and predicted reductions and ρ (NaN when not computed), the curvature products
     * this stage used, the text to append to the step's action, and whether the step is rejected.
     */
    record Trial(double eta, double newLoss, double actual, double predicted, double rho, long extraProducts,
            String note, boolean rejected) {
    }

    /**
     * Judges the direction {@code direction} (‖d‖ = {@code directionNorm}, gᵀd = {@code gd}) from θ with
     * objective {@code loss}, trying the step size {@code eta0}; {@code dad} is dᵀ(C + λI)d from the solver
     * (NaN when it has none) and {@code lambda} the λ of the solve. An adaptive {@code damping} observes ρ.
     */
    Trial judge(double[] theta, double[] direction, StepTarget target, double loss, double gd, double gradientNorm,
            double directionNorm, double priorPrecision, double eta0, double dad, double lambda,
            CurvatureSystem system, DampingPolicy damping) {
        boolean adaptive = damping.needsReductionRatio();
        boolean rejecting = rejecting();
        StepAcceptingPolicy judge = damping instanceof StepAcceptingPolicy p ? p : null;
        boolean judgeAccepts = false;
        double eta = eta0;
        double newLoss = Double.NaN;
        long extraProducts = 0;
        String note = "";
        if (lineSearch != null && gradientNorm > 0) {
            double[] searched = search(theta, direction, target, loss, gd, priorPrecision, eta0);
            eta = searched[0];
            newLoss = searched[1];
            extraProducts += (long) searched[2];
            if (eta == 0) {
                note = gd <= 0 ? "; not a descent direction: not stepped" : "; line search failed: not stepped";
            } else if (eta != eta0) {
                note = String.format("; line search: step %.3g", eta);
            }
        }

        double rho = Double.NaN;
        double actual = Double.NaN;
        double predicted = Double.NaN;
        if ((adaptive || rejecting) && eta > 0) {
            // dᵀCd from the solver when it has it ((C + λI) form minus λ‖d‖²), else one product
            double dcd;
            if (Double.isFinite(dad)) {
                dcd = dad - lambda * directionNorm * directionNorm;
            } else {
                system.multiply(direction, work);
                extraProducts++;
                dcd = NaturalGradientOptimizer.dot(direction, work);
            }
            predicted = eta * gd - 0.5 * eta * eta * dcd;
            if (Double.isNaN(newLoss)) {
                for (int i = 0; i < work.length; i++) {
                    work[i] = theta[i] - eta * direction[i];
                }
                newLoss = target.trialObjective(work);
            }
            actual = loss - newLoss;
            rho = predicted > 0 ? actual / predicted : Double.NaN;
            if (judge != null) {
                judgeAccepts = judge.update(actual, predicted, eta * gd, eta); // the policy judges the step
            } else if (adaptive) {
                damping.observe(rho);
            }
        }
        boolean rejected = judge != null ? eta > 0 && !judgeAccepts : rejecting && eta > 0 && !(actual >= 0);
        return new Trial(eta, newLoss, actual, predicted, rho, extraProducts, note, rejected);
    }

    /**
     * Armijo backtracking along −d from {@code eta0}; returns {η (0 when none accepted), L(θ − ηd), products
     * used}. For a model linear in θ the outputs along the line are f − η·Jd (one product); otherwise a
     * forward pass per trial.
     */
    private double[] search(double[] theta, double[] direction, StepTarget target, double loss, double gd,
            double priorPrecision, double eta0) {
        if (!(gd > 0)) {
            return new double[] {0.0, Double.NaN, 0};
        }
        double[] jd = target.line(direction);
        boolean linear = jd != null;
        double tt = NaturalGradientOptimizer.dot(theta, theta);
        double td = NaturalGradientOptimizer.dot(theta, direction);
        double dd = NaturalGradientOptimizer.dot(direction, direction);
        int n = target.rows();
        double ptt = priorTerms.quadratic(theta, theta, n);
        double ptd = priorTerms.quadratic(theta, direction, n);
        double pdd = priorTerms.quadratic(direction, direction, n);
        double eta = eta0;
        for (int t = 0; t < lineSearch.maxTrials(); t++) {
            double value;
            if (linear) {
                value = target.lineObjective(jd, eta, 0.5 * priorPrecision * (tt - 2 * eta * td + eta * eta * dd)
                        + 0.5 * (ptt - 2 * eta * ptd + eta * eta * pdd));
            } else {
                for (int i = 0; i < work.length; i++) {
                    work[i] = theta[i] - eta * direction[i];
                }
                value = target.trialObjective(work);
            }
            if (value - loss <= -lineSearch.sufficientDecrease() * eta * gd) {
                return new double[] {eta, value, linear ? 1 : 0};
            }
            eta *= lineSearch.shrink();
        }
        return new double[] {0.0, Double.NaN, linear ? 1 : 0};
    }
}
