package io.github.natgrad.layerwise;

/**
 * Where the output-space vectors that a layer-wise curvature backpropagates come from, i.e. which
 * curvature kind the structure approximates (Martens and Grosse 2015, section 5; Kunstner et al. 2019).
 */
enum FactorSource {
    /**
     * One label per example sampled from the model, ŷ_i ~ p(y | f_i), backpropagated as ∇_f ℓ(ŷ_i, f_i):
     * an unbiased estimate of the true Fisher (K-FAC's default and natgrad's).
     */
    SAMPLED,
    /** The observed labels' loss gradients ∇_f ℓ(y_i, f_i): the empirical Fisher. */
    OBSERVED,
    /**
     * The exact output factor: the K columns of B_i with B_i B_iᵀ = Λ(f_i), K backpropagations per example:
     * the exact Fisher, which is the generalised Gauss-Newton matrix for the canonical likelihoods natgrad ships.
     */
    EXACT
}
