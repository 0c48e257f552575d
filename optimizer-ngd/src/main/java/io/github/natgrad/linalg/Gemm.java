package io.github.natgrad.linalg;

import org.bytedeco.openblas.global.openblas;

/**
 * General matrix products on plain row-major {@code double[]} through OpenBLAS {@code dgemm}, with
 * either operand transposed: the BLAS-3 kernel of natgrad's minibatch forward and backward passes and of
 * its Kronecker-factored curvature. A call costs about a microsecond plus JNI's copy of each array argument
 * in and out (negligible against the product for the shapes a network layer has). Runs on the BLAS threads
 * {@link Blas} configures; checked once per process like every routine of {@link Blas}.
 */
public final class Gemm {
    private Gemm() {
    }

    /**
     * C = alpha · op(A) op(B) + beta · C, row-major: op(A) is m × k, op(B) is k × n, C is m × n; A is stored
     * m × k (k × m when {@code transA}), B is stored k × n (n × k when {@code transB}).
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
            double[] b, double beta, double[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        KnownAnswers.dgemm();
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        openblas.cblas_dgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, a, Math.max(1, lda), b,
                Math.max(1, ldb), beta, c, Math.max(1, n));
    }

    /**
     * The upper triangle (and, mirrored, the lower) of C = alpha · Aᵀ A + beta · C for A row-major rows × d,
     * through {@code dsyrk}: half the flops of the general product.
     */
    public static void gram(int rows, int d, double alpha, double[] a, double beta, double[] c) {
        KnownAnswers.dsyrk();
        openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasTrans, d, rows, alpha, a,
                Math.max(1, d), beta, c, Math.max(1, d));
        Blas.symmetrizeFromUpper(d, c);
    }
}
