package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.models.LikelihoodShortcuts;

/**
 * The exact Fisher information F = (1/N) Σ_i J_iᵀ Λ(f_i) J_i, with Λ(f) = E_{y~p(y|f)}[∇_f ℓ ∇_f ℓᵀ]
 * the Fisher of the likelihood in output space: an expectation under the model's own predictive
 * distribution, hence positive semi-definite (Amari 1998; Martens 2020, "New insights and perspectives
 * on the natural gradient method").
 */
final class TrueFisher extends ElementwiseWeightedCurvature {

    TrueFisher() {
        super("fisher");
    }

    @Override
    protected void factors(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double[] out) {
        likelihood.fisherFactor(linearization.outputs(), linearization.rows(), out);
    }

    /**
     * The residual and the weights Λ(f_i) from one pass ({@link LikelihoodShortcuts#residualAndFisherWeight}: one
     * exponential per example for the Bernoulli); with one output per example Λ(f_i) depends on f_i alone.
     */
    @Override
    void residualAndWeights(Likelihood likelihood, double[] f, double[] y, int count, double[] residual,
            double[] out) {
        LikelihoodShortcuts.residualAndFisherWeight(likelihood, f, y, count, residual, out);
    }

    /** True when the likelihood's Fisher Λ does not depend on f (the Gaussian): then F = JᵀΛJ/N is fixed. */
    @Override
    public boolean constantForLinearModel(Likelihood likelihood) {
        return likelihood.fisherIsConstant();
    }

    @Override
    public Curvature copy() {
        return new TrueFisher();
    }
}
