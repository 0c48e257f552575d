package io.github.natgrad.curvature;

import io.github.natgrad.Curvature;
import io.github.natgrad.Linearization;
import io.github.natgrad.ModelCapability;
import java.util.Set;

/**
 * The exact Hessian of the mean loss, H = G + (1/N) Σ_i Σ_k r_ik ∇²_θ f_ik: the Gauss-Newton matrix G
 * plus the model's second-order term weighted by the residuals r = ∂ℓ/∂f. An expectation under the data,
 * not the model, so it can be indefinite (neural networks): pair it with a damping policy that repairs
 * that, e.g. {@code Damping.shiftToPositiveDefinite()}.
 */
final class ExactHessian extends GaussNewton {

    ExactHessian() {
        super("hessian");
    }

    @Override
    public Set<ModelCapability> requires() {
        return Set.of(ModelCapability.JACOBIAN, ModelCapability.SECOND_ORDER_TERM);
    }

    @Override
    public Set<ModelCapability> requiresMatrixFree() {
        return Set.of(ModelCapability.JACOBIAN_VECTOR_PRODUCT, ModelCapability.SECOND_ORDER_PRODUCT);
    }

    @Override
    boolean addsSecondOrderTerm() {
        return true;
    }

    @Override
    void addSecondOrderTerm(Linearization linearization, double[] residual, int n, double[] c) {
        linearization.addSecondOrderTerm(residual, 1.0 / n, c);
    }

    @Override
    public Curvature copy() {
        return new ExactHessian();
    }
}
