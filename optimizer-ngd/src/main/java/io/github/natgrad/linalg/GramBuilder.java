package io.github.natgrad.linalg;

import java.nio.DoubleBuffer;
import java.util.Arrays;

/**
 * Builds C = α Σ_blocks GᵀG, the d × d Gram matrix of rows that the caller writes block by block into the
 * buffer {@link #begin} returns: the curvature build of every Jacobian-based kind. Reused across steps,
 * it keeps its buffers.
 *
 * <p>Two kernels, chosen by shape when a build begins:
 * <ul>
 *   <li>the SIMD kernel ({@link Simd}): a register-blocked Java kernel on the Vector API, for
 *       d ≤ {@link #MAX_SIMD_DIMENSION}; the rows go into a heap array. Each entry is summed over the rows
 *       in an order fixed by d alone, so the result has the same bits at every vector width;</li>
 *   <li>OpenBLAS {@code dsyrk} ({@link Blas#gramUpper}) otherwise, or when the SIMD kernels are off; the
 *       rows go into a direct buffer that native code reads without a copy. Its bits depend on OpenBLAS's
 *       kernel ({@link Blas#describe()}) and agree with the SIMD kernel's to rounding. (A scalar Java kernel
 *       in the SIMD kernel's order would give its bits, but measured 1.5× slower than {@code dsyrk} at
 *       D = 31 and 12× at D = 124, so the scalar path stays on OpenBLAS.)</li>
 * </ul>
 * On the 2-core AMD EPYC where natgrad is measured the SIMD kernel is 2–4× faster than OpenBLAS 0.3.19's
 * single-threaded {@code dsyrk} from D = 14 to D = 500 (figures and command in {@code BENCHMARKS.md}).
 *
 * <p>Order of calls: {@link #begin}, then for each block write its rows and call {@link #accumulate},
 * then {@link #finish}; or one {@link #scaledGram} for the rows of a {@link StepDesign} scaled by one factor
 * each (a generalised linear model's Fisher), with the bits of that sequence.
 */
public final class GramBuilder {
    /** The largest d for which the SIMD kernel is used; its scratch product is then at most 2 MiB. */
    public static final int MAX_SIMD_DIMENSION = 512;

    /** Doubles past the last row that the SIMD kernel may read (their values never reach C). */
    static final int PADDING = 16;

    private double[] heapRows = new double[0];
    private DoubleBuffer heapView = DoubleBuffer.wrap(heapRows);
    private double[] product = new double[0];
    private DoubleBuffer directRows = Blas.allocate(0);
    private DoubleBuffer directGram = Blas.allocate(0);

    private boolean simd;
    private int d;
    private int rowStride;
    private int maxRows;
    private double alpha;
    private boolean empty;

    /** True if a build of a d × d Gram matrix uses the SIMD kernel in this JVM. */
    public static boolean usesSimd(int d) {
        return Simd.enabled() && d <= MAX_SIMD_DIMENSION;
    }


    /**
     * Starts a build of α Σ GᵀG with d columns, in blocks of at most {@code maxRows} rows, and returns the
     * buffer for a block's rows (row-major, row r at offset r·d; write with absolute {@code put}).
     */
    public DoubleBuffer begin(int maxRows, int d, double alpha) {
        if (maxRows < 1 || d < 1) {
            throw new IllegalArgumentException("a Gram build needs at least one row and one column, got "
                    + maxRows + " x " + d);
        }
        this.simd = usesSimd(d);
        this.d = d;
        this.maxRows = maxRows;
        this.alpha = alpha;
        this.empty = true;
        long size = (long) maxRows * d;
        if (simd) {
            if (size + PADDING > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a block of " + maxRows + " x " + d
                        + " rows is larger than a Java array; use smaller blocks");
            }
            if (heapRows.length < size + PADDING) {
                heapRows = new double[(int) size + PADDING];
                heapView = DoubleBuffer.wrap(heapRows);
            }
            int lanes = Simd.lanes();
            rowStride = (d + lanes - 1) / lanes * lanes;
            int productSize = ((d + 7) / 8 * 8) * rowStride;
            if (product.length < productSize) {
                product = new double[productSize];
            } else {
                Arrays.fill(product, 0, productSize, 0.0);
            }
            return heapView;
        }
        if (directRows.capacity() < size) {
            directRows = Blas.allocate(size);
        }
        if (directGram.capacity() < (long) d * d) {
            directGram = Blas.allocate((long) d * d);
        }
        return directRows;
    }

    /**
     * C = α Σ_i s_i² x̃_i x̃_iᵀ (the full symmetric D × D result into {@code c}, row-major) for the rows x̃_i of a
     * {@link StepDesign}: chunk by chunk of the Gram kernel, the rows s_i x̃_i are written at the design's padded
     * stride ({@link StepDesign#scaledRows}, into a buffer the L1 cache holds) and summed by the SIMD kernel in
     * the order of a {@link #begin} build of the same rows, so the result has the same bits as that build with
     * one block.
     *
     * @param s the N factors s_i (e.g. √Λ_i of the Fisher)
     */
    public void scaledGram(StepDesign design, double[] s, double alpha, double[] c) {
        int n = design.rows();
        int dim = design.columns();
        int lda = design.stride();
        if (!usesSimd(dim)) {
            throw new IllegalStateException("a scaled Gram build of a step design needs the SIMD kernels (" + Simd.describe()
                    + ") and D <= " + MAX_SIMD_DIMENSION + ", got D = " + dim);
        }
        this.simd = true;
        this.d = dim;
        this.maxRows = n;
        this.alpha = alpha;
        int chunk = Kernels.gramChunk(dim);
        long size = (long) Math.min(n, chunk) * lda;
        if (heapRows.length < size + PADDING) {
            heapRows = new double[(int) size + PADDING];
            heapView = DoubleBuffer.wrap(heapRows);
        }
        int lanes = Simd.lanes();
        rowStride = (dim + lanes - 1) / lanes * lanes;
        int productSize = ((dim + 7) / 8 * 8) * rowStride;
        if (product.length < productSize) {
            product = new double[productSize];
        } else {
            Arrays.fill(product, 0, productSize, 0.0);
        }
        // one chunk of the Gram kernel at a time: its scaled rows are written into the L1 cache and read there
        for (int r0 = 0; r0 < n; r0 += chunk) {
            int r1 = Math.min(n, r0 + chunk);
            design.scaledRows(r0, r1, s, heapRows);
            VectorKernels.gramUpper(r1 - r0, dim, lda, heapRows, product, rowStride);
        }
        empty = false;
        finish(c);
    }

    /** Adds the block of the first {@code rows} rows written into the buffer. */
    public void accumulate(int rows) {
        if (rows < 1 || rows > maxRows) {
            throw new IllegalArgumentException("a block has 1 to " + maxRows + " rows, got " + rows);
        }
        if (simd) {
            VectorKernels.gramUpper(rows, d, heapRows, product, rowStride);
        } else {
            Blas.gramUpper(rows, d, alpha, directRows, empty ? 0.0 : 1.0, directGram);
        }
        empty = false;
    }

    /** Writes the full symmetric d × d result into {@code c} (row-major). */
    public void finish(double[] c) {
        if (empty) {
            throw new IllegalStateException("no block was accumulated since begin()");
        }
        if (simd) {
            // scale the upper triangle and mirror it in one pass
            for (int i = 0; i < d; i++) {
                int row = i * rowStride;
                c[i * d + i] = alpha * product[row + i];
                for (int j = i + 1; j < d; j++) {
                    double v = alpha * product[row + j];
                    c[i * d + j] = v;
                    c[j * d + i] = v;
                }
            }
            return;
        }
        directGram.get(0, c, 0, d * d);
        Blas.symmetrizeFromUpper(d, c);
    }
}
