package io.github.natgrad.layerwise;

/** Test access to the package-private {@link SymmetricInverse}. */
public final class SymmetricInverseAccess {
    private SymmetricInverseAccess() {
    }

    /** (S + shift·I)⁻¹ by Cholesky. */
    public static double[] inverse(double[] s, int n, double shift, String what) {
        return SymmetricInverse.of(s, n, shift, InverseMethod.CHOLESKY, what);
    }
}
