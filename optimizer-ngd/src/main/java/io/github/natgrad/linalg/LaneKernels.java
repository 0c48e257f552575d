package io.github.natgrad.linalg;

/**
 * The products of {@link DenseDesign.RunLanes}: many runs' outputs, gradients and curvatures on a small
 * design (D ≤ {@link DenseDesign#LANES_MAX_D}), with the runs in the columns (one run per SIMD lane) and
 * the examples in the rows, so that a vector holds one quantity of L different runs. Each entry is the
 * same chain of fused multiply-adds, in the same order, as in {@link Kernels#product} with the runs in
 * the rows: the output f_si = Σ_j x_ij θ_sj over j in order from +0, and the sums Σ_i x_ij r_si and
 * Σ_i (x_i x_iᵀ)_p w_si over i in order, continued across calls (an accumulator stored and reloaded is the
 * same chain). Lanes never mix, so a run's bits do not depend on the vector width (2, 4, 8), on the other
 * runs, nor on the SIMD kernels being on ({@link VectorLaneKernels}) or off (the scalar loops here).
 *
 * <p>Layout: row-major, run k in column k; the vector path computes whole vectors of columns, so every
 * array read or written at columns {@code [0, m)} must have a row stride of at least m rounded up to 8,
 * whose columns past m it may read (finite values) and overwrite (scratch).
 */
final class LaneKernels {
    private LaneKernels() {
    }

    /**
     * out[i·ldo + k] = Σ_{j &lt; d} x[(i0 + i)·ldx + j] · thetaT[j·ldt + k] (fused, j in order, from +0),
     * for i &lt; rows, k &lt; m.
     */
    static void forward(int rows, int d, int m, double[] x, int i0, int ldx, double[] thetaT, int ldt,
            double[] out, int ldo) {
        if (Simd.enabled()) {
            VectorLaneKernels.forward(rows, d, m, x, i0, ldx, thetaT, ldt, out, ldo);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int ox = (i0 + i) * ldx;
            for (int k = 0; k < m; k++) {
                double f = 0.0;
                for (int j = 0; j < d; j++) {
                    f = Math.fma(x[ox + j], thetaT[j * ldt + k], f);
                }
                out[i * ldo + k] = f;
            }
        }
    }

    /**
     * acc[o·ldc + k] ← acc[o·ldc + k] + Σ_{i &lt; rows} a[(i0 + i)·lda + o] · u[i·ldu + k], one fused
     * multiply-add per i in order, for o &lt; outs, k &lt; m.
     */
    static void accumulate(int rows, int outs, int m, double[] a, int i0, int lda, double[] u, int ldu,
            double[] acc, int ldc) {
        if (Simd.enabled()) {
            VectorLaneKernels.accumulate(rows, outs, m, a, i0, lda, u, ldu, acc, ldc);
            return;
        }
        for (int o = 0; o < outs; o++) {
            for (int k = 0; k < m; k++) {
                double c = acc[o * ldc + k];
                for (int i = 0; i < rows; i++) {
                    c = Math.fma(a[(i0 + i) * lda + o], u[i * ldu + k], c);
                }
                acc[o * ldc + k] = c;
            }
        }
    }
}
