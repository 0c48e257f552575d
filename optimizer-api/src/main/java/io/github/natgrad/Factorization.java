package io.github.natgrad;

/** A factorised symmetric positive definite matrix A, ready to solve A x = b. */
public interface Factorization {

    /** Writes x = A⁻¹ b; {@code b} is left unchanged, {@code x} may be {@code b}. */
    void solve(double[] b, double[] x);
}
