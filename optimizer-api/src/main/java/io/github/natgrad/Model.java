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

    /**
     * This model's forward pass on one batch held fixed: {@link #linearize(double[], Batch)} on that batch,
     * θ the only argument. See {@link Model#forBatch}.
     */
    @FunctionalInterface
    interface OnBatch {
        /** The linearization at θ on the batch this oracle was made for. */
        Linearization linearize(double[] theta);

        /**
         * {@link #linearize(double[])}, with f written into {@code outputs} (length N) where the model can: the
         * linearization may then hold that array as its {@link Linearization#outputs()}, so an optimizer that passes
         * the same array every step allocates no N-vector; the caller must not reuse it while the linearization
         * is in use. The default ignores {@code outputs}. The bits are those of {@link #linearize(double[])}.
         */
        default Linearization linearize(double[] theta, double[] outputs) {
            return linearize(theta);
        }
    }

    /**
     * This model prepared for many linearizations on one {@code batch}: the hook through which a model lays
     * a batch out once for the steps that follow (a generalised linear model keeps its dense design in the
     * layouts of one step). An optimizer asks for it from the second linearization on the same batch object
     * (a batch seen once would not earn the layout back) and drops it at the next batch. What it returns
     * must give the bits of {@link #linearize(double[], Batch)} on {@code batch}: preparing is a matter of
     * speed. Batches are immutable, so the prepared oracle stays valid for the batch's life.
     *
     * <p>The default prepares nothing: {@code theta -> linearize(theta, batch)}.
     */
    default OnBatch forBatch(Batch batch) {
        return theta -> linearize(theta, batch);
    }

    /**
     * The starting point θ₀ of a run with this seed. The default is θ = 0, the start of a model whose loss
     * has no symmetry to break (a generalised linear model: Kunstner et al. 2019 start every run there); a
     * model that needs a random start (a network, whose hidden units θ = 0 leaves identical) draws it here
     * from the seed, and declares {@link ModelCapability#SEEDED_INITIALIZATION}. The same seed gives the same θ₀.
     */
    default double[] initialParameters(long seed) {
        return new double[parameterCount()];
    }

    /** A short description, e.g. {@code "logistic regression (31 parameters, bias)"}. */
    default String describe() {
        return getClass().getSimpleName() + " (" + parameterCount() + " parameters)";
    }
}
