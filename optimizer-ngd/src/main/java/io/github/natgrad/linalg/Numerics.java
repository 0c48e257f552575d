package io.github.natgrad.linalg;

import io.github.natgrad.NumericsEnvironment;

/**
 * This host's numerics in one line, for run metadata and saved states: the SIMD width of natgrad's Java
 * kernels ({@link Simd#token()}) and the BLAS with what selects its kernel ({@link Blas#describe()}), e.g.
 * {@code "lanes=8; OpenBLAS 0.3.28-1.5.11, kernel auto on AMD EPYC family 26 model 2 (avx512)"}.
 *
 * <p>natgrad's own kernels give the same bits at every width (see {@link Simd}); the width is recorded so
 * that a difference can be named. Results that go through OpenBLAS (the Gram product above D = 512 or with the SIMD kernels off, LAPACK
 * factorisations and eigen-decompositions, network layers' {@code dgemm}) can differ in their last bits from
 * one BLAS kernel to another. Provided to {@code OptimizerState} as its {@link NumericsEnvironment}.
 */
public final class Numerics implements NumericsEnvironment {
    /** For {@link java.util.ServiceLoader}; use {@link #host()}. */
    public Numerics() {
    }

    /** e.g. {@code "lanes=8; OpenBLAS 0.3.28-1.5.11, kernel auto on AMD EPYC family 26 model 2 (avx512)"}. */
    public static String host() {
        return Simd.token() + "; " + Blas.describe();
    }

    @Override
    public String describe() {
        return host();
    }
}
