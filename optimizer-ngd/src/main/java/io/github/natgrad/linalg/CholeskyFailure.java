package io.github.natgrad.linalg;

/**
 * What a failed LAPACK Cholesky factorisation means, decided before anyone is told "not positive definite".
 * {@code dpotrf} reports the order k of the first leading minor it found not positive definite; a wrong
 * kernel (OpenBLAS 0.3.19's SkylakeX) reports that on matrices that are positive definite. So the claim is
 * checked independently: natgrad's Java factorisation ({@link SmallCholesky}, no BLAS) of the same leading
 * k × k block (k³/3 multiply-adds, paid only on a failure). If it fails too, or its smallest pivot is at
 * rounding level (the matrix is numerically singular and the two factorisations may disagree on it), the
 * matrix really is not (numerically) positive definite. If every pivot is clearly positive, LAPACK was wrong,
 * and a {@link BlasKernelException} says so. A non-finite entry is reported as such, never as a property of
 * a matrix's eigenvalues.
 */
public final class CholeskyFailure {
    private CholeskyFailure() {
    }

    /**
     * The first non-finite entry of the row-major d × d {@code a} as {@code "[i][j] = NaN"}, or null if all
     * are finite (reads the whole matrix).
     */
    public static String nonFiniteEntry(int d, double[] a) {
        for (int i = 0; i < d * d; i++) {
            if (!Double.isFinite(a[i])) {
                return "[" + (i / d) + "][" + (i % d) + "] = " + a[i];
            }
        }
        return null;
    }

    /**
     * Confirms that the symmetric row-major d × d matrix A = C + shift·I, whose LAPACK Cholesky factorisation
     * failed with {@code info} = k &gt; 0, is not numerically positive definite.
     *
     * @param d     the dimension
     * @param c     C, row-major, finite (its lower triangle is read; not modified)
     * @param shift the multiple of I added to C
     * @param info  the order of the leading minor dpotrf reported
     * @param what  what A is, for the message (e.g. "the K-FAC input factor of layer 2 + 0.57 I")
     * @throws BlasKernelException if natgrad's own factorisation finds the leading k × k block clearly
     *                             positive definite
     */
    public static void confirm(int d, double[] c, double shift, int info, String what) {
        int k = Math.min(Math.max(info, 1), d);
        double[] block = new double[k * k];
        double largest = 0;
        for (int i = 0; i < k; i++) {
            System.arraycopy(c, i * d, block, i * k, i + 1);
            block[i * k + i] += shift;
            largest = Math.max(largest, Math.abs(block[i * k + i]));
        }
        if (SmallCholesky.factor(k, block) != 0) {
            return; // confirmed
        }
        double smallestPivot = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double l = block[j * k + j];
            smallestPivot = Math.min(smallestPivot, l * l);
        }
        // pivots at rounding level: numerically singular, where LAPACK's blocked order may fail and ours not
        if (!(smallestPivot > SolveCheck.FACTOR * d * Math.ulp(1.0) * largest)) {
            return;
        }
        throw new BlasKernelException("dpotrf", String.format("LAPACK reported the leading %d x %d minor of %s (d = %d) "
                + "not positive definite (info %d), but natgrad's own Cholesky factorisation of that block succeeds "
                + "with every pivot at least %.3g (largest diagonal entry %.3g): the matrix is positive definite and "
                + "the kernel is wrong", k, k, what, d, info, smallestPivot, largest));
    }
}
