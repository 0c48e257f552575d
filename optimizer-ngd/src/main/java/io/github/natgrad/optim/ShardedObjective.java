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
 * θ) — or, for an objective that {@linkplain #sumsCurvatureMatrix() sums the dense matrix}, {@link #curvatureMatrix}
 * — and any number of {@link #loss} evaluations at trial points.
 *
 * <p>Two structures: <b>matrix-free</b> (the default: the step solves by conjugate gradients, one
 * {@link #curvature} product per CG iteration, nothing D × D), and <b>dense</b> ({@link #sumsCurvatureMatrix()}
 * true: Σ_s n_s C_s, D × D, summed once per θ, and the step factorises it on the caller's side with the
 * configured solver — Cholesky, eigen, or CG on the dense matrix — so a step costs no sums beyond the matrix's).
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

    /**
     * Whether this objective sums the curvature kind's dense D × D matrix ({@link #curvatureMatrix}) — the dense
     * structure, for small D — instead of answering products. False by default (matrix-free).
     */
    default boolean sumsCurvatureMatrix() {
        return false;
    }

    /**
     * Σ_i J_iᵀ B_i B_iᵀ J_i (plus the kind's second-order term) over all the examples at the θ of the last
     * {@link #lossAndGradient}: N times the kind's dense matrix {@link Curvature#build} on one batch of all the
     * examples, without the prior; row-major D × D, both triangles, a new array the caller owns. Only when
     * {@link #sumsCurvatureMatrix()}.
     */
    default double[] curvatureMatrix(Curvature kind) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is matrix-free: it sums no D × D "
                + "curvature matrix (sumsCurvatureMatrix() is false); use curvature(kind, priorPrecision)");
    }
}
