package io.github.natgrad.models;

import io.github.natgrad.Batch;
import io.github.natgrad.Linearization;

/**
 * What the linearizations of the linear models (the GLM's f = X̃θ, softmax regression's K outputs per example)
 * hold alike: the batch, the outputs f (N × K, row-major) and the sizes N, K and D. Each model adds its products
 * with the Jacobian J_i = I_K ⊗ x̃_iᵀ.
 */
abstract class LinearModelLinearization implements Linearization {
    /** The batch the model is linearized on. */
    protected final Batch batch;
    /** The outputs f(θ, x_i), N × K. */
    protected final double[] f;
    private final int outputs;
    private final int parameters;

    LinearModelLinearization(Batch batch, double[] f, int outputs, int parameters) {
        this.batch = batch;
        this.f = f;
        this.outputs = outputs;
        this.parameters = parameters;
    }

    @Override
    public final int rows() {
        return batch.rows();
    }

    @Override
    public final int outputsPerExample() {
        return outputs;
    }

    @Override
    public final int parameterCount() {
        return parameters;
    }

    @Override
    public final double[] outputs() {
        return f;
    }

    @Override
    public final boolean linearInParameters() {
        return true;
    }
}
