package io.github.natgrad.linalg;

/**
 * The residual check every dense solve of natgrad makes: after x = A⁻¹b from a factorisation (Cholesky,
 * eigen-decomposition), one product gives r = b − A x (O(D²)), and x is accepted when
 * <pre>
 *   ‖r‖ ≤ {@value #FACTOR} · D · ε · (‖A‖·‖x‖ + ‖b‖),
 * </pre>
 * i.e. when the normwise backward error ‖r‖ / (‖A‖‖x‖ + ‖b‖) is at rounding level (ε the machine epsilon,
 * ‖A‖ an upper bound of the 2-norm). Read as a bound on the relative residual, ‖r‖/‖b‖ ≤ {@value #FACTOR}·D·ε·(κ̂ + 1)
 * with κ̂ = ‖A‖‖x‖/‖b‖ ≤ κ(A) a condition estimate that comes free with the solve: a backward-stable
 * solve (Cholesky, Higham 2002 §10.1; a correct eigen-decomposition) always passes, however ill-conditioned
 * A is, and a wrong kernel (OpenBLAS 0.3.19's SkylakeX dpotrf: residuals of order 0.1 ‖b‖) never does.
 * Above the tolerance x gets one step of iterative refinement, x ← x + A⁻¹r (Higham 2002 §12.1); if the
 * residual is still above it, the solve was wrong and a {@link BlasKernelException} names the routine and
 * the OpenBLAS kernel. A right-hand side with a NaN or infinite entry is not checked (the solution is
 * then not finite either, which the optimizer reports as divergence).
 */
public final class SolveCheck {
    /** The constant in the tolerance (a worst-case Cholesky bound grows like D·ε; the observed error is far below). */
    public static final double FACTOR = 64;

    private SolveCheck() {
    }

    /** out = A x. */
    @FunctionalInterface
    public interface Product {
        void multiply(double[] x, double[] out);
    }

    /** x = A⁻¹ b with the factorisation being checked ({@code x} may be {@code b}). */
    @FunctionalInterface
    public interface Solve {
        void solve(double[] b, double[] x);
    }

    /**
     * Checks x ≈ A⁻¹b, refines it once in place if its residual is above the tolerance, and throws if it
     * still is.
     *
     * @param routine what computed x, for the message, e.g. {@code "Cholesky solve (LAPACK dpotrf/dpotrs)"}
     * @param d       the dimension
     * @param norm    an upper bound of ‖A‖₂ (e.g. the trace of a positive definite A, or max|w| + |λ|)
     * @param a       the product with A, independent of the factorisation
     * @param solve   the solve with the factorisation
     * @param b       the right-hand side (not modified)
     * @param x       the solution to check, refined in place
     * @throws BlasKernelException if the residual stays above the tolerance after one refinement
     */
    public static void refine(String routine, int d, double norm, Product a, Solve solve, double[] b, double[] x) {
        double bNorm = norm2(b, d);
        if (!Double.isFinite(bNorm)) {
            return;
        }
        double[] r = new double[d];
        double residual = residual(d, a, b, x, r);
        double tolerance = tolerance(d, norm, x, bNorm);
        if (residual <= tolerance) {
            return;
        }
        double first = residual;
        double[] dx = new double[d];
        solve.solve(r, dx);
        for (int i = 0; i < d; i++) {
            x[i] += dx[i];
        }
        residual = residual(d, a, b, x, r);
        tolerance = tolerance(d, norm, x, bNorm);
        if (residual <= tolerance) {
            return;
        }
        throw new BlasKernelException(routine, String.format("the solve of a %d x %d positive definite system A x = b "
                + "(norm of A at most %.3g) left ||Ax - b|| / ||b|| = %.3g, and %.3g after a step of iterative "
                + "refinement, where rounding allows %.3g", d, d, norm, first / bNorm, residual / bNorm,
                tolerance / bNorm));
    }

    /** {@value #FACTOR}·D·ε·(‖A‖‖x‖ + ‖b‖). */
    static double tolerance(int d, double norm, double[] x, double bNorm) {
        return FACTOR * d * Math.ulp(1.0) * (norm * norm2(x, d) + bNorm);
    }

    private static double residual(int d, Product a, double[] b, double[] x, double[] r) {
        a.multiply(x, r);
        for (int i = 0; i < d; i++) {
            r[i] = b[i] - r[i];
        }
        double n = norm2(r, d);
        return Double.isNaN(n) ? Double.POSITIVE_INFINITY : n;
    }

    /** The Euclidean norm of the first d entries (scaled: no overflow for entries up to the largest double). */
    static double norm2(double[] v, int d) {
        double scale = 0;
        for (int i = 0; i < d; i++) {
            double e = Math.abs(v[i]);
            if (!(e <= scale)) {
                scale = e; // NaN and infinity propagate
            }
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (int i = 0; i < d; i++) {
            double e = v[i] / scale;
            s += e * e;
        }
        return scale * Math.sqrt(s);
    }

    /**
     * out = A x for a symmetric row-major d × d A stored as its strict lower triangle in {@code a} (entries
     * (i, j), j &lt; i; the rest of {@code a} is not read) and its diagonal in {@code diagonal}: the product
     * with the untouched triangle of a matrix whose other triangle holds its Cholesky factor.
     */
    public static void multiplyStrictLower(int d, double[] a, double[] diagonal, double[] x, double[] out) {
        for (int i = 0; i < d; i++) {
            out[i] = diagonal[i] * x[i];
        }
        for (int i = 1; i < d; i++) {
            int row = i * d;
            double xi = x[i];
            double s = 0;
            for (int j = 0; j < i; j++) {
                double aij = a[row + j];
                s += aij * x[j];
                out[j] += aij * xi;
            }
            out[i] += s;
        }
    }

    /** As {@link #multiplyStrictLower} with A's strict upper triangle (entries (i, j), j &gt; i). */
    public static void multiplyStrictUpper(int d, double[] a, double[] diagonal, double[] x, double[] out) {
        for (int i = 0; i < d; i++) {
            out[i] = diagonal[i] * x[i];
        }
        for (int i = 0; i < d - 1; i++) {
            int row = i * d;
            double xi = x[i];
            double s = 0;
            for (int j = i + 1; j < d; j++) {
                double aij = a[row + j];
                s += aij * x[j];
                out[j] += aij * xi;
            }
            out[i] += s;
        }
    }
}
