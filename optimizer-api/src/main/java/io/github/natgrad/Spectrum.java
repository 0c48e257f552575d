package io.github.natgrad;

import java.util.function.DoubleUnaryOperator;

/**
 * The eigen-decomposition C = V diag(w) Vᵀ of a symmetric curvature, eigenvalues ascending. It serves
 * every damping at once: (C + λI)⁻¹ = V diag(1/(w + λ)) Vᵀ, and the saddle-free inverse
 * V diag(1/(|w| + λ)) Vᵀ of Dauphin et al. (2014) is the same call with another spectral map.
 */
public interface Spectrum {

    /** Eigenvalues in ascending order (a copy). */
    double[] eigenvalues();

    /** The smallest eigenvalue. */
    double min();

    /** The largest eigenvalue. */
    double max();

    /**
     * The factorization of V diag(map(w)) Vᵀ, i.e. x = V diag(1/map(w)) Vᵀ b.
     *
     * @throws CurvatureNotPositiveDefiniteException if some map(w) is not positive
     */
    Factorization inverse(DoubleUnaryOperator map);
}
