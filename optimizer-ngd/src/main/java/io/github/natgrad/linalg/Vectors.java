package io.github.natgrad.linalg;

/**
 * The plain vector sums of the library, written once: the dot product Σ aᵢbᵢ and the Euclidean norm, each a
 * single sum in index order (no unrolling, no SIMD), so that every caller — the optimizers' steps, the
 * trust region, Lanczos, the oracle checks — gets the bits it always had. The hot products of a step are
 * {@link Kernels}' and {@link VectorKernels}'.
 */
public final class Vectors {
    private Vectors() {
    }

    /** Σ aᵢbᵢ over the length of {@code a}, in index order. */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Σ aᵢbᵢ over the first {@code n} entries, in index order. */
    public static double dot(int n, double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** ‖a‖ = √(Σ aᵢ²), the sum in index order. */
    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
