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
 *   <li>for d ≤ {@link #MAX_SIMD_DIMENSION}, natgrad's Java kernel: register-blocked on the Vector API
 *       ({@link Simd}), or its scalar path when the SIMD kernels are off; the rows go into a heap array.
 *       Each entry is summed over the rows in an order fixed by d alone, so the result has the same bits
 *       at every vector width and on the scalar path;</li>
 *   <li>OpenBLAS {@code dsyrk} ({@link Blas#gramUpper}) for larger d; the rows go into a direct buffer that
 *       native code reads without a copy. Its bits depend on OpenBLAS's kernel ({@link Blas#describe()}).</li>
 * </ul>
 * On the 2-core AMD EPYC where natgrad is measured the SIMD kernel is 2–4× faster than OpenBLAS 0.3.19's
 * single-threaded {@code dsyrk} from D = 14 to D = 500 (figures and command in {@code BENCHMARKS.md}).
 *
 * <p>Order of calls: {@link #begin}, then for each block write its rows and call {@link #accumulate},
 * then {@link #finish}.
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

    private boolean javaKernel;
    private int d;
    private int rowStride;
    private int maxRows;
    private double alpha;
    private boolean empty;

    private double[] scratch = new double[0];

    /** True if a build of a d × d Gram matrix uses the SIMD kernel in this JVM. */
    public static boolean usesSimd(int d) {
        return Simd.enabled() && d <= MAX_SIMD_DIMENSION;
    }

    /** True if a build of a d × d Gram matrix uses natgrad's Java kernel (SIMD or scalar), not OpenBLAS. */
    public static boolean usesJavaKernel(int d) {
        return d <= MAX_SIMD_DIMENSION;
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
        this.javaKernel = usesJavaKernel(d);
        this.d = d;
        this.maxRows = maxRows;
        this.alpha = alpha;
        this.empty = true;
        long size = (long) maxRows * d;
        if (javaKernel) {
            if (size + PADDING > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a block of " + maxRows + " x " + d
                        + " rows is larger than a Java array; use smaller blocks");
            }
            if (heapRows.length < size + PADDING) {
                heapRows = new double[(int) size + PADDING];
                heapView = DoubleBuffer.wrap(heapRows);
            }
            int lanes = Math.max(1, Simd.lanes());
            rowStride = (d + lanes - 1) / lanes * lanes;
            if (!Simd.enabled() && scratch.length < d * d) {
                scratch = new double[d * d];
            }
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

    /** Adds the block of the first {@code rows} rows written into the buffer. */
    public void accumulate(int rows) {
        if (rows < 1 || rows > maxRows) {
            throw new IllegalArgumentException("a block has 1 to " + maxRows + " rows, got " + rows);
        }
        if (javaKernel) {
            if (Simd.enabled()) {
                VectorKernels.gramUpper(rows, d, heapRows, product, rowStride);
            } else {
                Kernels.gramUpperScalar(rows, d, heapRows, product, rowStride, scratch);
            }
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
        if (javaKernel) {
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
