package io.github.natgrad.optim;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;

/**
 * The objective every optimizer minimises on a batch, L(θ) = (1/N) Σ_i ℓ(y_i, f(θ, x_i)) + ½ θᵀθ/(σ²N)
 * (+ ½ Σ_j s_j θ_j²/(σ²N) instead for a prior with a per-parameter scale, {@link PriorTerm}), with its gradient: the one place the loss and the gradient of a step are computed, shared by the
 * first-order and the layer-wise optimizers. Owns scratch buffers; not thread-safe.
 */
public final class MinibatchObjective {
    private final Model model;
    private final L2Prior prior;
    private final PriorTerm terms;
    private double[] residual = new double[0];
    private Batch checkedBatch;

    /**
     * The objective of {@code model} with an optional prior ({@code null}: none).
     *
     * @throws IllegalArgumentException if the prior's per-parameter scale does not fit the model
     */
    public MinibatchObjective(Model model, L2Prior prior) {
        this.model = Checks.notNull(model, "model");
        this.terms = PriorTerm.of(prior, model);
        this.prior = terms.scaled() ? null : prior;
    }

    /** The model. */
    public Model model() {
        return model;
    }

    /** Checks θ (length, finite) and, once per batch object, the batch's columns and labels. */
    public void check(double[] theta, Batch batch) {
        Checks.notNull(theta, "theta");
        Checks.notNull(batch, "batch");
        Checks.length(theta, model.parameterCount(), "theta", model.describe());
        Checks.finite(theta, "theta");
        if (batch != checkedBatch) {
            Checks.columns(model, batch);
            model.likelihood().checkLabels(batch.y(), batch.rows());
            checkedBatch = batch;
        }
    }

    /**
     * The objective at the linearization's θ, writing its gradient into {@code gradient}; the residual
     * r = ∂ℓ/∂f (N × K) stays available through {@link #residual()} until the next call.
     */
    public double lossAndGradient(double[] theta, Linearization lin, Batch batch, double[] gradient) {
        Likelihood likelihood = model.likelihood();
        int n = batch.rows();
        int k = likelihood.outputsPerExample();
        if (residual.length < n * k) {
            residual = new double[n * k];
        }
        double priorPrecision = prior == null ? 0.0 : prior.precision(n);
        double loss = likelihood.lossAndResidual(lin.outputs(), batch.y(), n, residual) / n;
        lin.vectorJacobianProduct(residual, gradient);
        double scale = 1.0 / n;
        double norm2 = 0;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = gradient[i] * scale + priorPrecision * theta[i];
            norm2 += theta[i] * theta[i];
        }
        terms.addGradient(theta, n, gradient);
        return loss + 0.5 * priorPrecision * norm2 + terms.penalty(theta, n);
    }

    /** The residual of the last {@link #lossAndGradient} call (N × K; the array may be longer). */
    public double[] residual() {
        return residual;
    }

    /**
     * The isotropic prior's precision 1/(σ²N) for a batch of N; 0 without a prior and for a prior with a
     * per-parameter scale (see {@link #priorDiagonal}).
     */
    public double priorPrecision(int n) {
        return prior == null ? 0.0 : prior.precision(n);
    }

    /** A scaled prior's per-parameter precisions for a batch of N (shared, read-only); null otherwise. */
    public double[] priorDiagonal(int n) {
        return terms.diagonal(n);
    }

    /** Σ_j p_j x_j y_j of a scaled prior, 0 otherwise (the scaled prior's part of a quadratic model). */
    public double priorQuadratic(double[] x, double[] y, int n) {
        return terms.quadratic(x, y, n);
    }

    /**
     * {@link io.github.natgrad.Optimizer#loss}: θ and the batch checked against the model ({@link #check}), then
     * {@link #loss}.
     */
    public double checkedLoss(double[] theta, Batch batch) {
        check(theta, batch);
        return loss(theta, batch);
    }

    /** The objective at θ, without the gradient; +∞ when θ is not finite (an overlong trial step). */
    public double loss(double[] theta, Batch batch) {
        double norm2 = 0;
        for (double v : theta) {
            if (!Double.isFinite(v)) {
                return Double.POSITIVE_INFINITY;
            }
            norm2 += v * v;
        }
        int n = batch.rows();
        Linearization lin = model.linearize(theta, batch);
        return model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, null) / n
                + 0.5 * priorPrecision(n) * norm2 + terms.penalty(theta, n);
    }
}
