package io.github.natgrad.linalg;

import java.nio.DoubleBuffer;

/**
 * A dense design matrix X (N × D, row-major) held for the products of R linear-model runs that share X,
 * each as one matrix–matrix product for all runs instead of R matrix–vector products:
 * <ul>
 *   <li>the outputs F = Θ Xᵀ (R × N) of R parameter vectors Θ (R × D): {@link Workspace#multiply};</li>
 *   <li>the products G = Rs X (R × D) of R residual vectors Rs (R × N): {@link Workspace#multiplyTransposed};</li>
 *   <li>the weighted Gram matrices C_s = Σ_i w_si x_i x_iᵀ of R runs at once, as one product
 *       W (R × N) · P (N × D(D+1)/2) with the packed upper triangles P of the outer products x_i x_iᵀ,
 *       computed once ({@link Workspace#gram}; the packing of {@link SparseDesign#gram}). For scalar per-example
 *       weights (the Fisher σ(1−σ) or the empirical Fisher's r² of a generalised linear model) this builds
 *       every run's curvature in one product, D(D+1)·N flops per run (the trick of the reproduction grid of
 *       natgrad 0.1.0).</li>
 * </ul>
 *
 * <p>A run's bits do not depend on the other runs it is computed with, nor on the machine's vector width:
 * the products are natgrad's own kernel ({@code Kernels.product}: register tiles on the Vector API, or its
 * scalar path), which sums every entry over k in order with fused multiply-adds, so row s of a product
 * depends on row s of its left operand alone. (Until natgrad 0.1.x these products were OpenBLAS
 * {@code dgemm} calls, whose rounding of a row depended on how many rows shared the call, on the OpenBLAS
 * version and on its kernel.) Results agree with the one-run kernels ({@code Kernels}, the Gram build) up to
 * rounding: the orders of the sums differ.
 *
 * <p>Call order: {@link #of} once per design; then per use a {@link Workspace} ({@link #workspace}) for at
 * most R runs, whose buffers the caller fills and reads (heap buffers: absolute {@code get}/{@code put}). A
 * design is immutable and safe to share between threads; a workspace belongs to one thread.
 */
public final class DenseDesign {
    /** The largest outer-product table {@link #of} builds (doubles): N · D(D+1)/2 ≤ 2²³ (64 MiB). */
    public static final long MAX_PACKED_DOUBLES = 1L << 23;

    /** Row strides of the right operands are rounded up to this many doubles, the widest vector read. */
    private static final int PAD = 8;

    private final int n;
    private final int d;
    private final int q;
    private final int dPadded;
    private final int nPadded;
    private final int qPadded;
    /** X, N × D with row stride dPadded (zeros past D). */
    private final double[] x;
    /** Xᵀ, D × N with row stride nPadded. */
    private final double[] xt;
    /** The packed outer products, N × q with row stride qPadded, or null. */
    private final double[] outer;

    private DenseDesign(double[] x, int n, int d, boolean outerProducts) {
        this.n = n;
        this.d = d;
        this.q = d * (d + 1) / 2;
        this.dPadded = padded(d);
        this.nPadded = padded(n);
        this.qPadded = padded(q);
        this.x = new double[n * dPadded];
        this.xt = new double[d * nPadded];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                this.x[i * dPadded + j] = x[i * d + j];
                this.xt[j * nPadded + i] = x[i * d + j];
            }
        }
        if (outerProducts) {
            outer = new double[n * qPadded];
            for (int i = 0; i < n; i++) {
                int p = i * qPadded;
                for (int a = 0; a < d; a++) {
                    double xa = x[i * d + a];
                    for (int b = a; b < d; b++) {
                        outer[p++] = xa * x[i * d + b];
                    }
                }
            }
        } else {
            outer = null;
        }
    }

    private static int padded(int size) {
        return (size + PAD - 1) / PAD * PAD;
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
        if ((long) n * padded(d) > Integer.MAX_VALUE - 8 || (long) d * padded(n) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a dense design of " + n + " x " + d + " is larger than a Java array"
                    + " (2^31 doubles); use a sparse design or fewer rows");
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
        private final double[] theta;
        private final double[] outputs;
        private final double[] weights;
        private final double[] result;
        private final DoubleBuffer thetaView;
        private final DoubleBuffer outputsView;
        private final DoubleBuffer weightsView;
        private final DoubleBuffer resultView;
        private final double[] row = new double[q];

        private Workspace(int runs) {
            if (runs < 1) {
                throw new IllegalArgumentException("a workspace needs at least one run, got " + runs);
            }
            if ((long) runs * Math.max(n, Math.max(d, q)) > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a workspace of " + runs + " runs of " + n + " examples is larger"
                        + " than a Java array (2^31 doubles); use fewer runs per workspace");
            }
            capacity = runs;
            theta = new double[runs * d];
            outputs = new double[runs * n];
            weights = new double[runs * n];
            result = new double[runs * Math.max(d, q)];
            thetaView = DoubleBuffer.wrap(theta);
            outputsView = DoubleBuffer.wrap(outputs);
            weightsView = DoubleBuffer.wrap(weights);
            resultView = DoubleBuffer.wrap(result);
        }

        /** Θ: run s's parameters at [s·D, (s+1)·D). */
        public DoubleBuffer theta() {
            return thetaView;
        }

        /** F = Θ Xᵀ after {@link Workspace#multiply}: run s's outputs at [s·N, (s+1)·N). */
        public DoubleBuffer outputs() {
            return outputsView;
        }

        /** The per-run vectors over the examples read by {@link Workspace#multiplyTransposed} and {@link #gram}. */
        public DoubleBuffer weights() {
            return weightsView;
        }

        /** The result of {@link Workspace#multiplyTransposed} (R × D) or {@link #gram} (R × D(D+1)/2). */
        public DoubleBuffer result() {
            return resultView;
        }

        /** F = Θ Xᵀ for the first {@code runs} rows of Θ. */
        public void multiply(int runs) {
            check(runs);
            Kernels.product(runs, d, n, theta, d, xt, nPadded, outputs, n);
        }

        /** result = W X (R × D): row s is Xᵀ w_s, for the first {@code runs} rows of {@link #weights}. */
        public void multiplyTransposed(int runs) {
            check(runs);
            Kernels.product(runs, n, d, weights, n, x, dPadded, result, d);
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
            check(runs);
            Kernels.product(runs, n, q, weights, n, outer, qPadded, result, q);
        }

        /**
         * Writes scale · C_s + shift · I as a full symmetric row-major D × D matrix into {@code out}, from
         * row s of the result of {@link #gram}.
         */
        public void unpack(int s, double scale, double shift, double[] out) {
            System.arraycopy(result, s * q, row, 0, q);
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

        private void check(int runs) {
            if (runs < 1 || runs > capacity) {
                throw new IllegalArgumentException("runs must be in 1.." + capacity + ", got " + runs);
            }
        }
    }
}
