package io.github.natgrad.solve;

import io.github.natgrad.Factorization;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.CholeskyFailure;
import io.github.natgrad.linalg.SmallCholesky;
import io.github.natgrad.linalg.SolveCheck;
import java.util.Optional;

/**
 * Solves with the Cholesky factorisation C + λI = UᵀU: LAPACK {@code dpotrf} / {@code dpotrs}, or for
 * D ≤ {@link SmallCholesky#MAX_DIMENSION} natgrad's Java factorisation ({@link SmallCholesky}), which at
 * that size is faster than the call into LAPACK.
 *
 * <p>Never silently wrong: every solve checks its residual ‖(C + λI)x − g‖ against rounding level with one
 * product by the triangle of C + λI the factorisation left untouched, refines once if needed and throws a
 * {@link io.github.natgrad.linalg.BlasKernelException} if still wrong ({@link SolveCheck}); a LAPACK failure
 * on a finite matrix is confirmed by natgrad's own factorisation before the matrix is called not positive
 * definite ({@link CholeskyFailure}).
 */
final class CholeskySolver extends NamedSolver {
    static final CholeskySolver INSTANCE = new CholeskySolver();

    private CholeskySolver() {
        super("cholesky");
    }

    @Override
    public Optional<Factorization> factor(double[] c, int d, double lambda) {
        double[] u = c.clone();
        double[] diagonal = new double[d];
        double trace = 0;
        for (int i = 0; i < d; i++) {
            if (lambda != 0) {
                u[i * d + i] += lambda;
            }
            diagonal[i] = u[i * d + i];
            trace += diagonal[i];
        }
        boolean small = d <= SmallCholesky.MAX_DIMENSION;
        int info = small ? SmallCholesky.factorUpper(d, u) : Blas.choleskyUpper(d, u);
        if (info != 0) {
            if (!small && CholeskyFailure.nonFiniteEntry(d, c) == null && Double.isFinite(lambda)) {
                CholeskyFailure.confirm(d, c, lambda, info, String.format("C + %.3g I", lambda));
            }
            return Optional.empty();
        }
        // the factor overwrote the upper triangle and the diagonal; the strict lower triangle still holds C + λI
        SolveCheck.Product product = (x, out) -> SolveCheck.multiplyStrictLower(d, u, diagonal, x, out);
        SolveCheck.Solve raw = small
                ? (b, x) -> {
                    copy(b, x, d);
                    SmallCholesky.solveUpper(d, u, x);
                }
                : (b, x) -> {
                    copy(b, x, d);
                    Blas.choleskySolveUpper(d, u, x);
                };
        String routine = small ? "Cholesky solve (natgrad's SmallCholesky)" : "Cholesky solve (LAPACK dpotrf/dpotrs)";
        double norm = trace + Math.abs(lambda); // trace(C + λI) ≥ ‖|C + λI|‖₂ for a positive definite C + λI
        return Optional.of((b, x) -> {
            double[] rhs = x == b ? b.clone() : b;
            raw.solve(rhs, x);
            SolveCheck.refine(routine, d, norm, product, raw, rhs, x);
        });
    }

    private static void copy(double[] b, double[] x, int d) {
        if (x != b) {
            System.arraycopy(b, 0, x, 0, d);
        }
    }
}
