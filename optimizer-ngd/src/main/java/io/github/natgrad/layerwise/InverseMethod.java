package io.github.natgrad.layerwise;

/** How a layer-wise structure inverts its damped factors, every inverse-update period. */
enum InverseMethod {
    /** Cholesky factorisation and its inverse (LAPACK dpotrf + dpotri): about n³ flops, the default. */
    CHOLESKY,
    /** Symmetric eigen-decomposition (LAPACK dsyevd): about 9n³ flops, robust to a rank-deficient factor. */
    EIGEN
}
