package io.github.natgrad.linalg;

/**
 * A dense design X (N × p, row-major) of one batch, with the column of ones of a bias when there is one,
 * held in the two layouts that one step of a linear model reads, so that no product of the step needs a
 * scalar tail, a lane reduction or a per-row call:
 * <ul>
 *   <li>X̃ = [X, 1] row-major with the row stride {@link #stride()} = D rounded up to 8 (zeros past D): the
 *       gradient X̃ᵀu ({@link #multiplyTransposed}) and the scaled rows diag(s) X̃ of the Fisher's Gram
 *       matrix ({@link #scaledRows}, then {@link GramBuilder#scaledGram});</li>
 *   <li>Xᵀ (p rounded up to 8 rows × N, padded to a multiple of 32): the forward pass f = Xw + b
 *       ({@link #multiply}), the vectors running across examples, so no sum is split over lanes.</li>
 * </ul>
 * Every output is summed in the order of the plain kernels ({@link Kernels#multiply},
 * {@link Kernels#multiplyTransposed}, the block build of {@link GramBuilder}), so a step through the design has
 * the bits of a step without it, at every vector width (2, 4 or 8 doubles; {@code StepDesignTest} and
 * {@code SameBitsAtEveryWidthTest} check it): the design is a matter of speed only.
 *
 * <p>Made once per batch by the optimizer that steps on it ({@code GeneralizedLinearModel.design}); it holds
 * a scratch vector, so one design belongs to one thread. Only with the SIMD kernels on ({@link Simd#enabled()}),
 * for D ≤ {@link #MAX_COLUMNS} and at most {@link #MAX_DOUBLES} doubles in each layout (two copies of X).
 */
public final class StepDesign {
    /**
     * The largest D held: up to 64 the Gram kernel's chunks stay in the L1 cache and every pass gains; at
     * 1605 × 124 the forward pass's 128 column streams of Xᵀ made the step 1.1–1.7× slower than the plain one.
     */
    public static final int MAX_COLUMNS = 64;

    /** The largest layout held (doubles, each of the two copies): 2²¹ (16 MiB). */
    public static final long MAX_DOUBLES = 1L << 21;

    /** Rows of Xᵀ are padded to this many examples: four vectors of the widest width. */
    static final int EXAMPLE_PAD = 32;

    private final int n;
    private final int p;
    private final int d;
    private final int stride;
    private final int examplesPadded;
    /** p rounded up to 8: the rows of Xᵀ (zeros past p). */
    private final int columnsPadded;
    /** θ's first p entries, then −0.0 up to {@link #columnsPadded}. */
    private final double[] weights;
    private final double[] rows;
    private final double[] columns;
    private final double[] scratch;

    private StepDesign(double[] x, int n, int p, boolean bias) {
        this.n = n;
        this.p = p;
        this.d = p + (bias ? 1 : 0);
        this.stride = paddedStride(d);
        this.examplesPadded = (n + EXAMPLE_PAD - 1) / EXAMPLE_PAD * EXAMPLE_PAD;
        this.rows = new double[n * stride];
        this.columnsPadded = paddedStride(p);
        this.columns = new double[columnsPadded * examplesPadded];
        this.weights = new double[columnsPadded];
        java.util.Arrays.fill(weights, p, columnsPadded, -0.0);
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * p, rows, i * stride, p);
            if (bias) {
                rows[i * stride + p] = 1.0;
            }
        }
        // the transpose in blocks of 32 examples: each block's rows stay in the L1 cache while its columns are
        // written 32 contiguous doubles at a time (element by element, the writes a page apart cost 6x more)
        for (int i0 = 0; i0 < n; i0 += EXAMPLE_PAD) {
            int i1 = Math.min(n, i0 + EXAMPLE_PAD);
            for (int j = 0; j < p; j++) {
                int o = j * examplesPadded;
                for (int i = i0; i < i1; i++) {
                    columns[o + i] = x[i * p + j];
                }
            }
        }
        this.scratch = new double[stride];
    }

    /**
     * A linearization whose Jacobian rows are a design's rows (J_i = x̃_iᵀ, one output per example): a Gram
     * build reads them from the design ({@link GramBuilder#scaledGram}) instead of writing them at stride D.
     */
    public interface Source {
        /** The design of this linearization's batch, or null when it has none. */
        StepDesign stepDesign();
    }

    /** D rounded up to a multiple of 8 (the widest vector). */
    static int paddedStride(int d) {
        return (d + 7) / 8 * 8;
    }

    /** Whether a design of N × p inputs (plus a bias column) is held: SIMD kernels on, each layout small enough. */
    public static boolean fits(int n, int p, boolean bias) {
        int d = p + (bias ? 1 : 0);
        return Simd.enabled() && d <= MAX_COLUMNS && (long) n * paddedStride(d) <= MAX_DOUBLES
                && (long) paddedStride(p) * ((n + EXAMPLE_PAD - 1) / EXAMPLE_PAD * EXAMPLE_PAD) <= MAX_DOUBLES;
    }

    /**
     * The design of row-major {@code x} (N × p), with a column of ones appended when {@code bias}.
     *
     * @throws IllegalArgumentException if the design does not {@link #fits fit} (check first)
     */
    public static StepDesign of(double[] x, int n, int p, boolean bias) {
        if (!fits(n, p, bias)) {
            throw new IllegalArgumentException("a step design of " + n + " x " + p + (bias ? " plus a bias" : "")
                    + " is not held (SIMD kernels " + Simd.describe() + ", at most " + MAX_DOUBLES
                    + " doubles per layout): check StepDesign.fits first");
        }
        if (x.length < n * p) {
            throw new IllegalArgumentException("the inputs hold " + x.length + " values for " + n + " x " + p);
        }
        return new StepDesign(x, n, p, bias);
    }

    /** N. */
    public int rows() {
        return n;
    }

    /** D = p (+ 1 with a bias). */
    public int columns() {
        return d;
    }

    /** The row stride of X̃ and of {@link #scaledRows}: D rounded up to 8. */
    public int stride() {
        return stride;
    }

    /**
     * f = X w + shift (length N), w = θ[0 .. p): the bits of {@link Kernels#multiply} (each row's products in 8
     * partial sums, column j to partial j mod 8, the fixed tree, then shift), computed across examples.
     */
    public void multiply(double[] theta, double shift, double[] f) {
        System.arraycopy(theta, 0, weights, 0, p);
        VectorKernels.multiplyColumns(n, columnsPadded, columns, examplesPadded, weights, shift, f);
    }

    /**
     * out[0 .. D) = X̃ᵀ u (the last entry Σ u_i with a bias): each column's sum in 4 partial sums over the rows
     * (row i to partial i mod 4, the last N mod 4 rows to partial 0), then (s0 + s1) + (s2 + s3), the bits of
     * {@link Kernels#multiplyTransposed} (and of {@link Kernels#sum4} for the bias).
     */
    public void multiplyTransposed(double[] u, double[] out) {
        VectorKernels.multiplyTransposedPadded(n, stride, rows, u, scratch);
        System.arraycopy(scratch, 0, out, 0, d);
    }

    /**
     * out (N × {@link #stride()}, row-major) = diag(s) X̃: row i is s_i · [x_i, 1, 0 …], each entry one
     * rounded product (the rows a {@code Linearization.jacobianRows} writes for the factors s, at a wider stride).
     */
    public void scaledRows(double[] s, double[] out) {
        scaledRows(0, n, s, out);
    }

    /** {@link #scaledRows} for the rows from ≤ i &lt; to, written from the start of {@code out}. */
    public void scaledRows(int from, int to, double[] s, double[] out) {
        if (from < 0 || to > n || from >= to) {
            throw new IllegalArgumentException("rows " + from + " to " + to + " of a design of " + n);
        }
        VectorKernels.scaleRows(from, to, stride, rows, s, out);
    }
}
