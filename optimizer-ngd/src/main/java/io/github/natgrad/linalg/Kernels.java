package io.github.natgrad.linalg;

/**
 * Java kernels for the memory-bound matrix-vector products of a step. Deterministic: the same input gives
 * the same bits in the interpreter and in compiled code (see {@link VectorKernels}), at every SIMD width
 * (2, 4 or 8 doubles per vector) and with the SIMD kernels off: the scalar code here sums in the order of
 * the vector code, with {@link Math#fma} where it fuses. At the shapes natgrad targets they
 * match or beat native {@code dgemv} (both stream the matrix once) and avoid the JNI copy of a
 * {@code double[]} operand. With {@link Simd#enabled()} they run on the Vector API.
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * f = A x + shift, for A row-major n × p. Each row's dot product goes into 8 partial sums (element j to
     * partial j mod 8, fused multiply-adds), added by the fixed tree of {@link #sum8}, then shift.
     */
    public static void multiply(int n, int p, double[] a, double[] x, double shift, double[] f) {
        if (Simd.enabled() && p >= 8) {
            VectorKernels.multiply(n, p, a, x, shift, f);
            return;
        }
        int p8 = p - p % 8;
        for (int i = 0; i < n; i++) {
            int o = i * p;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (int j = 0; j < p8; j += 8) {
                s0 = Math.fma(a[o + j], x[j], s0);
                s1 = Math.fma(a[o + j + 1], x[j + 1], s1);
                s2 = Math.fma(a[o + j + 2], x[j + 2], s2);
                s3 = Math.fma(a[o + j + 3], x[j + 3], s3);
                s4 = Math.fma(a[o + j + 4], x[j + 4], s4);
                s5 = Math.fma(a[o + j + 5], x[j + 5], s5);
                s6 = Math.fma(a[o + j + 6], x[j + 6], s6);
                s7 = Math.fma(a[o + j + 7], x[j + 7], s7);
            }
            f[i] = sum8(a, o, x, p8, p, s0, s1, s2, s3, s4, s5, s6, s7) + shift;
        }
    }

    /**
     * The end of a row's dot product, shared by the scalar and vector paths: the last p − p8 &lt; 8 elements
     * (element p8 + t to partial t, fused), then ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)).
     */
    static double sum8(double[] a, int o, double[] x, int p8, int p, double s0, double s1, double s2, double s3,
            double s4, double s5, double s6, double s7) {
        int rest = p - p8;
        if (rest > 0) {
            s0 = Math.fma(a[o + p8], x[p8], s0);
            if (rest > 1) {
                s1 = Math.fma(a[o + p8 + 1], x[p8 + 1], s1);
            }
            if (rest > 2) {
                s2 = Math.fma(a[o + p8 + 2], x[p8 + 2], s2);
            }
            if (rest > 3) {
                s3 = Math.fma(a[o + p8 + 3], x[p8 + 3], s3);
            }
            if (rest > 4) {
                s4 = Math.fma(a[o + p8 + 4], x[p8 + 4], s4);
            }
            if (rest > 5) {
                s5 = Math.fma(a[o + p8 + 5], x[p8 + 5], s5);
            }
            if (rest > 6) {
                s6 = Math.fma(a[o + p8 + 6], x[p8 + 6], s6);
            }
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * out[0..p) = Aᵀ u, for A row-major n × p. Each column's sum in 4 partial sums over the rows (row i &lt;
     * n − n mod 4 to partial i mod 4, the last n mod 4 rows to partial 0, fused multiply-adds), then
     * (s0 + s1) + (s2 + s3).
     */
    public static void multiplyTransposed(int n, int p, double[] a, double[] u, double[] out) {
        if (Simd.enabled() && p >= Simd.lanes()) {
            VectorKernels.multiplyTransposed(n, p, a, u, out);
            return;
        }
        multiplyTransposedScalar(n, p, a, u, out);
    }

    /**
     * Σ_{i &lt; n} u_i in 4 partial sums (i to partial i mod 4 for i &lt; n − n mod 4, the last n mod 4 to partial
     * 0), then (s0 + s1) + (s2 + s3): the order of {@link #multiplyTransposed}'s columns, for a column of ones.
     */
    public static double sum4(int n, double[] u) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n4 = n - n % 4;
        int i = 0;
        for (; i < n4; i += 4) {
            s0 += u[i];
            s1 += u[i + 1];
            s2 += u[i + 2];
            s3 += u[i + 3];
        }
        for (; i < n; i++) {
            s0 += u[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The scalar path of {@link #multiplyTransposed}, rows streamed in order. */
    static void multiplyTransposedScalar(int n, int p, double[] a, double[] u, double[] out) {
        double[] s = new double[4 * p];
        int n4 = n - n % 4;
        int i = 0;
        for (; i < n4; i += 4) {
            for (int part = 0; part < 4; part++) {
                double ui = u[i + part];
                int row = (i + part) * p;
                int o = part * p;
                for (int j = 0; j < p; j++) {
                    s[o + j] = Math.fma(a[row + j], ui, s[o + j]);
                }
            }
        }
        for (; i < n; i++) {
            double ui = u[i];
            int row = i * p;
            for (int j = 0; j < p; j++) {
                s[j] = Math.fma(a[row + j], ui, s[j]);
            }
        }
        for (int j = 0; j < p; j++) {
            out[j] = (s[j] + s[p + j]) + (s[2 * p + j] + s[3 * p + j]);
        }
    }

    /**
     * C = A B for row-major A (r × k, row stride lda), B (k × m, row stride ldb) and C (r × m, row stride
     * ldc): every entry summed over t in order with fused multiply-adds from +0, so a row of C depends on
     * the same row of A alone, and the bits do not depend on the SIMD width. With the SIMD kernels on, B's
     * rows must be readable (finite values) up to m rounded up to 8.
     */
    static void product(int r, int k, int m, double[] a, int lda, double[] b, int ldb, double[] c, int ldc) {
        if (Simd.enabled()) {
            VectorKernels.product(r, k, m, a, lda, b, ldb, c, ldc);
            return;
        }
        for (int s = 0; s < r; s++) {
            int oc = s * ldc;
            java.util.Arrays.fill(c, oc, oc + m, 0.0);
            for (int t = 0; t < k; t++) {
                double w = a[s * lda + t];
                int ob = t * ldb;
                for (int j = 0; j < m; j++) {
                    c[oc + j] = Math.fma(b[ob + j], w, c[oc + j]);
                }
            }
        }
    }

    /**
     * Rows of G per pass of the Gram kernels, a function of d alone (the chunks fix the order of the sums): for
     * d ≤ 64, 24 KiB of rows at the padded stride ({@link StepDesign#stride()}), so the passes of the register
     * tiles over a chunk read it from the L1 cache (at 569 × 31, six passes; from L2 they were bound by its
     * bandwidth); above, 256 KiB of G, so a pass stays in the L2 cache.
     */
    static int gramChunk(int d) {
        return d <= 64 ? Math.max(8, 3072 / StepDesign.paddedStride(d)) : Math.max(8, (1 << 15) / d);
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

    /**
     * out[i] = exp(−scale · |f[i]|) for 0 ≤ i &lt; n, scale ≥ 0: the stable exponential of the logistic
     * functions, by {@link FixedExpLog}'s polynomial (about 1 ulp; SIMD where on, the same bits on every path).
     */
    public static void expNegativeAbs(int n, double[] f, double scale, double[] out) {
        if (Simd.enabled()) {
            VectorExpLog.expNegativeAbs(n, f, scale, out);
            return;
        }
        double minus = -scale;
        for (int i = 0; i < n; i++) {
            out[i] = FixedExpLog.expNonPositive(minus * Math.abs(f[i]));
        }
    }

    /**
     * Σ_{0 ≤ i &lt; n} log(1 + x[i]) for x[i] &gt; −1, added in index order, each term accurate to a few ulps:
     * on [0, 1] (the logistic loss's terms) {@link FixedExpLog}'s series (SIMD where on, the same bits on
     * every path), elsewhere {@link #log1p}.
     */
    public static double sumLog1p(int n, double[] x) {
        if (Simd.enabled()) {
            return VectorExpLog.sumLog1p(n, x);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += FixedExpLog.log1p(x[i]);
        }
        return sum;
    }

    /**
     * Σ_i ℓ_i, the logistic loss ℓ_i = log(1 + e_i) + max(f_i, 0) − y_i f_i with e_i = exp(−|f_i|), and the
     * residuals r_i = σ(f_i) − y_i (into {@code residual} unless it is null; σ(f) = 1/(1 + e) for f ≥ 0, else
     * e/(1 + e)): one exponential per example ({@link FixedExpLog}'s polynomials), the logarithms and the
     * divisions in vectors where SIMD is on. The sum: (Σ_i log(1 + e_i), in index order, each added as it is made)
     * then {@link #addLinearTerms}: the order of natgrad 0.1.x's Bernoulli loss, so its bits, at every vector width
     * and on this scalar path (a run's trajectory, TRON's radius reading loss differences, does not move by a
     * change of rounding).
     */
    public static double logisticLoss(int n, double[] f, double[] y, double[] residual) {
        if (Simd.enabled()) {
            return VectorExpLog.logisticLoss(n, f, y, residual);
        }
        // the logarithms summed as they are made, in index order: no array of N
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = FixedExpLog.expNonPositive(-Math.abs(f[i]));
            sum += FixedExpLog.log1p(e);
            if (residual != null) {
                residual[i] = (f[i] >= 0 ? 1.0 : e) / (1.0 + e) - y[i];
            }
        }
        return addLinearTerms(sum, n, f, y);
    }

    /**
     * sum + (max(f_0, 0) − y_0 f_0) + (max(f_1, 0) − y_1 f_1) + …, in index order: the second half of the logistic
     * loss's sum ({@link #logisticLoss}), after its logarithms.
     */
    static double addLinearTerms(double sum, int n, double[] f, double[] y) {
        for (int i = 0; i < n; i++) {
            double fi = f[i];
            sum += Math.max(fi, 0) - y[i] * fi;
        }
        return sum;
    }

    /** h[i] ← h[i] / (1 + h[i]²) for 0 ≤ i &lt; n (SIMD where on, the same bits). */
    public static void overOnePlusSquare(int n, double[] h) {
        if (Simd.enabled()) {
            VectorExpLog.overOnePlusSquare(n, h);
            return;
        }
        for (int i = 0; i < n; i++) {
            h[i] = h[i] / (1.0 + h[i] * h[i]);
        }
    }

    /**
     * log(1 + x) for x &gt; −1, accurate to a few ulps: log(u)·x/(u − 1) with u = 1 + x corrects the rounding
     * of u (Goldberg 1991, "What every computer scientist should know about floating-point arithmetic",
     * theorem 4), with the fast {@code log} rather than the slower {@code Math.log1p}.
     */
    public static double log1p(double x) {
        double u = 1.0 + x;
        if (u == 1.0) {
            return x;
        }
        return Math.log(u) * (x / (u - 1.0));
    }
}
