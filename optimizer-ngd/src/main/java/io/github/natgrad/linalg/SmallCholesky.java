package io.github.natgrad.linalg;

/**
 * The Cholesky factorisation A = L Lᵀ of a small symmetric positive-definite matrix, and solves with it, in
 * Java: for D up to {@link #MAX_DIMENSION}, where LAPACK's {@code dpotrf}/{@code dpotrs} cost as much or more
 * in the call (JNI copies of the arrays, LAPACK's set-up) than natgrad spends on the D³/6 multiply-adds of the
 * factorisation, and where a fixed order gives every CPU the same bits.
 *
 * <p>The algorithm is the column-oriented (left-looking) Cholesky recurrence of LAPACK's unblocked
 * {@code dpotf2} (Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., §4.2.5): for j = 0 … D−1,
 * L_jj = √(A_jj − Σ_{k&lt;j} L_jk²) and, for i &gt; j, L_ij = (A_ij − Σ_{k&lt;j} L_ik L_jk) · (1 / L_jj),
 * with the reciprocal of the pivot computed once. The sums of one column are independent, so they run four
 * rows at a time and the loop is not bound by the latency of one chain of multiply-adds. Every sum runs
 * over k in increasing order with fused multiply-adds ({@link Math#fma}): the order is fixed, so the same
 * input gives the same bits in every JIT tier. Checked against Apache Commons Math and LAPACK in the
 * tests.
 *
 * <p>Storage: row-major D × D; the factorisation reads the lower triangle of A (the upper one is never read)
 * and overwrites it with L.
 */
public final class SmallCholesky {
    /**
     * The largest dimension the solvers factorise here rather than in LAPACK. Up to it natgrad's factorisation
     * gives the same bits on every CPU and vector width (LAPACK's depend on the kernel OpenBLAS picks) and is at
     * least as fast through the solver: factor and solve with the residual check, measured on the AVX-512 EPYC of
     * BENCHMARKS.md against the LAPACK path (which copies the arrays through JNI), 5.2 vs 8.9 µs at D = 48, 9.5 vs
     * 14.4 at D = 64, 45.5 vs 61 at D = 124; the factorisation alone is about LAPACK's on a direct buffer at
     * D = 124 (31–39 vs 31–36 µs). Above it LAPACK's blocked factorisation pulls ahead.
     */
    public static final int MAX_DIMENSION = 128;

    /**
     * The smallest d whose {@link #factorUpper} runs on vectors: below, a column holds less than two vectors
     * and the masked tail costs more than it saves (0.40 vs 0.28 µs at d = 14, 1.5 vs 1.9 µs at d = 31 on the
     * AVX-512 EPYC of BENCHMARKS.md).
     */
    static final int VECTOR_FROM = 24;

    private SmallCholesky() {
    }

    /**
     * Factorises A = L Lᵀ in place (lower triangle of the row-major d × d {@code a}).
     *
     * @return 0 on success, or the order k ≥ 1 of the leading minor that is not positive definite (a pivot
     *         that is not &gt; 0, or not a number), as LAPACK's {@code info}; the lower triangle then holds
     *         a partial factor
     */
    public static int factor(int d, double[] a) {
        for (int j = 0; j < d; j++) {
            int rj = j * d;
            double s = 0;
            for (int k = 0; k < j; k++) {
                double ljk = a[rj + k];
                s = Math.fma(ljk, ljk, s);
            }
            double pivot = a[rj + j] - s;
            if (!(pivot > 0)) {
                return j + 1;
            }
            double ljj = Math.sqrt(pivot);
            a[rj + j] = ljj;
            double inverse = 1.0 / ljj;
            // column j below the pivot: independent sums, four rows at a time sharing the loads of row j
            int i = j + 1;
            for (; i + 3 < d; i += 4) {
                int r0 = i * d;
                int r1 = r0 + d;
                int r2 = r1 + d;
                int r3 = r2 + d;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int k = 0; k < j; k++) {
                    double ljk = a[rj + k];
                    s0 = Math.fma(a[r0 + k], ljk, s0);
                    s1 = Math.fma(a[r1 + k], ljk, s1);
                    s2 = Math.fma(a[r2 + k], ljk, s2);
                    s3 = Math.fma(a[r3 + k], ljk, s3);
                }
                a[r0 + j] = (a[r0 + j] - s0) * inverse;
                a[r1 + j] = (a[r1 + j] - s1) * inverse;
                a[r2 + j] = (a[r2 + j] - s2) * inverse;
                a[r3 + j] = (a[r3 + j] - s3) * inverse;
            }
            for (; i < d; i++) {
                int ri = i * d;
                double si = 0;
                for (int k = 0; k < j; k++) {
                    si = Math.fma(a[ri + k], a[rj + k], si);
                }
                a[ri + j] = (a[ri + j] - si) * inverse;
            }
        }
        return 0;
    }

    /**
     * {@link #factor} on the upper triangle: A = UᵀU with U = Lᵀ written over the upper triangle of the
     * row-major d × d {@code a} (U_ki at a[k·d + i], i ≥ k); the strict lower triangle is neither read nor
     * written, so it still holds A for a residual check. The same operations in the same order as
     * {@link #factor}, so U holds the bits of {@link #factor}'s L, transposed; with the SIMD kernels on and
     * d ≥ {@value #VECTOR_FROM}, the sums of a column run across rows in vectors ({@code VectorKernels.choleskyUpper}),
     * the same bits.
     *
     * @return 0 on success, or the order k ≥ 1 of the leading minor that is not positive definite
     */
    public static int factorUpper(int d, double[] a) {
        if (Simd.enabled() && d >= VECTOR_FROM) {
            return VectorKernels.choleskyUpper(d, a);
        }
        for (int j = 0; j < d; j++) {
            int rj = j * d;
            double s = 0;
            for (int k = 0; k < j; k++) {
                double ujk = a[k * d + j];
                s = Math.fma(ujk, ujk, s);
            }
            double pivot = a[rj + j] - s;
            if (!(pivot > 0)) {
                return j + 1;
            }
            double ujj = Math.sqrt(pivot);
            a[rj + j] = ujj;
            double inverse = 1.0 / ujj;
            for (int i = j + 1; i < d; i++) {
                double si = 0;
                for (int k = 0; k < j; k++) {
                    si = Math.fma(a[k * d + i], a[k * d + j], si);
                }
                a[rj + i] = (a[rj + i] - si) * inverse;
            }
        }
        return 0;
    }

    /** {@link #solve} with the factor U = Lᵀ of {@link #factorUpper}: the same operations, the same bits. */
    public static void solveUpper(int d, double[] u, double[] b) {
        for (int i = 0; i < d; i++) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int k = 0;
            for (; k + 3 < i; k += 4) {
                s0 = Math.fma(u[k * d + i], b[k], s0);
                s1 = Math.fma(u[(k + 1) * d + i], b[k + 1], s1);
                s2 = Math.fma(u[(k + 2) * d + i], b[k + 2], s2);
                s3 = Math.fma(u[(k + 3) * d + i], b[k + 3], s3);
            }
            for (; k < i; k++) {
                s0 = Math.fma(u[k * d + i], b[k], s0);
            }
            b[i] = (b[i] - ((s0 + s1) + (s2 + s3))) / u[i * d + i];
        }
        for (int i = d - 1; i >= 0; i--) {
            int ri = i * d;
            double xi = b[i] / u[ri + i];
            b[i] = xi;
            for (int k = 0; k < i; k++) {
                b[k] = Math.fma(-u[k * d + i], xi, b[k]);
            }
        }
    }

    /**
     * Solves A x = b in place in {@code b} with the factor L of {@link #factor}: L z = b by rows (each sum
     * in four interleaved parts, added in a fixed order), then Lᵀ x = z by columns of Lᵀ (rows of L).
     */
    public static void solve(int d, double[] l, double[] b) {
        for (int i = 0; i < d; i++) {
            int ri = i * d;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int k = 0;
            for (; k + 3 < i; k += 4) {
                s0 = Math.fma(l[ri + k], b[k], s0);
                s1 = Math.fma(l[ri + k + 1], b[k + 1], s1);
                s2 = Math.fma(l[ri + k + 2], b[k + 2], s2);
                s3 = Math.fma(l[ri + k + 3], b[k + 3], s3);
            }
            for (; k < i; k++) {
                s0 = Math.fma(l[ri + k], b[k], s0);
            }
            b[i] = (b[i] - ((s0 + s1) + (s2 + s3))) / l[ri + i];
        }
        for (int i = d - 1; i >= 0; i--) {
            int ri = i * d;
            double xi = b[i] / l[ri + i];
            b[i] = xi;
            for (int k = 0; k < i; k++) {
                b[k] = Math.fma(-l[ri + k], xi, b[k]);
            }
        }
    }
}
