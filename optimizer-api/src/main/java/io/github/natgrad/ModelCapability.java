package io.github.natgrad;

/**
 * What a {@link Model} can compute beyond its outputs. A {@link Curvature} declares the capabilities
 * it needs ({@link Curvature#requires()}), and an optimizer refuses, when it is built, a model that
 * lacks one — not at step 50.
 */
public enum ModelCapability {
    /** Per-example Jacobian rows J_i = ∂f_i/∂θ (through {@link Linearization#jacobianRows}). */
    JACOBIAN,
    /**
     * The second-order term of the Hessian, Σ_i Σ_k r_ik ∇²_θ f_ik
     * (through {@link Linearization#addSecondOrderTerm}); zero for a model linear in θ.
     */
    SECOND_ORDER_TERM,
    /** Jacobian-vector products J v (through {@link Linearization#jacobianVectorProduct}), for matrix-free solves. */
    JACOBIAN_VECTOR_PRODUCT,
    /**
     * Products of the second-order term with a vector (through {@link Linearization#secondOrderTermProduct}),
     * for the matrix-free exact Hessian.
     */
    SECOND_ORDER_PRODUCT,
    /**
     * Dense layers whose inputs and pre-activation gradients a linearization exposes (its linearizations
     * are {@link LayeredLinearization}s): what K-FAC and the other layer-wise structures need.
     */
    DENSE_LAYERS,
    /**
     * A seeded random starting point of its own ({@link Model#initialParameters(long)} is not θ = 0): a
     * network, whose hidden units would stay identical from zero. Clients that pick a start test for it
     * instead of for a model class.
     */
    SEEDED_INITIALIZATION
}
