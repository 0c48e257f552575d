package io.github.natgrad;

/**
 * A {@link Linearization} of a network of dense (fully connected) layers, exposing what layer-wise
 * curvature structures (K-FAC, per-layer blocks, diagonals) are built from: each layer's inputs a and the
 * gradients g of any output-space vector with respect to each layer's pre-activations s = W a + b.
 *
 * <p>Layer l (0 = the one reading the model's inputs) maps {@link #layerInputs(int) in_l} inputs to
 * {@link #layerOutputs(int) out_l} pre-activations; its parameters sit in θ from
 * {@link #layerOffset(int)} as W_l (row-major out_l × in_l) followed by b_l (out_l). The gradient of
 * Σ_i u_iᵀ f_i with respect to W_l is then Δ_lᵀ A_l, and with respect to b_l the column sums of Δ_l, for
 * A_l the N × in_l layer inputs and Δ_l the N × out_l pre-activation gradients: two BLAS-3 products.
 *
 * <p>Models with this linearization declare {@link ModelCapability#DENSE_LAYERS}.
 */
public interface LayeredLinearization extends Linearization {

    /** The number of dense layers L. */
    int layerCount();

    /** The number of inputs in_l of layer l (without the bias). */
    int layerInputs(int layer);

    /** The number of outputs (pre-activations) out_l of layer l. */
    int layerOutputs(int layer);

    /** The offset in θ of W_l; b_l follows W_l. */
    int layerOffset(int layer);

    /** The inputs of layer l, N × in_l row-major (the batch's x for l = 0). Read it, never write it. */
    double[] layerInput(int layer);

    /**
     * Backpropagates output-space vectors to every layer's pre-activations. {@code u} holds N·m rows of K
     * values (row i·m + c belongs to example i, for m vectors per example); {@code deltas[l]} receives the
     * (N·m) × out_l gradients ∂(u_rᵀ f_i)/∂s_l of each row r. Arrays of the right size are allocated when
     * {@code deltas[l]} is null or too short.
     */
    void preActivationGradients(double[] u, int m, double[][] deltas);
}
