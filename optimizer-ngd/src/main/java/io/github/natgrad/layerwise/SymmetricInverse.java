package io.github.natgrad.layerwise;

import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.Gemm;
import org.bytedeco.openblas.global.openblas;

/** (S + shift·I)⁻¹ of a symmetric positive semi-definite row-major n × n matrix S, by Cholesky or eigen. */
final class SymmetricInverse {
    private SymmetricInverse() {
    }

    /** Returns a new array holding (S + shift·I)⁻¹; S is not changed. */
    static double[] of(double[] s, int n, double shift, InverseMethod method, String what) {
        double[] a = s.clone();
        if (method == InverseMethod.CHOLESKY) {
            for (int i = 0; i < n; i++) {
                a[i * n + i] += shift;
            }
            int info = Blas.choleskyUpper(n, a);
            if (info > 0) {
                throw new CurvatureNotPositiveDefiniteException(what, Double.NaN, shift);
            }
            info = openblas.LAPACKE_dpotri(openblas.LAPACK_COL_MAJOR, (byte) 'L', n, a, n);
            if (info != 0) {
                throw new IllegalStateException("LAPACKE_dpotri failed with info " + info + " on " + what);
            }
            Blas.symmetrizeFromUpper(n, a);
            return a;
        }
        double[] w = new double[n];
        Blas.symmetricEigen(n, a, w);
        double[] scaled = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double lambda = Math.max(w[j], 0.0) + shift;
                if (!(lambda > 0)) {
                    throw new CurvatureNotPositiveDefiniteException(what, w[j], shift);
                }
                scaled[i * n + j] = a[i * n + j] / lambda;
            }
        }
        double[] inverse = new double[n * n];
        Gemm.multiply(false, true, n, n, n, 1.0, scaled, a, 0.0, inverse);
        Blas.symmetrizeFromUpper(n, inverse);
        return inverse;
    }
}
