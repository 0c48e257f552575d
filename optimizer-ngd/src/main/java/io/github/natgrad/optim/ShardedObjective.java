package io.github.natgrad.optim;

import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.Model;

/**
 * The data term of natgrad's objective held elsewhere — in shards on a cluster, on disk — and answered as
 * sums over the examples, so that a {@link NaturalGradient} optimizer can step on data it never holds:
 * {@link NaturalGradient#build(ShardedObjective)}. Nothing of size N (examples) or D × D crosses this
 * interface; every answer is O(D).
 *
 * <p>With ℓ_i the negative log-likelihood of example i, f_i = f(θ, x_i), r_i = ∂ℓ_i/∂f_i and J_i the
 * Jacobian of f_i, an implementation returns Σ_i ℓ_i and Σ_i J_iᵀ r_i (the optimizer divides by N and
 * adds the prior), and the curvature kind's operator of the whole data, v ↦ (1/N) Σ_i J_iᵀ B_i B_iᵀ J_i v
 * + τ v, exactly as the kind's {@link Curvature#operator} over one batch of all the examples would give.
 * The natural implementation sums, per shard, what the library's own model and curvature kind compute on
 * that shard's {@link io.github.natgrad.Batch} (a shard's mean operator scaled by its row count n_s, then
 * divided by N): one implementation of the math, summed.
 *
 * <p>Call order, per step: {@link #lossAndGradient} at θ, then {@link #curvature} (the curvature at that
 * θ) and any number of {@link #loss} evaluations at trial points.
 */
public interface ShardedObjective {

    /** The model (D, the likelihood, its description); the same object the shards evaluate. */
    Model model();

    /** The number of examples N over all shards. */
    int rows();

    /** The stored input values over all shards (nnz for sparse data, N·p for dense). */
    long nonZeros();

    /**
     * Σ_i ℓ_i at θ, and Σ_i J_iᵀ r_i written into {@code gradientSum} (length D, overwritten); θ becomes the
     * point of the next {@link #curvature} call.
     */
    double lossAndGradient(double[] theta, double[] gradientSum);

    /** Σ_i ℓ_i at θ (a trial point of a line search or a reduction ratio). */
    double loss(double[] theta);

    /**
     * The curvature kind's operator over all the examples at the θ of the last {@link #lossAndGradient}:
     * products (1/N) Σ_i J_iᵀ B_i B_iᵀ J_i v + {@code priorPrecision} · v, its diagonal when the kind has one.
     */
    CurvatureOperator curvature(Curvature kind, double priorPrecision);
}
