package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;

/**
 * The generalised Gauss-Newton matrix G = (1/N) Σ_i J_iᵀ ∇²_f ℓ(y_i, f_i) J_i (Schraudolph 2002,
 * "Fast curvature matrix-vector products for second-order gradient descent"): the Hessian of the loss
 * with the model linearised, PSD whenever ℓ is convex in f. It equals the Fisher for canonical-link
 * likelihoods, and need not otherwise (e.g. probit).
 */
class GaussNewton extends FactoredCurvature {

    GaussNewton() {
        this("gauss-newton");
    }

    /** A kind built on the Gauss-Newton factors under another name (the exact Hessian). */
    GaussNewton(String name) {
        super(name);
    }

    @Override
    protected void factors(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double[] out) {
        likelihood.hessianFactor(linearization.outputs(), batch.y(), linearization.rows(), out);
    }

    @Override
    public Curvature copy() {
        return new GaussNewton();
    }
}
