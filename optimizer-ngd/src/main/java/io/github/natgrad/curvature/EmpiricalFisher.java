package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.models.LikelihoodShortcuts;

/**
 * The empirical Fisher (1/N) Σ_i ∇ℓ_i ∇ℓ_iᵀ with ∇ℓ_i = J_iᵀ r_i the per-example gradients at the
 * observed labels. Not the Fisher: Kunstner, Balles and Hennig (NeurIPS 2019, "Limitations of the
 * empirical Fisher approximation for natural gradient descent") show it can be a poor preconditioner.
 */
final class EmpiricalFisher extends ElementwiseWeightedCurvature {

    EmpiricalFisher() {
        super("empirical-fisher");
    }

    @Override
    protected int factorColumns(int outputsPerExample) {
        return 1;
    }

    @Override
    protected void factors(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double[] out) {
        System.arraycopy(residual, 0, out, 0, linearization.rows() * linearization.outputsPerExample());
    }

    /** w_i = ‖r_i‖², straight from the residual (the factors are the residual itself). */
    @Override
    public void writeWeights(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double[] scratch, double[] out) {
        squaredNorms(residual, linearization.rows(), linearization.outputsPerExample(), out);
    }

    /**
     * The residuals ({@link LikelihoodShortcuts#residual}) and their squares: with one output per example
     * w_i = r_i² depends on (f_i, y_i) alone.
     */
    @Override
    void residualAndWeights(Likelihood likelihood, double[] f, double[] y, int count, double[] residual,
            double[] out) {
        LikelihoodShortcuts.residual(likelihood, f, y, count, residual);
        squaredNorms(residual, count, 1, out);
    }

    @Override
    public Curvature copy() {
        return new EmpiricalFisher();
    }
}
