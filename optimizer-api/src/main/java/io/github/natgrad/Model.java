package io.github.natgrad;

import java.util.Set;

/**
 * A differentiable model f(θ, x) ∈ ℝᴷ with a likelihood p(y | f): an oracle that answers questions
 * about a batch at a parameter vector θ, not a training framework.
 *
 * <p>The objective natgrad minimises is the mean negative log-likelihood
 * L(θ) = (1/N) Σ_i ℓ(y_i, f(θ, x_i)), plus an optional {@link L2Prior}. Every curvature kind is built
 * from what a {@link Linearization} at θ gives: the outputs, products with the per-example Jacobians
 * J_i = ∂f(θ, x_i)/∂θ and, for the exact Hessian, the model's second-order term.
 *
 * <p>Parameters travel as plain {@code double[]} on this interface, the hot path of every step; the
 * {@link Optimizer} accepts ND4J arrays and converts once per step.
 */
public interface Model {

    /** Number of parameters D. */
    int parameterCount();

    /** Number of input columns p this model reads from a {@link Batch}. */
    int inputColumns();

    /** The likelihood of a label given this model's outputs. */
    Likelihood likelihood();

    /** What this model can compute; see {@link ModelCapability}. */
    Set<ModelCapability> capabilities();

    /**
     * Evaluates the model at θ on a batch (the forward pass) and returns its linearization there.
     * θ must not change while the linearization is in use.
     */
    Linearization linearize(double[] theta, Batch batch);

    /** A short description, e.g. {@code "logistic regression (31 parameters, bias)"}. */
    default String describe() {
        return getClass().getSimpleName() + " (" + parameterCount() + " parameters)";
    }
}
