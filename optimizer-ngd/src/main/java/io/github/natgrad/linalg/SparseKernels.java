package io.github.natgrad.linalg;

import io.github.natgrad.CsrMatrix;
import java.util.Arrays;

/**
 * The products of a {@link CsrMatrix} that the generalised linear models need, each one pass over the
 * stored entries: O(nnz + N) time, no allocation. Bytes read per product: 12·nnz + 4·N (values, column
 * indices, row offsets) plus the gathered vector entries.
 *
 * <p>From {@link #PARALLEL_NON_ZEROS} stored entries a pass is shared among {@link #threadsFor} threads: X w by
 * ranges of rows, Xᵀu and the weighted squares by ranges of columns (each thread visits every row's entries in its
 * columns). Every output entry is the same sum in the same order as on one thread, so the results have the same
 * bits whatever the number of threads (a pass of these products is a random gather or scatter, bound by memory
 * latency, which a second core overlaps).
 */
public final class SparseKernels {
    private SparseKernels() {
    }

    /**
     * f[i] = Σ_j x_ij w[wOffset + j] + shift, for i &lt; N. A large matrix is cut into ranges of rows, one per
     * {@linkplain #threadsFor thread}; each row's sum is the same either way.
     */
    public static void multiply(CsrMatrix x, double[] w, int wOffset, double shift, double[] f) {
        multiply(x, w, wOffset, shift, f, threadsFor(x));
    }

    /** {@link #multiply} in {@code parts} ranges of rows. */
    static void multiply(CsrMatrix x, double[] w, int wOffset, double shift, double[] f, int parts) {
        if (parts == 1) {
            multiplyRows(x, w, wOffset, shift, f, 0, x.rows());
            return;
        }
        int n = x.rows();
        SparseThreads.run(parts, t -> multiplyRows(x, w, wOffset, shift, f, (int) ((long) n * t / parts),
                (int) ((long) n * (t + 1) / parts)));
    }

    private static void multiplyRows(CsrMatrix x, double[] w, int wOffset, double shift, double[] f, int from,
            int to) {
        int[] start = x.rowStart();
        int[] col = x.columnIndex();
        double[] val = x.values();
        for (int i = from; i < to; i++) {
            double s0 = 0;
            double s1 = 0;
            int k = start[i];
            int end = start[i + 1];
            for (; k + 1 < end; k += 2) {
                s0 += val[k] * w[wOffset + col[k]];
                s1 += val[k + 1] * w[wOffset + col[k + 1]];
            }
            if (k < end) {
                s0 += val[k] * w[wOffset + col[k]];
            }
            f[i] = s0 + s1 + shift;
        }
    }

    /**
     * out[outOffset + j] = Σ_i x_ij u[i·stride + uOffset] for j &lt; p (overwritten): Xᵀu for one column
     * of a row-major N × stride array u. Each out[j] is summed over the rows in order; a large matrix is cut
     * into ranges of columns, one per {@linkplain #threadsFor thread}, each thread visiting every row's entries
     * in its range, so out[j] gets the same sum in the same order, whatever the number of threads.
     */
    public static void multiplyTransposed(CsrMatrix x, double[] u, int stride, int uOffset, double[] out,
            int outOffset) {
        multiplyTransposed(x, u, stride, uOffset, out, outOffset, threadsFor(x));
    }

    /** {@link #multiplyTransposed} in {@code parts} ranges of columns. */
    static void multiplyTransposed(CsrMatrix x, double[] u, int stride, int uOffset, double[] out, int outOffset,
            int parts) {
        if (parts == 1) {
            Arrays.fill(out, outOffset, outOffset + x.columns(), 0.0);
            scatterColumns(x, u, stride, uOffset, false, out, outOffset, 0, x.columns());
            return;
        }
        int[] cuts = columnCuts(x, parts);
        SparseThreads.run(parts, t -> {
            Arrays.fill(out, outOffset + cuts[t], outOffset + cuts[t + 1], 0.0);
            scatterColumns(x, u, stride, uOffset, false, out, outOffset, cuts[t], cuts[t + 1]);
        });
    }

    /**
     * out[outOffset + j] += Σ_i c_i x_ij (squares: c_i x_ij²) for the columns lo ≤ j &lt; hi, c_i =
     * u[i·stride + uOffset], rows in order, skipping rows with c_i = 0.
     */
    private static void scatterColumns(CsrMatrix x, double[] u, int stride, int uOffset,
            boolean squares, double[] out, int outOffset, int lo, int hi) {
        int[] start = x.rowStart();
        int[] col = x.columnIndex();
        double[] val = x.values();
        int n = x.rows();
        boolean all = lo == 0 && hi == x.columns();
        for (int i = 0; i < n; i++) {
            double ui = u[i * stride + uOffset];
            if (ui == 0) {
                continue;
            }
            int begin = start[i];
            int end = start[i + 1];
            if (!all) {
                begin = firstAtLeast(col, begin, end, lo);
                end = firstAtLeast(col, begin, end, hi);
            }
            if (squares) {
                for (int k = begin; k < end; k++) {
                    out[outOffset + col[k]] += ui * val[k] * val[k];
                }
            } else {
                for (int k = begin; k < end; k++) {
                    out[outOffset + col[k]] += ui * val[k];
                }
            }
        }
    }

    /** The first k in [from, to) with col[k] ≥ c (to if none): a row's columns increase. */
    private static int firstAtLeast(int[] col, int from, int to, int c) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (col[mid] < c) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Column boundaries 0 = c_0 &lt; … &lt; c_parts = p that share the stored entries about equally, from the
     * columns of 4096 entries spread evenly over the matrix (the boundaries set only the speed, never a sum).
     */
    static int[] columnCuts(CsrMatrix x, int parts) {
        int[] col = x.columnIndex();
        int nnz = col.length;
        int samples = Math.min(nnz, 4096);
        int[] sample = new int[samples];
        for (int s = 0; s < samples; s++) {
            sample[s] = col[(int) ((long) nnz * s / samples)];
        }
        Arrays.sort(sample);
        int[] cuts = new int[parts + 1];
        cuts[parts] = x.columns();
        for (int t = 1; t < parts; t++) {
            int c = samples == 0 ? x.columns() * t / parts : sample[samples * t / parts];
            cuts[t] = Math.max(cuts[t - 1], Math.min(c, x.columns()));
        }
        return cuts;
    }

    /**
     * How many threads a pass over {@code x} uses: one below {@value #PARALLEL_NON_ZEROS} stored entries (a
     * task's hand-off would cost more than it saves), else one per available processor, at most 8, or the
     * system property {@code natgrad.sparse.threads} when set (1 turns it off). The results are the same for
     * every count.
     */
    public static int threadsFor(CsrMatrix x) {
        if (x.nonZeros() < PARALLEL_NON_ZEROS) {
            return 1;
        }
        return Math.max(1, Math.min(x.rows(), SparseThreads.threads()));
    }

    /** The stored entries from which a pass is shared among threads. */
    public static final long PARALLEL_NON_ZEROS = 1L << 20;

    /**
     * diag[offset + j] += Σ_i c[i·stride + cOffset] · x_ij², the diagonal of Xᵀ diag(c) X (rows in order; a large
     * matrix by ranges of columns, as {@link #multiplyTransposed}).
     */
    public static void addWeightedSquares(CsrMatrix x, double[] c, int stride, int cOffset, double[] diag,
            int offset) {
        addWeightedSquares(x, c, stride, cOffset, diag, offset, threadsFor(x));
    }

    /** {@link #addWeightedSquares} in {@code parts} ranges of columns. */
    static void addWeightedSquares(CsrMatrix x, double[] c, int stride, int cOffset, double[] diag, int offset,
            int parts) {
        if (parts == 1) {
            scatterColumns(x, c, stride, cOffset, true, diag, offset, 0, x.columns());
            return;
        }
        int[] cuts = columnCuts(x, parts);
        SparseThreads.run(parts, t -> scatterColumns(x, c, stride, cOffset, true, diag, offset, cuts[t],
                cuts[t + 1]));
    }

    /** out[outOffset + j] = s · x_ij for j &lt; p (a dense copy of row i, scaled; zeros written). */
    public static void scaleRow(double s, CsrMatrix x, int i, double[] out, int outOffset) {
        Arrays.fill(out, outOffset, outOffset + x.columns(), 0.0);
        int[] col = x.columnIndex();
        double[] val = x.values();
        for (int k = x.rowStart()[i]; k < x.rowStart()[i + 1]; k++) {
            out[outOffset + col[k]] = s * val[k];
        }
    }
}
