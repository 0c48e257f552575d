package io.github.natgrad.linalg;

/**
 * Plain-Java kernels for the memory-bound matrix-vector products of a step. At the shapes natgrad
 * targets they match native {@code dgemv} (both stream the matrix once) and avoid the JNI copy of a
 * {@code double[]} operand; four accumulators let the JIT overlap the additions.
 */
public final class Kernels {
    private Kernels() {
    }

    /** f = A x + shift, for A row-major n × p. */
    public static void multiply(int n, int p, double[] a, double[] x, double shift, double[] f) {
        for (int i = 0; i < n; i++) {
            int row = i * p;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int j = 0;
            for (; j + 3 < p; j += 4) {
                s0 += a[row + j] * x[j];
                s1 += a[row + j + 1] * x[j + 1];
                s2 += a[row + j + 2] * x[j + 2];
                s3 += a[row + j + 3] * x[j + 3];
            }
            for (; j < p; j++) {
                s0 += a[row + j] * x[j];
            }
            f[i] = (s0 + s1) + (s2 + s3) + shift;
        }
    }

    /** out[0..p) = Aᵀ u, for A row-major n × p. */
    public static void multiplyTransposed(int n, int p, double[] a, double[] u, double[] out) {
        java.util.Arrays.fill(out, 0, p, 0.0);
        for (int i = 0; i < n; i++) {
            double ui = u[i];
            if (ui == 0) {
                continue;
            }
            int row = i * p;
            for (int j = 0; j < p; j++) {
                out[j] += ui * a[row + j];
            }
        }
    }
}
