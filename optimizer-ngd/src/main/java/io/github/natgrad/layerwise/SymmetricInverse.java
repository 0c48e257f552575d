package io.github.natgrad.layerwise;

import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.BlasKernelException;
import io.github.natgrad.linalg.CholeskyFailure;
import io.github.natgrad.linalg.Gemm;
import io.github.natgrad.linalg.SolveCheck;
import java.util.SplittableRandom;

/**
 * (S + shift·I)⁻¹ of a symmetric positive semi-definite row-major n × n matrix S, by Cholesky
 * ({@code dpotrf} + {@code dpotri}) or eigen-decomposition ({@code dsyevd}, negative eigenvalues of S, which
 * are rounding, clipped to 0).
 *
 * <p>Never silently wrong: the inverse X is checked on a fixed pseudo-random probe z (seed
 * {@value #PROBE_SEED}): the residual ‖(S + shift·I)Xz − z‖ of the solve y = Xz must be at rounding level
 * ({@link SolveCheck}'s tolerance, O(n²)). Above it X gets one Newton–Schulz refinement X ← X(2I − (S +
 * shift·I)X) (two products, only then), and a {@link BlasKernelException} if the probe still fails. A
 * Cholesky failure is confirmed by natgrad's own factorisation before S + shift·I is reported not positive
 * definite (with its smallest eigenvalue), and a non-finite entry of S is reported as such.
 */
final class SymmetricInverse {
    /** The seed of the probe vector. */
    static final long PROBE_SEED = 20261203L;

    private SymmetricInverse() {
    }

    /** Returns a new array holding (S + shift·I)⁻¹; S is not changed. */
    static double[] of(double[] s, int n, double shift, InverseMethod method, String what) {
        String nonFinite = CholeskyFailure.nonFiniteEntry(n, s);
        if (nonFinite != null || !Double.isFinite(shift)) {
            throw new IllegalStateException("the " + what + " has a non-finite entry " + (nonFinite != null
                    ? nonFinite : "(the damping shift is " + shift + ")") + ": it averages the layer's "
                    + (what.contains("gradient") ? "back-propagated output gradients" : "inputs (activations)")
                    + ", which were not finite (a diverged step, or non-finite data); lower the step size or check "
                    + "the data");
        }
        double[] inverse = method == InverseMethod.CHOLESKY ? cholesky(s, n, shift, what) : eigen(s, n, shift, what);
        check(s, n, shift, inverse, what, method);
        return inverse;
    }

    private static double[] cholesky(double[] s, int n, double shift, String what) {
        double[] a = s.clone();
        for (int i = 0; i < n; i++) {
            a[i * n + i] += shift;
        }
        int info = Blas.choleskyUpper(n, a);
        if (info > 0) {
            String shifted = String.format("the %s + %.3g I", what, shift);
            CholeskyFailure.confirm(n, s, shift, info, shifted);
            double[] w = new double[n];
            double[] v = s.clone();
            Blas.symmetricEigen(n, v, w);
            throw new CurvatureNotPositiveDefiniteException(what, w[0], shift);
        }
        info = Blas.choleskyInverseUpper(n, a);
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_dpotri failed with info " + info + " on the " + what);
        }
        Blas.symmetrizeFromUpper(n, a);
        return a;
    }

    private static double[] eigen(double[] s, int n, double shift, String what) {
        double[] a = s.clone();
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

    /** The probe check of X ≈ (S + shift·I)⁻¹, with one Newton–Schulz refinement of X in place if needed. */
    private static void check(double[] s, int n, double shift, double[] inverse, String what, InverseMethod method) {
        double[] z = new double[n];
        SplittableRandom random = new SplittableRandom(PROBE_SEED);
        for (int i = 0; i < n; i++) {
            z[i] = random.nextDouble() - 0.5;
        }
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += s[i * n + i] + shift;
        }
        double norm = trace + Math.abs(shift); // trace(S + shift I) ≥ ‖|S + shift I|‖₂ for a positive definite one
        double[] first = probe(s, n, shift, inverse, z, norm);
        if (first[0] <= first[1]) {
            return;
        }
        // X ← X(2I − AX), symmetrised, then the probe again
        double[] ax = new double[n * n];
        double[] shifted = s.clone();
        for (int i = 0; i < n; i++) {
            shifted[i * n + i] += shift;
        }
        Gemm.multiply(false, false, n, n, n, -1.0, shifted, inverse, 0.0, ax);
        for (int i = 0; i < n; i++) {
            ax[i * n + i] += 2;
        }
        double[] refined = new double[n * n];
        Gemm.multiply(false, false, n, n, n, 1.0, inverse, ax, 0.0, refined);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = 0.5 * (refined[i * n + j] + refined[j * n + i]);
                inverse[i * n + j] = v;
                inverse[j * n + i] = v;
            }
        }
        double[] second = probe(s, n, shift, inverse, z, norm);
        if (!(second[0] <= second[1])) {
            String routine = "inverse of the " + what + (method == InverseMethod.CHOLESKY ? " (LAPACK dpotrf/dpotri)"
                    : " (LAPACK dsyevd)");
            throw new BlasKernelException(routine, String.format("for a probe z, ||(S + %.3g I) X z - z|| = %.3g ||z|| "
                    + "(n = %d), and %.3g ||z|| after a Newton-Schulz refinement of X, where rounding allows %.3g ||z||",
                    shift, first[0], n, second[0], second[1]));
        }
    }

    /** {‖(S + shift·I)Xz − z‖, tolerance}, both relative to ‖z‖. */
    private static double[] probe(double[] s, int n, double shift, double[] inverse, double[] z, double norm) {
        double[] y = new double[n];
        Blas.symv(n, inverse, z, y);
        double[] r = new double[n];
        Blas.symv(n, s, y, r);
        double rNorm = 0;
        double yNorm = 0;
        double zNorm = 0;
        for (int i = 0; i < n; i++) {
            double e = z[i] - (r[i] + shift * y[i]);
            rNorm += e * e;
            yNorm += y[i] * y[i];
            zNorm += z[i] * z[i];
        }
        zNorm = Math.sqrt(zNorm);
        double residual = Math.sqrt(rNorm) / zNorm;
        double tolerance = SolveCheck.FACTOR * n * Math.ulp(1.0) * (norm * Math.sqrt(yNorm) / zNorm + 1);
        return new double[] {Double.isNaN(residual) ? Double.POSITIVE_INFINITY : residual, tolerance};
    }
}
