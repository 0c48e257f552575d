package io.github.natgrad.solve;

import io.github.natgrad.Factorization;
import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.SmallCholesky;
import java.util.Optional;

/**
 * Solves with the Cholesky factorisation C + λI = UᵀU: LAPACK {@code dpotrf} / {@code dpotrs}, or for
 * D ≤ {@link SmallCholesky#MAX_DIMENSION} natgrad's Java factorisation ({@link SmallCholesky}), which at
 * that size is faster than the call into LAPACK.
 */
final class CholeskySolver implements Solver {
    static final CholeskySolver INSTANCE = new CholeskySolver();

    private CholeskySolver() {
    }

    @Override
    public String name() {
        return "cholesky";
    }

    @Override
    public Optional<Factorization> factor(double[] c, int d, double lambda) {
        double[] u = c.clone();
        if (lambda != 0) {
            for (int i = 0; i < d; i++) {
                u[i * d + i] += lambda;
            }
        }
        boolean small = d <= SmallCholesky.MAX_DIMENSION;
        if ((small ? SmallCholesky.factor(d, u) : Blas.choleskyUpper(d, u)) != 0) {
            return Optional.empty();
        }
        return Optional.of((b, x) -> {
            if (x != b) {
                System.arraycopy(b, 0, x, 0, d);
            }
            if (small) {
                SmallCholesky.solve(d, u, x);
            } else {
                Blas.choleskySolveUpper(d, u, x);
            }
        });
    }

    @Override
    public Spectrum decompose(double[] c, int d) {
        return DenseSpectrum.of(c, d);
    }

    @Override
    public String toString() {
        return name();
    }
}
