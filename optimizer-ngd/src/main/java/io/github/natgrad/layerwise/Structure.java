package io.github.natgrad.layerwise;

/**
 * The structure imposed on a network's curvature, chosen independently of the curvature kind it approximates ({@code LayerwiseNaturalGradient.withCurvature}).
 * Every structure is block-diagonal over layers (cross-layer terms dropped); within a layer of
 * out × (in + 1) parameters (bias included):
 */
public enum Structure {
    /**
     * K-FAC (Martens and Grosse 2015): the block E[(ā āᵀ) ⊗ (g gᵀ)] approximated by E[ā āᵀ] ⊗ E[g gᵀ], two
     * factors of (in + 1)² and out² entries, inverted separately. For any size of layer.
     */
    KRONECKER,
    /** The diagonal of each layer's block, E[g_o² ā_j²]: as cheap as Adam's second moment. */
    DIAGONAL,
    /**
     * Each layer's dense block E[vec(g āᵀ) vec(g āᵀ)ᵀ] of (out (in + 1))² entries, exact within the layer:
     * for small layers only (at most {@value DenseBlock#MAX_DIMENSION} parameters per layer).
     */
    BLOCK_DIAGONAL
}
