package io.github.natgrad;

import java.util.Set;

/**
 * A curvature kind: which matrix C preconditions the step θ ← θ − η (C + λI)⁻¹ g.
 *
 * <p>natgrad's kinds (factories in {@code io.github.natgrad.curvature.Curvatures}) are the identity,
 * the true Fisher Σ J_iᵀ Λ(f_i) J_i / N, its Monte-Carlo estimate, the empirical Fisher
 * Σ ∇ℓ_i ∇ℓ_iᵀ / N, the generalised Gauss-Newton matrix Σ J_iᵀ ∇²_f ℓ_i J_i / N and the exact
 * Hessian (the Gauss-Newton matrix plus the model's second-order term). Each is the matrix of the
 * data term, as a mean over the batch; the optimizer adds the prior's curvature I/(σ²N) when the
 * kind {@link #includesPrior() includes it}.
 *
 * <p>Call order, per optimizer: {@link #copy()} once (an optimizer owns its copy, with its buffers and,
 * for sampling kinds, its random stream), then {@link #build} once per step. Not thread-safe.
 */
public interface Curvature {

    /** A short name used in reports, e.g. {@code "fisher"}, {@code "empirical-fisher"}. */
    String name();

    /** The model capabilities this kind needs; an optimizer checks them when it is built. */
    Set<ModelCapability> requires();

    /** Whether this kind needs to sample labels from the likelihood. */
    default boolean requiresSampling() {
        return false;
    }

    /**
     * Whether C is the same at every θ for a model linear in θ (a fixed Jacobian) with this likelihood —
     * the Fisher when the likelihood's {@link Likelihood#fisherIsConstant() Fisher is constant} (the
     * Gaussian) — so that a caller may build and factorise it once. Default false.
     */
    default boolean constantForLinearModel(Likelihood likelihood) {
        return false;
    }

    /** Whether the prior's curvature I/(σ²N) is added to this kind (true for all but the identity). */
    default boolean includesPrior() {
        return true;
    }

    /**
     * Builds C at the linearization for this step.
     *
     * @param linearization  the model at θ on the batch
     * @param batch          the batch (labels for the empirical Fisher and the Hessian)
     * @param likelihood     the model's likelihood
     * @param residual       r = ∂ℓ/∂f at the batch's labels (N × K), already computed for the gradient
     * @param priorPrecision 1/(σ²N) to add on the diagonal when {@link #includesPrior()}, else 0
     * @param solver         the linear-solve strategy the returned system factorises with
     * @return the curvature, valid until the next call of {@code build}
     */
    CurvatureSystem build(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double priorPrecision, Solver solver);

    /**
     * Builds C + diag(p) for a per-parameter prior precision p (an {@link L2Prior} with a scale): the same as
     * {@link #build(Linearization, Batch, Likelihood, double[], double, Solver)} with p on the diagonal. natgrad's
     * Jacobian kinds add p entry by entry; the default accepts a uniform p only (it calls the scalar build).
     *
     * @param priorDiagonal p, one precision per parameter (length D)
     * @throws UnsupportedOperationException if p is not uniform and this kind takes only an isotropic prior
     */
    default CurvatureSystem build(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double[] priorDiagonal, Solver solver) {
        return build(linearization, batch, likelihood, residual, uniformPrior(priorDiagonal), solver);
    }

    /**
     * This step's matrix-free operator C + diag(p) for a per-parameter prior precision p; the default accepts a
     * uniform p only, like {@link #build(Linearization, Batch, Likelihood, double[], double[], Solver)}.
     */
    default CurvatureOperator operator(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double[] priorDiagonal) {
        return operator(linearization, batch, likelihood, residual, uniformPrior(priorDiagonal));
    }

    /** The common value of a uniform per-parameter prior precision; refuses a non-uniform one. */
    private double uniformPrior(double[] priorDiagonal) {
        for (double p : priorDiagonal) {
            if (Double.compare(p, priorDiagonal[0]) != 0) {
                throw new UnsupportedOperationException("the " + name() + " curvature takes only an isotropic prior "
                        + "(one precision for every parameter), but this prior's precision differs between "
                        + "parameters: use one of natgrad's curvature kinds, or an L2Prior without a scale");
            }
        }
        return priorDiagonal.length == 0 ? 0.0 : priorDiagonal[0];
    }

    /** A fresh copy for one optimizer: same configuration, own buffers and random stream. */
    Curvature copy();

    /**
     * This kind in the state of a fresh {@link #copy()} (the random stream of a sampling kind back at its
     * seed), for {@code Optimizer.reset()}. Implementations that can keep their buffers return
     * {@code this} after resetting their other state; the default returns a new copy.
     */
    default Curvature reset() {
        return copy();
    }

    /**
     * The model capabilities this kind needs to give a matrix-free {@link #operator}; by default
     * {@link #requires()} plus {@link ModelCapability#JACOBIAN_VECTOR_PRODUCT}.
     */
    default Set<ModelCapability> requiresMatrixFree() {
        java.util.EnumSet<ModelCapability> s = java.util.EnumSet.noneOf(ModelCapability.class);
        s.addAll(requires());
        s.add(ModelCapability.JACOBIAN_VECTOR_PRODUCT);
        return s;
    }

    /**
     * This step's curvature as a matrix-free operator (same arguments as {@link #build}, without a solver):
     * products C v from J v and Jᵀu, never a D × D matrix. Valid until the next call of {@code build} or
     * {@code operator}.
     *
     * @throws UnsupportedOperationException if this kind has no matrix-free form
     */
    default CurvatureOperator operator(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double priorPrecision) {
        throw new UnsupportedOperationException("the " + name() + " curvature has no matrix-free operator; use a "
                + "dense solver (cholesky, eigen)");
    }

    /**
     * Writes what this copy carries between steps (the random stream of a sampling kind) into a state, each entry's name
     * starting with {@code prefix}. Stateless implementations write nothing (the default).
     */
    default void writeState(OptimizerState.Builder out, String prefix) {
    }

    /** Restores what {@link #writeState} wrote under {@code prefix}. */
    default void readState(OptimizerState in, String prefix) {
    }
}
