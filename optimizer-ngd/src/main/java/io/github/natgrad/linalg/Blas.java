package io.github.natgrad.linalg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The few BLAS and LAPACK kernels natgrad's hot path needs, called on plain row-major {@code double[]}
 * through the OpenBLAS that ND4J's native backend ships ({@code org.bytedeco.openblas}). A call costs
 * about a microsecond, against 7–80 µs for an ND4J op (see {@code ../shared/notes/nd4j.md}); each
 * entry point here is checked against Apache Commons Math in the tests.
 *
 * <p>Threads: natgrad never changes the number of OpenBLAS threads by itself. Loading this class, a
 * Gram build or a solve leaves the process's setting as it was (OpenBLAS's own default, or what
 * {@code OPENBLAS_NUM_THREADS} / {@code OMP_NUM_THREADS} or the application set); OpenBLAS partitions
 * a product's output among its threads, so the results do not depend on that setting. An application
 * that wants another count asks for it explicitly, once, with {@link #setThreads} (process-wide: it
 * affects every OpenBLAS caller in the JVM, ND4J included). Small products (the paper's shapes) are
 * fastest on one thread; a {@code dsyrk} of D ≥ {@link #PARALLEL_GRAM_MIN_DIMENSION} and rows·D² ≥
 * {@link #PARALLEL_GRAM_FLOPS} gains from more (measured in {@code BENCHMARKS.md}). Calls from several
 * threads at once are safe: no call reads or writes shared state of this class.
 *
 * <p>Never silently wrong: the first use in a process of each routine here ({@code dgemm}, {@code dgemv},
 * {@code dsyrk}, {@code dsymv}, {@code dpotrf}, {@code dpotrs}, {@code dpotri}, {@code dsyevd}) runs a
 * known-answer check of it (exact integer products against Java loops, a Cholesky factor known in advance,
 * eigenvalues known in closed form; about a millisecond in all) and throws a {@link BlasKernelException}
 * naming the routine, {@link #describe()} and the remedy if it fails, then and at every later use. OpenBLAS
 * 0.3.19's SkylakeX kernels on AVX-512 CPUs return wrong Cholesky factors and eigenvectors with status 0.
 */
public final class Blas {
    private static final int ROW_MAJOR = openblas.CblasRowMajor;
    private static final int UPPER = openblas.CblasUpper;
    private static final int NO_TRANS = openblas.CblasNoTrans;
    private static final int TRANS = openblas.CblasTrans;
    private static final byte U = (byte) 'U';
    /**
     * LAPACK's uplo argument "L" as a C string for the Fortran-level calls (read only, shared), in a holder so
     * that loading this class (for {@link #describe()}, on a path that never calls BLAS) does not start
     * JavaCPP's native loader.
     */
    private static final class LowerName {
        static final BytePointer VALUE = new BytePointer("L");
    }
    private static final int COL_MAJOR = openblas.LAPACK_COL_MAJOR;
    private static final byte L = (byte) 'L';

    /**
     * The size (rows·D² of a Gram matrix, about its flop count) from which a {@code dsyrk} on every core
     * beats one thread, for D of at least {@link #PARALLEL_GRAM_MIN_DIMENSION}: a guide for choosing
     * {@link #setThreads}; natgrad does not switch by itself.
     * Measured (preliminary, a shared 2-core AMD EPYC, dsyrk with 1 and 2 threads, bit-identical results):
     * D = 100 gains nothing at any N (OpenBLAS splits the D × D output, too small to share); D = 300 at
     * N = 1000 gains 1.26×, D = 500 at N = 2000 and 20 000 gains 1.5–1.7× when the second core is free.
     */
    public static final double PARALLEL_GRAM_FLOPS = 1e8;

    /** The smallest D for which a parallel {@code dsyrk} gains (see {@link #PARALLEL_GRAM_FLOPS}). */
    public static final int PARALLEL_GRAM_MIN_DIMENSION = 256;

    private Blas() {
    }

    /**
     * Sets the number of OpenBLAS threads for every later call in this process: an explicit,
     * process-wide choice for an application to make (natgrad's library code never calls it). One thread
     * is fastest at small shapes and when several optimizers run in parallel threads.
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS threads must be at least 1, got " + threads);
        }
        openblas.blas_set_num_threads(threads);
    }

    /**
     * The number of OpenBLAS threads in use: always at least 1, a number {@link #setThreads} accepts. Some
     * OpenBLAS builds answer −1 until their first BLAS call has initialised them; this then makes one (the
     * known-answer check of {@code dgemv}) and asks again, and if OpenBLAS still has no answer reports the
     * count it starts with: {@code OPENBLAS_NUM_THREADS}, else {@code OMP_NUM_THREADS}, else the number of
     * processors.
     */
    public static int threads() {
        int n = openblas.blas_get_num_threads();
        if (n >= 1) {
            return n;
        }
        KnownAnswers.dgemv();
        n = openblas.blas_get_num_threads();
        return n >= 1 ? n : startingThreads(System.getenv("OPENBLAS_NUM_THREADS"), System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors());
    }

    /** The thread count OpenBLAS starts with, from its environment variables (≥ 1). */
    static int startingThreads(String openblasNumThreads, String ompNumThreads, int processors) {
        for (String v : new String[] {openblasNumThreads, ompNumThreads}) {
            if (v != null) {
                try {
                    int n = Integer.parseInt(v.trim());
                    if (n >= 1) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    // OpenBLAS ignores it too
                }
            }
        }
        return Math.max(1, processors);
    }

    /** y = alpha · A x + beta · y, A row-major m × n. */
    public static void gemv(int m, int n, double alpha, double[] a, double[] x, double beta, double[] y) {
        KnownAnswers.dgemv();
        openblas.cblas_dgemv(ROW_MAJOR, NO_TRANS, m, n, alpha, a, n, x, 1, beta, y, 1);
    }

    /** y = alpha · Aᵀ x + beta · y, A row-major m × n. */
    public static void gemvTransposed(int m, int n, double alpha, double[] a, double[] x, double beta, double[] y) {
        KnownAnswers.dgemv();
        openblas.cblas_dgemv(ROW_MAJOR, TRANS, m, n, alpha, a, n, x, 1, beta, y, 1);
    }

    /**
     * The upper triangle of C = alpha · Gᵀ G + beta · C (C is d × d, G row-major rows × d); the strict
     * lower triangle of C is left untouched. Call {@link #symmetrizeFromUpper} for the full matrix.
     * Both operands are direct buffers: JNI copies a {@code double[]} argument in and out on every call,
     * which for G costs as much as a fifth of the product itself.
     *
     * <p>Its bits depend on OpenBLAS: on its version and kernel ({@link #describe()}) and, with OpenBLAS
     * 0.3.28, on its thread count (a product split between two threads can round some entries differently,
     * in the last bits, from one thread). natgrad's own Gram kernel ({@link GramBuilder}, D ≤ 512) does not.
     */
    public static void gramUpper(int rows, int d, double alpha, DoubleBuffer g, double beta, DoubleBuffer c) {
        KnownAnswers.dsyrk();
        openblas.cblas_dsyrk(ROW_MAJOR, UPPER, TRANS, d, rows, alpha, g, d, beta, c, d);
    }

    /** A direct (off-heap), native-order buffer of {@code size} doubles, zeroed, for BLAS operands. */
    public static DoubleBuffer allocate(long size) {
        if (size > Integer.MAX_VALUE / Double.BYTES) {
            throw new IllegalArgumentException("a buffer of " + size + " doubles is larger than 2 GiB; "
                    + "use a smaller batch or fewer samples");
        }
        return ByteBuffer.allocateDirect((int) size * Double.BYTES).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    /** C = alpha · A B + beta · C, all row-major: A is m × k, B is k × n. */
    public static void gemm(int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c) {
        KnownAnswers.dgemm();
        openblas.cblas_dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, alpha, a, k, b, n, beta, c, n);
    }

    /** C = alpha · Aᵀ B + beta · C, all row-major: A is k × m, B is k × n. */
    public static void gemmTransA(int m, int n, int k, double alpha, double[] a, double[] b, double beta,
            double[] c) {
        KnownAnswers.dgemm();
        openblas.cblas_dgemm(ROW_MAJOR, TRANS, NO_TRANS, m, n, k, alpha, a, m, b, n, beta, c, n);
    }

    /**
     * C = alpha · op(A) op(B) + beta · C on row-major direct buffers (op = transpose when asked): op(A) is
     * m × k, op(B) is k × n, C is m × n, with leading dimensions lda, ldb, ldc. Direct buffers avoid the
     * copy in and out that JNI makes of a {@code double[]} argument, which matters for large operands.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, DoubleBuffer a,
            int lda, DoubleBuffer b, int ldb, double beta, DoubleBuffer c, int ldc) {
        KnownAnswers.dgemm();
        openblas.cblas_dgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha, a, lda,
                b, ldb, beta, c, ldc);
    }

    /**
     * {@link #choleskyUpper(int, double[])} on a direct buffer (row-major d × d): A = UᵀU in the upper
     * triangle. The row-major upper triangle is the lower triangle of the column-major view, so this calls
     * the column-major {@code dpotrf('L')} and skips the two transpositions (and the allocation) that
     * LAPACKE's row-major interface makes.
     */
    public static int choleskyUpper(int d, DoubleBuffer a) {
        KnownAnswers.dpotrf();
        int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'L', d, a, d);
        if (info < 0) {
            throw new IllegalStateException("LAPACKE_dpotrf: illegal argument " + (-info));
        }
        return info;
    }

    /**
     * A direct buffer of the integer arguments of {@link #choleskyUpperUnchecked} and
     * {@link #choleskySolveUpperUnchecked}: one per thread (it holds their sizes and status while they run).
     */
    public static IntBuffer allocateLapackArguments() {
        return ByteBuffer.allocateDirect(4 * Integer.BYTES).order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    /**
     * {@link #choleskyUpper(int, DoubleBuffer)} by the Fortran-level {@code dpotrf} that LAPACKE calls (the
     * same routine on the same matrix, so the same bits), without LAPACKE's scan of the d × d input for NaN
     * (about 5% of a D = 124 factorisation). For callers whose matrix is finite by construction; a NaN on the
     * diagonal gives a positive status (not positive definite) instead of LAPACKE's argument error.
     *
     * @param args a buffer of {@link #allocateLapackArguments()}, not used by another thread at the same time
     * @return 0, or k &gt; 0 if the leading minor of order k is not positive definite
     */
    public static int choleskyUpperUnchecked(int d, DoubleBuffer a, IntBuffer args) {
        KnownAnswers.dpotrf();
        args.put(0, d);
        args.put(1, 0);
        IntBuffer size = args.slice(0, 1);
        IntBuffer status = args.slice(1, 1);
        openblas.LAPACK_dpotrf_base(LowerName.VALUE, size, a, size, status, 1L);
        int info = status.get(0);
        if (info < 0) {
            throw new IllegalStateException("dpotrf: illegal argument " + (-info));
        }
        return info;
    }

    /**
     * {@link #choleskySolveUpper(int, DoubleBuffer, DoubleBuffer)} by the Fortran-level {@code dpotrs} (the
     * same bits) without LAPACKE's NaN scans of the factor and the right-hand side.
     *
     * @param args a buffer of {@link #allocateLapackArguments()}, not used by another thread at the same time
     */
    public static void choleskySolveUpperUnchecked(int d, DoubleBuffer factor, DoubleBuffer b, IntBuffer args) {
        KnownAnswers.dpotrs();
        args.put(0, d);
        args.put(1, 0);
        args.put(2, 1);
        IntBuffer size = args.slice(0, 1);
        IntBuffer status = args.slice(1, 1);
        IntBuffer columns = args.slice(2, 1);
        openblas.LAPACK_dpotrs_base(LowerName.VALUE, size, columns, factor, size, b, size, status, 1L);
        int info = status.get(0);
        if (info != 0) {
            throw new IllegalStateException("dpotrs failed with info " + info);
        }
    }

    /** {@link #choleskySolveUpper(int, double[], double[])} on direct buffers, with the factor of {@link #choleskyUpper(int, DoubleBuffer)}. */
    public static void choleskySolveUpper(int d, DoubleBuffer factor, DoubleBuffer b) {
        KnownAnswers.dpotrs();
        int info = openblas.LAPACKE_dpotrs(openblas.LAPACK_COL_MAJOR, (byte) 'L', d, 1, factor, d, b, d);
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_dpotrs failed with info " + info);
        }
    }

    /** y = A x for a symmetric d × d A, reading its upper triangle. */
    public static void symv(int d, double[] a, double[] x, double[] y) {
        KnownAnswers.dsymv();
        openblas.cblas_dsymv(ROW_MAJOR, UPPER, d, 1.0, a, d, x, 1, 0.0, y, 1);
    }

    /** y = A x for a symmetric d × d A, reading its lower triangle (the upper one is never read). */
    public static void symvLower(int d, double[] a, double[] x, double[] y) {
        KnownAnswers.dsymv();
        openblas.cblas_dsymv(ROW_MAJOR, openblas.CblasLower, d, 1.0, a, d, x, 1, 0.0, y, 1);
    }

    /**
     * A⁻¹ in place in the upper triangle from the factor of {@link #choleskyUpper(int, double[])}
     * (LAPACK {@code dpotri}); call {@link #symmetrizeFromUpper} for the full matrix.
     *
     * @return 0, or k &gt; 0 if U_kk is zero and A is singular
     */
    public static int choleskyInverseUpper(int d, double[] factor) {
        KnownAnswers.dpotri();
        int info = openblas.LAPACKE_dpotri(COL_MAJOR, L, d, factor, d);
        if (info < 0) {
            throw new IllegalStateException("LAPACKE_dpotri: illegal argument " + (-info));
        }
        return info;
    }

    /**
     * Runs now the known-answer check of every BLAS and LAPACK routine natgrad calls (each runs anyway on
     * the routine's first use, once per process), e.g. at an application's start to fail early.
     *
     * @throws BlasKernelException if a routine gives a wrong answer
     */
    public static void checkKernels() {
        KnownAnswers.all();
    }

    /** Copies the upper triangle of the d × d row-major {@code c} onto its lower triangle. */
    public static void symmetrizeFromUpper(int d, double[] c) {
        for (int i = 0; i < d; i++) {
            int row = i * d;
            for (int j = i + 1; j < d; j++) {
                c[j * d + i] = c[row + j];
            }
        }
    }

    /**
     * Cholesky factorisation in place of the upper triangle: A = UᵀU. Returns 0 on success, or the
     * order k &gt; 0 of the leading minor that is not positive definite.
     *
     * <p>The row-major upper triangle is, read column-major, the lower triangle: LAPACK factorises it as
     * L Lᵀ with L = Uᵀ in place, without the transposed copies LAPACKE makes for row-major input.
     */
    public static int choleskyUpper(int d, double[] a) {
        KnownAnswers.dpotrf();
        int info = openblas.LAPACKE_dpotrf(COL_MAJOR, L, d, a, d);
        if (info < 0) {
            throw new IllegalStateException("LAPACKE_dpotrf: illegal argument " + (-info));
        }
        return info;
    }

    /** Solves A x = b in place in {@code b} with the factor of {@link #choleskyUpper}. */
    public static void choleskySolveUpper(int d, double[] factor, double[] b) {
        KnownAnswers.dpotrs();
        int info = openblas.LAPACKE_dpotrs(COL_MAJOR, L, d, 1, factor, d, b, d);
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_dpotrs failed with info " + info);
        }
    }

    /**
     * Symmetric eigen-decomposition in place: on return {@code a} (row-major d × d) holds the eigenvectors
     * as columns and {@code w} the eigenvalues ascending. Reads the upper triangle.
     */
    public static void symmetricEigen(int d, double[] a, double[] w) {
        KnownAnswers.dsyevd();
        int info = openblas.LAPACKE_dsyevd(ROW_MAJOR, (byte) 'V', U, d, a, d, w);
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_dsyevd did not converge (info " + info + ") on a "
                    + d + " x " + d + " matrix; check it for NaN or infinite entries");
        }
    }

    /** The dot product of the first n entries. */
    public static double dot(int n, double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /**
     * The OpenBLAS in use and what decides its kernel, e.g.
     * {@code "OpenBLAS 0.3.28-1.5.11, kernel auto on AMD EPYC family 26 model 2 (avx512)"} or
     * {@code "OpenBLAS 0.3.28-1.5.11, kernel Haswell (OPENBLAS_CORETYPE)"}. OpenBLAS chooses its kernel
     * family from the CPU unless {@code OPENBLAS_CORETYPE} names one; the Java presets do not expose the
     * name it chose, so this string records what determines it: the library version, the override if
     * any, else the CPU (vendor, family, model, widest vector extension). Results of BLAS and LAPACK
     * calls can differ in their last bits from one kernel to another; natgrad records this string beside
     * results that depend on it.
     */
    public static String describe() {
        return DESCRIPTION;
    }

    private static final String DESCRIPTION = describeOpenBlas();

    private static String describeOpenBlas() {
        String version = "unknown version";
        // a resource of the presets' jar, not openblas.class: loading that class (thousands of natives) and
        // JavaCPP's loader would cost a command that never calls BLAS a third of a second
        try (java.io.InputStream in = Blas.class.getClassLoader().getResourceAsStream(
                "META-INF/maven/org.bytedeco/openblas/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                version = p.getProperty("version", version);
            }
        } catch (java.io.IOException e) {
            // keep "unknown version"
        }
        String override = System.getenv("OPENBLAS_CORETYPE");
        String kernel = override != null && !override.isBlank()
                ? "kernel " + override.trim() + " (OPENBLAS_CORETYPE)"
                : "kernel auto on " + Cpu.describe();
        return "OpenBLAS " + version + ", " + kernel;
    }
}
