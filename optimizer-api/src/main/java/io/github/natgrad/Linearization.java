package io.github.natgrad;

import java.nio.DoubleBuffer;

/**
 * A model evaluated at θ on one batch: its outputs and the products with its per-example Jacobians
 * J_i = ∂f(θ, x_i)/∂θ (K × D each) that the curvature kinds are built from.
 *
 * <p>Arrays are row-major. N is the batch size, K the outputs per example, D the parameter count.
 *
 * <p><b>Implementing it for your own model.</b> The dense curvature kinds need {@link #outputs()},
 * {@link #vectorJacobianProduct} (the gradient) and {@link #jacobianRows}; the matrix-free solvers (CG,
 * Woodbury) need {@link #jacobianVectorProduct} instead of the rows (forward mode, J v), and the exact
 * Hessian additionally {@link #secondOrderTermProduct} (forward-over-reverse). Every output array is
 * <em>overwritten</em>, never accumulated into, except where a method says "adds". Declare what you
 * implemented in {@link Model#capabilities()}, then run
 * {@code io.github.natgrad.check.OracleChecker} once on your model: it compares the gradient with
 * finite differences of the loss, J v with Jᵀu by the adjoint identity ⟨Jv, u⟩ = ⟨v, Jᵀu⟩ and the rows
 * with the products.
 */
public interface Linearization {

    /** The number of examples N. */
    int rows();

    /** The number of outputs K per example. */
    int outputsPerExample();

    /** The number of parameters D. */
    int parameterCount();

    /** The outputs f(θ, x_i), N × K. The linearization's own array: read it, never write it. */
    double[] outputs();

    /** Writes {@code out} = Σ_i J_iᵀ u_i (length D) for {@code u} of N × K; the gradient when u = r. */
    void vectorJacobianProduct(double[] u, double[] out);

    /**
     * For the examples {@code from} ≤ i &lt; {@code to}, writes the ((to − from)·m) × D matrix whose row
     * (i, a) is Σ_k b[i, k, a] · J_i[k, :], i.e. the rows of B_iᵀ J_i, for per-example K × m coefficients
     * {@code b} ((to − from) × K × m, the first block row belonging to example {@code from}). With B_i a
     * factor of a K × K matrix A_i = B_i B_iᵀ, the Gram matrix of these rows is Σ_i J_iᵀ A_i J_i: one
     * BLAS-3 call builds every curvature kind from them. {@code out} is either a direct buffer, handed to
     * native BLAS without a copy, or a heap buffer whose array a SIMD kernel reads ({@code hasArray()}
     * tells which); write it with absolute {@code put}, or into {@code array()} from {@code arrayOffset()}.
     *
     * @throws UnsupportedOperationException if the model lacks {@link ModelCapability#JACOBIAN}
     */
    void jacobianRows(int from, int to, double[] b, int m, DoubleBuffer out);

    /**
     * Adds {@code scale} · Σ_i Σ_k r[i, k] ∇²_θ f_k(θ, x_i) to the D × D matrix {@code c}: the part of the
     * loss Hessian the Gauss-Newton matrix drops. Zero for models linear in θ.
     *
     * @throws UnsupportedOperationException if the model lacks {@link ModelCapability#SECOND_ORDER_TERM}
     */
    void addSecondOrderTerm(double[] r, double scale, double[] c);

    /**
     * Writes {@code out} = J v (N × K) for {@code v} of length D: the directional derivative of every output,
     * out[i, k] = ∇_θ f_k(θ, x_i) · v (forward mode). Overwrites {@code out}.
     *
     * @throws UnsupportedOperationException if the model lacks {@link ModelCapability#JACOBIAN_VECTOR_PRODUCT}
     */
    default void jacobianVectorProduct(double[] v, double[] out) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement "
                + "Linearization.jacobianVectorProduct (J v), which the matrix-free solvers need; implement it "
                + "and declare ModelCapability.JACOBIAN_VECTOR_PRODUCT, or use a dense solver (cholesky, eigen)");
    }

    /**
     * Adds {@code scale} · Σ_i Σ_k r[i, k] ∇²_θ f_k(θ, x_i) v to {@code out} (length D): the product of the
     * second-order term of {@link #addSecondOrderTerm} with v, without forming it (for a network: one
     * forward-over-reverse pass, Pearlmutter 1994). Zero for models linear in θ.
     *
     * @throws UnsupportedOperationException if the model lacks {@link ModelCapability#SECOND_ORDER_PRODUCT}
     */
    default void secondOrderTermProduct(double[] r, double scale, double[] v, double[] out) {
        if (linearInParameters()) {
            return;
        }
        throw new UnsupportedOperationException(getClass().getName() + " does not implement "
                + "Linearization.secondOrderTermProduct, which the matrix-free exact Hessian needs; implement it "
                + "and declare ModelCapability.SECOND_ORDER_PRODUCT, or use the gauss-newton kind");
    }

    /**
     * True when f is linear in θ (a generalised linear model), so the second-order term vanishes, the
     * Hessian equals the Gauss-Newton matrix and J does not depend on θ. Default false.
     */
    default boolean linearInParameters() {
        return false;
    }

    /**
     * Adds {@code scale} · Σ_i Σ_a (row (i, a) of {@link #jacobianRows})ⱼ² to {@code diagonal[j]}: the
     * diagonal of Σ_i J_iᵀ B_i B_iᵀ J_i, for the Jacobi preconditioner of the iterative solvers. The
     * default builds the rows in blocks (O(N·m·D) time, O(D·min(N·m, 4096)) memory); a model whose rows
     * are sparse (the GLMs) overrides it in O(nnz).
     */
    default void addJacobianRowSquares(double[] b, int m, double scale, double[] diagonal) {
        int n = rows();
        int k = outputsPerExample();
        int d = parameterCount();
        int perBlock = Math.max(1, Math.min(n, 4096 / Math.max(1, m)));
        double[] rows = new double[perBlock * m * d];
        double[] blockB = new double[perBlock * k * m];
        for (int from = 0; from < n; from += perBlock) {
            int to = Math.min(n, from + perBlock);
            System.arraycopy(b, from * k * m, blockB, 0, (to - from) * k * m);
            jacobianRows(from, to, blockB, m, DoubleBuffer.wrap(rows));
            for (int r = 0; r < (to - from) * m; r++) {
                for (int j = 0; j < d; j++) {
                    double e = rows[r * d + j];
                    diagonal[j] += scale * e * e;
                }
            }
        }
    }
}
