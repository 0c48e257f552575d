package io.github.natgrad.linalg;

import java.nio.DoubleBuffer;
import java.util.Arrays;

/**
 * Cholesky factorisations and solves of several small systems (C_s + λ_s I) x_s = g_s side by side, one
 * system per SIMD lane: the factorisation of {@link SmallCholesky}, operation for operation, on vectors
 * whose lanes hold the same entry of different systems. Each system gets exactly the bits
 * {@link SmallCholesky} gives it alone (lanes never mix: every operation is lane-wise, and a fused
 * multiply-add, a square root and a division are correctly rounded in every lane as in
 * {@link Math#fma}, {@link Math#sqrt} and {@code /}); the point is speed: at small D a factorisation is bound
 * by the latency of its chains of multiply-adds, which the lanes share, and at D = 124 (a1a) the eight systems
 * of an AVX-512 vector take about half of LAPACK's time per system (the kernel runs two columns at a time, each
 * row's loads serving both). Used by the damping sweep for its many runs of one dimension; checked bit for bit against
 * {@link SmallCholesky} in the tests. Without the SIMD kernels ({@link Simd}) a group holds one system,
 * factorised by {@link SmallCholesky} itself.
 *
 * <p>Storage: the lower triangles of the systems, packed by rows and interleaved by lane (entry (i, j),
 * j ≤ i, of system {@code lane} at (i(i+1)/2 + j)·{@link #lanes()} + lane); right-hand sides interleaved the
 * same way (entry i of system {@code lane} at i·lanes + lane).
 *
 * <p>Call order, per group of at most {@link #lanes()} systems: {@link #load} each system, {@link #factor},
 * then {@link #solve} with the right-hand sides written by {@link #setRightHandSide}; or, for systems whose
 * factors were kept ({@link #factorOf}), {@link #loadFactor} each, then {@link #solve}. Not thread-safe: one
 * instance per thread.
 */
public final class BatchedCholesky {
    private final int d;
    private final int lanes;
    private final int[] upperIndex;
    private final double[] a;
    private final double[] b;
    private final int[] info;
    private final double[] full;

    /** Buffers for systems of dimension d, as many per group as {@link Simd#lanes()} (1 when SIMD is off). */
    public BatchedCholesky(int d) {
        if (d < 1 || d > SmallCholesky.MAX_DIMENSION) {
            throw new IllegalArgumentException("a batched Cholesky needs 1 <= d <= " + SmallCholesky.MAX_DIMENSION
                    + ", got " + d);
        }
        this.d = d;
        this.lanes = Math.max(1, Simd.lanes());
        int q = d * (d + 1) / 2;
        this.upperIndex = new int[q];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                // lower (i, j) is upper (j, i), packed by rows of the upper triangle
                upperIndex[i * (i + 1) / 2 + j] = j * d - j * (j - 1) / 2 + (i - j);
            }
        }
        this.a = new double[q * lanes];
        this.b = new double[d * lanes];
        this.info = new int[lanes];
        this.full = lanes == 1 ? new double[d * d] : null;
    }

    /** The number of systems per group. */
    public int lanes() {
        return lanes;
    }

    /**
     * Loads system {@code lane} as scale · C + shift · I, then + λ I when λ ≠ 0 (the arithmetic of
     * {@code DenseDesign.Workspace.unpack} followed by the Cholesky solver's shift), from C's upper triangle
     * packed by rows (entry (a, b), a ≤ b, at {@code offset} + a·D − a(a−1)/2 + b − a).
     */
    public void load(int lane, DoubleBuffer packedUpper, int offset, double scale, double shift, double lambda) {
        int q = upperIndex.length;
        for (int p = 0; p < q; p++) {
            a[p * lanes + lane] = packedUpper.get(offset + upperIndex[p]) * scale;
        }
        addDiagonal(lane, shift, lambda);
    }

    /** {@link #load(int, DoubleBuffer, int, double, double, double)} from an array. */
    public void load(int lane, double[] packedUpper, int offset, double scale, double shift, double lambda) {
        // in the source's order (row r of the upper triangle is column r of the lower one): reads in sequence
        int from = offset;
        for (int r = 0; r < d; r++) {
            int to = (r * (r + 1) / 2 + r) * lanes + lane;
            for (int c = r; c < d; c++) {
                a[to] = packedUpper[from++] * scale;
                to += (c + 1) * lanes;
            }
        }
        addDiagonal(lane, shift, lambda);
    }

    /**
     * {@link #load(int, double[], int, double, double, double)} from packed upper triangles stored by
     * columns: entry p of this system's triangle at {@code offset + p·step} (e.g. many runs' curvatures
     * with one run per column).
     */
    public void load(int lane, double[] packedUpper, int offset, int step, double scale, double shift,
            double lambda) {
        int q = upperIndex.length;
        for (int p = 0; p < q; p++) {
            a[p * lanes + lane] = packedUpper[offset + upperIndex[p] * step] * scale;
        }
        addDiagonal(lane, shift, lambda);
    }

    private void addDiagonal(int lane, double shift, double lambda) {
        for (int i = 0; i < d; i++) {
            int p = (i * (i + 1) / 2 + i) * lanes + lane;
            // (packed · scale + shift), then + λ: the order of unpack and of the solver's shift
            a[p] = a[p] + shift;
            if (lambda != 0) {
                a[p] += lambda;
            }
        }
    }

    /**
     * Factorises the first {@code count} loaded systems. Returns, per lane, 0 or the order of the leading
     * minor that is not positive definite (as {@link SmallCholesky#factor}); read it with {@link #info}.
     */
    public void factor(int count) {
        check(count);
        Arrays.fill(info, 0);
        if (lanes > 1) {
            VectorKernels.choleskyLanes(d, lanes, a, info);
        } else {
            info[0] = SmallCholesky.factor(d, unpackOne());
        }
    }

    /** The outcome of the last {@link #factor} for system {@code lane}: 0, or the failing minor's order. */
    public int info(int lane) {
        return info[lane];
    }

    /**
     * Copies the factor L of system {@code lane} (after {@link #factor}, whose {@link #info} was 0) into
     * {@code out[0 … d(d+1)/2)}, its lower triangle packed by rows; {@link #loadFactor} takes it back.
     */
    public void factorOf(int lane, double[] out) {
        int q = upperIndex.length;
        if (lanes == 1) {
            for (int i = 0; i < d; i++) {
                System.arraycopy(full, i * d, out, i * (i + 1) / 2, i + 1);
            }
            return;
        }
        for (int p = 0; p < q; p++) {
            out[p] = a[p * lanes + lane];
        }
    }

    /**
     * Puts a factor kept by {@link #factorOf} in place of system {@code lane}, for a {@link #solve} without
     * a {@link #factor}: a group either is factorised or holds kept factors only.
     */
    public void loadFactor(int lane, double[] factor) {
        int q = upperIndex.length;
        if (lanes == 1) {
            for (int i = 0; i < d; i++) {
                System.arraycopy(factor, i * (i + 1) / 2, full, i * d, i + 1);
            }
            return;
        }
        for (int p = 0; p < q; p++) {
            a[p * lanes + lane] = factor[p];
        }
    }

    /** Writes the right-hand side of system {@code lane} (d values from {@code g} at {@code offset}). */
    public void setRightHandSide(int lane, double[] g, int offset) {
        for (int i = 0; i < d; i++) {
            b[i * lanes + lane] = g[offset + i];
        }
    }

    /** Solves the factorised systems in place; read system {@code lane}'s solution with {@link #solution}. */
    public void solve(int count) {
        check(count);
        if (lanes > 1) {
            VectorKernels.choleskySolveLanes(d, lanes, a, b);
        } else {
            SmallCholesky.solve(d, full, b);
        }
    }

    /** Copies the solution of system {@code lane} into {@code out} at {@code offset}. */
    public void solution(int lane, double[] out, int offset) {
        for (int i = 0; i < d; i++) {
            out[offset + i] = b[i * lanes + lane];
        }
    }

    /** The one system of the scalar path as the full row-major matrix {@link SmallCholesky} reads (lower triangle). */
    private double[] unpackOne() {
        for (int i = 0; i < d; i++) {
            System.arraycopy(a, i * (i + 1) / 2, full, i * d, i + 1);
        }
        return full;
    }

    private void check(int count) {
        if (count < 1 || count > lanes) {
            throw new IllegalArgumentException("a group holds 1 to " + lanes + " systems, got " + count);
        }
    }
}
