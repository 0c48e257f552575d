package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;

/**
 * A factored kind whose weight w_i = ‖B_i‖² of an example, with one output per example, depends on its output f_i
 * and label y_i alone (the true Fisher's Λ(f_i), the empirical Fisher's r_i²): then the residuals and the weights
 * come from one elementwise pass ({@link #residualAndWeights}), over a linearization's outputs or over any layout
 * of (output, label) pairs; with K &gt; 1 outputs both fall back to {@link FactoredCurvature}'s factors.
 */
abstract class ElementwiseWeightedCurvature extends FactoredCurvature {

    ElementwiseWeightedCurvature(String name) {
        super(name);
    }

    /** With one output per example. */
    @Override
    public final boolean elementwiseWeights(Likelihood likelihood) {
        return likelihood.outputsPerExample() == 1;
    }

    /** With one output per example, {@link #residualAndWeights} over the linearization's outputs and the labels. */
    @Override
    public final void writeResidualAndWeights(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double[] scratch, double[] out) {
        if (!elementwiseWeights(likelihood)) {
            super.writeResidualAndWeights(linearization, batch, likelihood, residual, scratch, out);
            return;
        }
        residualAndWeights(likelihood, linearization.outputs(), batch.y(), linearization.rows(), residual, out);
    }

    /** {@link #residualAndWeights} over the {@code count} pairs. */
    @Override
    public final void writeResidualAndWeights(Likelihood likelihood, double[] f, double[] y, int count,
            double[] residual, double[] out) {
        if (!elementwiseWeights(likelihood)) {
            super.writeResidualAndWeights(likelihood, f, y, count, residual, out);
            return;
        }
        residualAndWeights(likelihood, f, y, count, residual, out);
    }

    /** The residuals r_e = ∂ℓ(y_e, f_e)/∂f and this kind's weights w_e of {@code count} one-output pairs. */
    abstract void residualAndWeights(Likelihood likelihood, double[] f, double[] y, int count, double[] residual,
            double[] out);
}
