package io.github.natgrad.linalg;

import java.nio.DoubleBuffer;

/**
 * A dense design matrix X (N × D, row-major) held for the products of R linear-model runs that share X,
 * each as one matrix–matrix product (BLAS-3) for all runs instead of R matrix–vector products:
 * <ul>
 *   <li>the outputs F = Θ Xᵀ (R × N) of R parameter vectors Θ (R × D): {@link Workspace#multiply};</li>
 *   <li>the products G = Rs X (R × D) of R residual vectors Rs (R × N): {@link Workspace#multiplyTransposed};</li>
 *   <li>the weighted Gram matrices C_s = Σ_i w_si x_i x_iᵀ of R runs at once, as one product
 *       W (R × N) · P (N × D(D+1)/2) with the packed upper triangles P of the outer products x_i x_iᵀ,
 *       computed once ({@link Workspace#gram}; the packing of {@link SparseDesign#gram}). For scalar per-example
 *       weights (the Fisher σ(1−σ) or the empirical Fisher's r² of a generalised linear model) this builds
 *       every run's curvature with one {@code dgemm}, D(D+1)·N flops per run, at the speed of OpenBLAS's
 *       packed kernel (the trick of the reproduction grid of natgrad 0.1.0).</li>
 * </ul>
 * All operands live in direct buffers, so OpenBLAS reads them without the copy JNI makes of a Java array.
 * The products sum in OpenBLAS's order, not in the order of the one-run kernels ({@code Kernels}, the Gram
 * build): results agree with those up to rounding.
 *
 * <p>A run's row of a product does not depend on the other rows it is computed with, when OpenBLAS runs
 * single-threaded (as natgrad's commands and tests run it, {@code OMP_NUM_THREADS=1}): OpenBLAS 0.3.19
 * computes pairs and quadruples of rows with kernels that sum in the same order, but the last row of an odd
 * count with a one-row kernel that rounds differently, so a product of an odd number of rows gets one more
 * row of zeros. (With several OpenBLAS threads, the split of the rows between threads can still change a
 * row's last bits.)
 *
 * <p>Call order: {@link #of} once per design; then per use a {@link Workspace} ({@link #workspace}) for at
 * most R runs, whose buffers the caller fills and reads. A design is immutable and safe to share between
 * threads; a workspace belongs to one thread.
 */
public final class DenseDesign {
    /** The largest outer-product table {@link #of} builds (doubles): N · D(D+1)/2 ≤ 2²³ (64 MiB). */
    public static final long MAX_PACKED_DOUBLES = 1L << 23;

    private final int n;
    private final int d;
    private final int q;
    private final DoubleBuffer x;
    private final DoubleBuffer outer;

    private DenseDesign(double[] x, int n, int d, boolean outerProducts) {
        this.n = n;
        this.d = d;
        this.q = d * (d + 1) / 2;
        this.x = Blas.allocate((long) n * d);
        this.x.put(0, x, 0, n * d);
        if (outerProducts) {
            outer = Blas.allocate((long) n * q);
            double[] row = new double[q];
            for (int i = 0; i < n; i++) {
                int p = 0;
                for (int a = 0; a < d; a++) {
                    double xa = x[i * d + a];
                    for (int b = a; b < d; b++) {
                        row[p++] = xa * x[i * d + b];
                    }
                }
                outer.put(i * q, row, 0, q);
            }
        } else {
            outer = null;
        }
    }

    /**
     * The design X (row-major n × d, copied), with the table of packed outer products when
     * {@code outerProducts} is set and it holds at most {@link #MAX_PACKED_DOUBLES} doubles.
     *
     * @throws IllegalArgumentException if {@code x} is shorter than n · d or a size is not positive
     */
    public static DenseDesign of(double[] x, int n, int d, boolean outerProducts) {
        if (n < 1 || d < 1 || x.length < (long) n * d) {
            throw new IllegalArgumentException("a design needs n, d >= 1 and n*d values; got n " + n + ", d " + d
                    + ", " + x.length + " values");
        }
        return new DenseDesign(x, n, d, outerProducts && (long) n * (d * (d + 1L) / 2) <= MAX_PACKED_DOUBLES);
    }

    /** The rows N. */
    public int rows() {
        return n;
    }

    /** The columns D. */
    public int columns() {
        return d;
    }

    /** The length D(D+1)/2 of a packed upper triangle. */
    public int packedSize() {
        return q;
    }

    /** Whether the outer-product table exists ({@link Workspace#gram} may be called). */
    public boolean hasGram() {
        return outer != null;
    }

    /** Buffers for at most {@code runs} runs. */
    public Workspace workspace(int runs) {
        return new Workspace(runs);
    }

    /**
     * Buffers of one caller (row-major, run s at row s): parameters Θ (R × D), outputs F (R × N),
     * residuals or weights (R × N), results (R × max(D, D(D+1)/2)).
     */
    public final class Workspace {
        private final int capacity;
        private final DoubleBuffer theta;
        private final DoubleBuffer outputs;
        private final DoubleBuffer weights;
        private final DoubleBuffer result;
        private final double[] row = new double[q];

        private Workspace(int runs) {
            if (runs < 1) {
                throw new IllegalArgumentException("a workspace needs at least one run, got " + runs);
            }
            capacity = runs;
            int rows = runs + (runs & 1); // room for the zero row that pads an odd count
            theta = Blas.allocate((long) rows * d);
            outputs = Blas.allocate((long) rows * n);
            weights = Blas.allocate((long) rows * n);
            result = Blas.allocate((long) rows * Math.max(d, q));
        }

        /** Θ: run s's parameters at [s·D, (s+1)·D). */
        public DoubleBuffer theta() {
            return theta;
        }

        /** F = Θ Xᵀ after {@link Workspace#multiply}: run s's outputs at [s·N, (s+1)·N). */
        public DoubleBuffer outputs() {
            return outputs;
        }

        /** The per-run vectors over the examples read by {@link Workspace#multiplyTransposed} and {@link #gram}. */
        public DoubleBuffer weights() {
            return weights;
        }

        /** The result of {@link Workspace#multiplyTransposed} (R × D) or {@link #gram} (R × D(D+1)/2). */
        public DoubleBuffer result() {
            return result;
        }

        /** F = Θ Xᵀ for the first {@code runs} rows of Θ. */
        public void multiply(int runs) {
            int rows = padded(runs, theta, d);
            Blas.gemm(false, true, rows, n, d, 1.0, theta, d, x, d, 0.0, outputs, n);
        }

        /** result = W X (R × D): row s is Xᵀ w_s, for the first {@code runs} rows of {@link #weights}. */
        public void multiplyTransposed(int runs) {
            int rows = padded(runs, weights, n);
            Blas.gemm(false, false, rows, d, n, 1.0, weights, n, x, d, 0.0, result, d);
        }

        /**
         * result = W P (R × D(D+1)/2): row s is the packed upper triangle of Σ_i w_si x_i x_iᵀ (entry
         * (a, b), a ≤ b, at a·D − a(a−1)/2 + b − a), for the first {@code runs} rows of {@link #weights}.
         *
         * @throws IllegalStateException if the design has no outer-product table
         */
        public void gram(int runs) {
            if (outer == null) {
                throw new IllegalStateException("this design was built without its outer-product table");
            }
            int rows = padded(runs, weights, n);
            Blas.gemm(false, false, rows, q, n, 1.0, weights, n, outer, q, 0.0, result, q);
        }

        /**
         * Writes scale · C_s + shift · I as a full symmetric row-major D × D matrix into {@code out}, from
         * row s of the result of {@link #gram}.
         */
        public void unpack(int s, double scale, double shift, double[] out) {
            result.get(s * q, row, 0, q);
            int p = 0;
            for (int a = 0; a < d; a++) {
                out[a * d + a] = row[p++] * scale + shift;
                for (int b = a + 1; b < d; b++) {
                    double v = row[p++] * scale;
                    out[a * d + b] = v;
                    out[b * d + a] = v;
                }
            }
        }

        /** The rows of a product of {@code runs} rows: an odd count gets a zero row after them (see above). */
        private int padded(int runs, DoubleBuffer input, int width) {
            check(runs);
            if ((runs & 1) == 0) {
                return runs;
            }
            for (int j = 0; j < width; j++) {
                input.put(runs * width + j, 0.0);
            }
            return runs + 1;
        }

        private void check(int runs) {
            if (runs < 1 || runs > capacity) {
                throw new IllegalArgumentException("runs must be in 1.." + capacity + ", got " + runs);
            }
        }
    }
}
