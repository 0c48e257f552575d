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
public final class DenseDesign extends PackedDesign {
    /** The largest outer-product table {@link #of} builds (doubles): N · D(D+1)/2 ≤ 2²³ (64 MiB). */
    public static final long MAX_PACKED_DOUBLES = 1L << 23;

    /** Row strides of the right operands are rounded up to this many doubles, the widest vector read. */
    private static final int PAD = 8;

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
        super(n, d);
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

    /** Whether the outer-product table exists ({@link Workspace#gram} may be called). */
    public boolean hasGram() {
        return outer != null;
    }

    /** Buffers for at most {@code runs} runs. */
    public Workspace workspace(int runs) {
        return new Workspace(runs);
    }

    /**
     * Whether {@link #runLanes} serves this design: it has its outer-product table and at most
     * {@link #LANES_MAX_D} columns (a curvature of at most 15 packed entries, too few for vectors across them).
     */
    public boolean hasRunLanes() {
        return outer != null && d <= LANES_MAX_D;
    }

    /**
     * Buffers for at most {@code runs} runs in lanes ({@link RunLanes}), with the per-example values
     * {@code perExample} (N of them, e.g. the labels) replicated across the lanes, or empty when the design
     * has no lanes path ({@link #hasRunLanes}) or the replicated values would exceed
     * {@link #MAX_LANE_DOUBLES} doubles.
     */
    public java.util.Optional<RunLanes> runLanes(int runs, double[] perExample) {
        if (!hasRunLanes() || runs < 1 || (long) n * padded(runs) > MAX_LANE_DOUBLES) {
            return java.util.Optional.empty();
        }
        if (perExample.length < n) {
            throw new IllegalArgumentException("run lanes need one value per example, got " + perExample.length
                    + " for " + n + " examples");
        }
        return java.util.Optional.of(new RunLanes(runs, perExample));
    }

    /** The widest design {@link #runLanes} serves. */
    public static final int LANES_MAX_D = 5;

    /** The most doubles of replicated per-example values {@link #runLanes} holds (32 MiB). */
    public static final long MAX_LANE_DOUBLES = 1L << 22;

    /** The doubles of one chunk of a lane buffer: the examples of a chunk × the lanes stay in the L2 cache. */
    private static final int LANE_CHUNK_DOUBLES = 1 << 13;

    /**
     * The runs of a small design (D ≤ {@link #LANES_MAX_D}) in lanes: run k in column k of every buffer,
     * the examples in rows, so that the per-example work (an elementwise function of the outputs and the
     * labels: residuals, weights, exponentials) runs over all runs at once on long contiguous arrays, and the
     * gradients Xᵀ r_s and curvatures Σ_i w_si x_i x_iᵀ vectorise across the runs, one chain per entry. The
     * examples pass in chunks (a few thousand doubles per buffer, held in the cache): per chunk
     * {@link #forward} writes the outputs, the caller writes the residuals and weights, and
     * {@link #accumulate} adds the chunk's terms. Every entry is summed in the order and with the fused
     * multiply-adds of {@link Workspace} ({@link LaneKernels}), so a run gets the bits of
     * {@link Workspace#multiply}, {@link Workspace#multiplyTransposed} and {@link Workspace#gram} (the point
     * is speed: at D = 2 those products have 2 or 3 columns, too few for vectors, and one run's N
     * examples are too few to amortise a call per run). One caller (thread) per instance.
     */
    public final class RunLanes {
        private final int capacity;
        private final double[] perExample;
        private int stride;
        private int chunkRows;
        private double[] thetaT = new double[0];
        private double[] gradientT = new double[0];
        private double[] gramT = new double[0];
        private double[] outputsChunk = new double[0];
        private double[] residualChunk = new double[0];
        private double[] weightChunk = new double[0];
        private double[][] labelChunks = new double[0][];

        private RunLanes(int runs, double[] perExample) {
            this.capacity = runs;
            this.perExample = perExample.clone();
        }

        /**
         * Starts an iteration over {@code runs} runs: chooses the row stride (the runs rounded up to 8, kept
         * while at most a quarter of it would be unused), zeroes Θᵀ's padding and the gradient and curvature
         * accumulators. Returns the stride.
         */
        public int begin(int runs) {
            if (runs < 1 || runs > capacity) {
                throw new IllegalArgumentException("runs must be in 1.." + capacity + ", got " + runs);
            }
            int p = padded(runs);
            if (stride == 0 || p > stride || 4L * p <= 3L * stride) {
                stride = p;
                chunkRows = Math.min(n, Math.max(PAD, LANE_CHUNK_DOUBLES / stride));
                thetaT = new double[d * stride];
                gradientT = new double[d * stride];
                gramT = new double[q * stride];
                outputsChunk = new double[chunkRows * stride];
                residualChunk = new double[chunkRows * stride];
                weightChunk = new double[chunkRows * stride];
                int chunks = (n + chunkRows - 1) / chunkRows;
                labelChunks = new double[chunks][];
                for (int c = 0; c < chunks; c++) {
                    int from = c * chunkRows;
                    int rows = Math.min(chunkRows, n - from);
                    double[] labels = new double[rows * stride];
                    for (int i = 0; i < rows; i++) {
                        java.util.Arrays.fill(labels, i * stride, (i + 1) * stride, perExample[from + i]);
                    }
                    labelChunks[c] = labels;
                }
            }
            for (int j = 0; j < d; j++) {
                java.util.Arrays.fill(thetaT, j * stride + runs, (j + 1) * stride, 0.0);
            }
            java.util.Arrays.fill(gradientT, 0.0);
            java.util.Arrays.fill(gramT, 0.0);
            return stride;
        }

        /** The row stride of every lane buffer (set by {@link #begin}). */
        public int stride() {
            return stride;
        }

        /** The examples per chunk; chunk c holds examples [c·chunkRows, min(N, (c+1)·chunkRows)). */
        public int chunkRows() {
            return chunkRows;
        }

        /** Θᵀ (D × stride): the caller writes run k's θ_j at [j·stride + k]. */
        public double[] thetaTransposed() {
            return thetaT;
        }

        /** The chunk's outputs f (rows × stride, run k in column k) after {@link #forward}. */
        public double[] outputs() {
            return outputsChunk;
        }

        /** The chunk's residuals r, written by the caller (rows × stride). */
        public double[] residuals() {
            return residualChunk;
        }

        /** The chunk's per-example curvature weights w, written by the caller (rows × stride). */
        public double[] weights() {
            return weightChunk;
        }

        /** Chunk c's per-example values, replicated in every column (rows × stride). */
        public double[] labels(int chunk) {
            return labelChunks[chunk];
        }

        /** The outputs of chunk c's examples for the first {@code runs} columns of Θᵀ. */
        public void forward(int chunk, int runs) {
            int from = chunk * chunkRows;
            LaneKernels.forward(Math.min(chunkRows, n - from), d, runs, x, from, dPadded, thetaT, stride,
                    outputsChunk, stride);
        }

        /**
         * Adds chunk c's terms to the gradient sums Σ_i x_ij r_si (D × stride) and, when {@code curvature},
         * the curvature sums Σ_i (x_i x_iᵀ)_p w_si (D(D+1)/2 × stride, packed upper triangles by rows), for the
         * first {@code runs} columns.
         */
        public void accumulate(int chunk, int runs, boolean curvature) {
            int from = chunk * chunkRows;
            int rows = Math.min(chunkRows, n - from);
            LaneKernels.accumulate(rows, d, runs, x, from, dPadded, residualChunk, stride, gradientT, stride);
            if (curvature) {
                LaneKernels.accumulate(rows, q, runs, outer, from, qPadded, weightChunk, stride, gramT, stride);
            }
        }

        /** Σ_i x_ij r_si of column k at [j·stride + k] (after the last chunk's {@link #accumulate}). */
        public double[] gradients() {
            return gradientT;
        }

        /** The packed Σ_i w_si x_i x_iᵀ of column k, entry p at [p·stride + k]. */
        public double[] gram() {
            return gramT;
        }

        /**
         * One run's outputs f_i = Σ_j x_ij θ_j (N values into {@code f}), the bits of {@link #forward}: for
         * the few runs whose loss is needed.
         */
        public void outputsOf(double[] theta, int offset, double[] f) {
            for (int i = 0; i < n; i++) {
                double s = 0.0;
                for (int j = 0; j < d; j++) {
                    s = Math.fma(x[i * dPadded + j], theta[offset + j], s);
                }
                f[i] = s;
            }
        }
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
