package io.github.natgrad.spectral;

import io.github.natgrad.linalg.Vectors;
import io.github.natgrad.Checks;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.linalg.Blas;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The extreme eigenvalues of a symmetric operator from its products alone: k steps of the Lanczos
 * iteration with full reorthogonalisation (Golub and Van Loan, "Matrix Computations", 4th ed., section
 * 10.1), then the eigenvalues (Ritz values) of the k × k tridiagonal matrix. The extreme Ritz values converge
 * first; with k = D they are the exact spectrum to rounding. Memory O(k·D); seeded start vector.
 */
public final class Lanczos {
    private Lanczos() {
    }

    /**
     * The Ritz values of {@code steps} Lanczos steps (fewer when the Krylov space is exhausted).
     *
     * @param operator the symmetric operator
     * @param steps    k ≥ 1 (at most D is used)
     * @param seed     seed of the random start vector
     * @return the Ritz values, ascending: [0] estimates λ_min, the last λ_max
     */
    public static double[] ritzValues(CurvatureOperator operator, int steps, long seed) {
        Checks.atLeastOne(steps, "Lanczos steps");
        int d = operator.dimension();
        int k = Math.min(steps, d);
        double[][] q = new double[k + 1][];
        double[] alpha = new double[k];
        double[] beta = new double[k];
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = random.nextDouble() - 0.5;
        }
        scale(v, 1 / Vectors.norm(v));
        q[0] = v;
        double[] w = new double[d];
        int m = 0;
        for (int i = 0; i < k; i++) {
            operator.multiply(q[i], w);
            alpha[i] = Vectors.dot(w, q[i]);
            // full reorthogonalisation, twice (classical Gram-Schmidt is enough when repeated)
            for (int pass = 0; pass < 2; pass++) {
                for (int l = 0; l <= i; l++) {
                    double c = Vectors.dot(w, q[l]);
                    for (int j = 0; j < d; j++) {
                        w[j] -= c * q[l][j];
                    }
                }
            }
            m = i + 1;
            double b = Vectors.norm(w);
            if (i == k - 1 || b <= 1e-14 * Math.max(1.0, Math.abs(alpha[i]))) {
                break;
            }
            beta[i] = b;
            q[i + 1] = w.clone();
            scale(q[i + 1], 1 / b);
        }
        double[] t = new double[m * m];
        for (int i = 0; i < m; i++) {
            t[i * m + i] = alpha[i];
            if (i + 1 < m) {
                t[i * m + i + 1] = beta[i];
                t[(i + 1) * m + i] = beta[i];
            }
        }
        double[] values = new double[m];
        Blas.symmetricEigen(m, t, values);
        Arrays.sort(values);
        return values;
    }

    private static void scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
    }
}
