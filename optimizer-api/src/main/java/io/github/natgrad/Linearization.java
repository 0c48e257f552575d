package io.github.natgrad;

import java.nio.DoubleBuffer;

/**
 * A model evaluated at θ on one batch: its outputs and the products with its per-example Jacobians
 * J_i = ∂f(θ, x_i)/∂θ (K × D each) that the curvature kinds are built from.
 *
 * <p>Arrays are row-major. N is the batch size, K the outputs per example, D the parameter count.
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
}
