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
final class TrueFisher extends FactoredCurvature {

    @Override
    public String name() {
        return "fisher";
    }

    @Override
    protected int factorColumns(int outputsPerExample) {
        return outputsPerExample;
    }

    @Override
    protected void factors(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double[] out) {
        likelihood.fisherFactor(linearization.outputs(), linearization.rows(), out);
    }

    /**
     * With one output per example, the residual and the weights Λ(f_i) from one pass
     * ({@link LikelihoodShortcuts#residualAndFisherWeight}: one exponential per example for the Bernoulli).
     */
    @Override
    public void writeResidualAndWeights(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double[] scratch, double[] out) {
        if (likelihood.outputsPerExample() != 1) {
            super.writeResidualAndWeights(linearization, batch, likelihood, residual, scratch, out);
            return;
        }
        LikelihoodShortcuts.residualAndFisherWeight(likelihood, linearization.outputs(), batch.y(), linearization.rows(), residual, out);
    }

    /** With one output per example: Λ(f_i) depends on f_i alone. */
    @Override
    public boolean elementwiseWeights(Likelihood likelihood) {
        return likelihood.outputsPerExample() == 1;
    }

    /** {@link LikelihoodShortcuts#residualAndFisherWeight} over the {@code count} pairs. */
    @Override
    public void writeResidualAndWeights(Likelihood likelihood, double[] f, double[] y, int count,
            double[] residual, double[] out) {
        if (!elementwiseWeights(likelihood)) {
            super.writeResidualAndWeights(likelihood, f, y, count, residual, out);
            return;
        }
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
