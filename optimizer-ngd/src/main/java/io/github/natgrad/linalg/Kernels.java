package io.github.natgrad.linalg;

/**
 * Java kernels for the memory-bound matrix-vector products of a step. Deterministic: the same input gives
 * the same bits in the interpreter and in compiled code (see {@link VectorKernels}). At the shapes natgrad targets they
 * match or beat native {@code dgemv} (both stream the matrix once) and avoid the JNI copy of a
 * {@code double[]} operand. With {@link Simd#enabled()} and at least one full vector per row they run
 * on the Vector API; otherwise four scalar accumulators let the JIT overlap the additions.
 */
public final class Kernels {
    private Kernels() {
    }

    /** f = A x + shift, for A row-major n × p. */
    public static void multiply(int n, int p, double[] a, double[] x, double shift, double[] f) {
        if (Simd.enabled() && p >= Simd.lanes()) {
            VectorKernels.multiply(n, p, a, x, shift, f);
            return;
        }
        for (int i = 0; i < n; i++) {
            int row = i * p;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int j = 0;
            for (; j + 3 < p; j += 4) {
                s0 += a[row + j] * x[j];
                s1 += a[row + j + 1] * x[j + 1];
                s2 += a[row + j + 2] * x[j + 2];
                s3 += a[row + j + 3] * x[j + 3];
            }
            for (; j < p; j++) {
                s0 += a[row + j] * x[j];
            }
            f[i] = (s0 + s1) + (s2 + s3) + shift;
        }
    }

    /** out[0..p) = Aᵀ u, for A row-major n × p. */
    public static void multiplyTransposed(int n, int p, double[] a, double[] u, double[] out) {
        if (Simd.enabled() && p >= Simd.lanes()) {
            VectorKernels.multiplyTransposed(n, p, a, u, out);
            return;
        }
        java.util.Arrays.fill(out, 0, p, 0.0);
        for (int i = 0; i < n; i++) {
            double ui = u[i];
            if (ui == 0) {
                continue;
            }
            int row = i * p;
            for (int j = 0; j < p; j++) {
                out[j] += ui * a[row + j];
            }
        }
    }

    /** out[outOffset + j] = s · x[xOffset + j] for 0 ≤ j &lt; p: one scaled row of a matrix. */
    public static void scaleRow(double s, double[] x, int xOffset, int p, double[] out, int outOffset) {
        if (Simd.enabled()) {
            VectorKernels.scaleRow(s, x, xOffset, p, out, outOffset);
            return;
        }
        for (int j = 0; j < p; j++) {
            out[outOffset + j] = s * x[xOffset + j];
        }
    }

    /** out[i] = exp(−scale · |f[i]|) for 0 ≤ i &lt; n: the stable exponential of the logistic functions. */
    public static void expNegativeAbs(int n, double[] f, double scale, double[] out) {
        // Math.exp, not the Vector API's EXP: the same bits in the interpreter and in compiled code
        for (int i = 0; i < n; i++) {
            out[i] = Math.exp(-scale * Math.abs(f[i]));
        }
    }

    /**
     * Σ_{0 ≤ i &lt; n} log(1 + x[i]) for x[i] &gt; −1, each term accurate to a few ulps: log(u)·x/(u − 1)
     * with u = 1 + x corrects the rounding of u (Goldberg 1991, "What every computer scientist should
     * know about floating-point arithmetic", theorem 4), with the fast {@code log} rather than the slower
     * {@code Math.log1p}.
     */
    public static double sumLog1p(int n, double[] x) {
        // Math.log, in order, not the Vector API's LOG and a lane reduction: the same bits in every JIT tier
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += log1p(x[i]);
        }
        return sum;
    }

    /** log(1 + x) for x &gt; −1, as in {@link #sumLog1p}. */
    public static double log1p(double x) {
        double u = 1.0 + x;
        if (u == 1.0) {
            return x;
        }
        return Math.log(u) * (x / (u - 1.0));
    }
}
