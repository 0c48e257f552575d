package io.github.natgrad.models;

import io.github.natgrad.Batch;
import io.github.natgrad.LayeredLinearization;
import java.nio.DoubleBuffer;

/**
 * A {@link MultilayerPerceptron} at θ on one batch, as natgrad's optimizers see it: the forward pass
 * ({@link MlpForward}) kept for the passes that follow — reverse mode ({@link MlpReverse}: Jᵀu, Jacobian rows and
 * the layer-wise structures' hooks: each layer's inputs and pre-activation gradients), forward mode
 * ({@link MlpForwardMode}: J v) and the second-order term ({@link MlpSecondOrder}).
 */
final class MlpLinearization implements LayeredLinearization {
    private final MultilayerPerceptron model;
    private final MlpArchitecture arch;
    private final MlpForward forward;
    private final MlpReverse reverse;

    MlpLinearization(MultilayerPerceptron model, MlpArchitecture arch, double[] theta, Batch batch) {
        this.model = model;
        this.arch = arch;
        this.forward = new MlpForward(arch, theta, batch);
        this.reverse = new MlpReverse(forward);
    }

    @Override
    public int layerCount() {
        return forward.layers;
    }

    @Override
    public int layerInputs(int layer) {
        return arch.sizes[layer];
    }

    @Override
    public int layerOutputs(int layer) {
        return arch.sizes[layer + 1];
    }

    @Override
    public int layerOffset(int layer) {
        return arch.weightOffset[layer];
    }

    @Override
    public double[] layerInput(int layer) {
        return forward.hl[layer];
    }

    @Override
    public void preActivationGradients(double[] u, int m, double[][] deltas) {
        reverse.preActivationGradients(u, m, deltas);
    }

    @Override
    public int rows() {
        return forward.n;
    }

    @Override
    public int outputsPerExample() {
        return arch.outputs();
    }

    @Override
    public int parameterCount() {
        return arch.parameters;
    }

    @Override
    public double[] outputs() {
        return forward.f;
    }

    @Override
    public void vectorJacobianProduct(double[] u, double[] out) {
        reverse.vectorJacobianProduct(u, out);
    }

    @Override
    public void jacobianRows(int from, int to, double[] b, int m, DoubleBuffer out) {
        reverse.jacobianRows(from, to, b, m, out);
    }

    /**
     * Adds scale · Σ_i ∇²_θ (r_iᵀ f(θ, x_i)) to c, one column per basis direction e_j, each column a
     * forward-over-reverse Hessian-vector product; the result is symmetrised.
     */
    @Override
    public void addSecondOrderTerm(double[] r, double scale, double[] c) {
        int d = arch.parameters;
        if (c.length != d * d) {
            throw new IllegalArgumentException("the second-order term of " + model.describe() + " needs a " + d
                    + " x " + d + " matrix, got " + c.length + " entries");
        }
        new MlpSecondOrder(forward).addTo(r, scale, c);
    }

    @Override
    public void jacobianVectorProduct(double[] v, double[] out) {
        new MlpForwardMode(forward).jacobianVectorProduct(v, out);
    }

    @Override
    public boolean linearInParameters() {
        return forward.layers == 1;
    }

    @Override
    public void secondOrderTermProduct(double[] r, double scale, double[] v, double[] out) {
        if (forward.layers == 1) {
            return; // no hidden layer: f is linear in θ
        }
        new MlpSecondOrder(forward).product(r, scale, v, out);
    }
}
