package io.github.natgrad;

import java.nio.DoubleBuffer;
import java.util.Optional;

/**
 * One step's curvature C as an operator: products C v without forming C (O(nnz + N·K) per product for a
 * generalised linear model), plus the structure a solver can exploit — the diagonal for a Jacobi
 * preconditioner and, when C is a low-rank update of a multiple of the identity, its factor for the
 * Woodbury identity. Built by {@link Curvature#operator}; valid until the curvature's next build.
 * Not thread-safe (it owns scratch buffers).
 */
public interface CurvatureOperator {

    /** The name of the curvature kind, for messages. */
    String kind();

    /** The dimension D. */
    int dimension();

    /** {@code out} = C v (overwritten). */
    void multiply(double[] v, double[] out);

    /** Products C v computed by this operator so far. */
    long products();

    /** True when C is positive semi-definite by construction (every kind but the exact Hessian of a network). */
    boolean positiveSemidefinite();

    /** diag(C), when it can be computed cheaply (O(nnz) for the GLMs); empty otherwise. */
    default Optional<double[]> diagonal() {
        return Optional.empty();
    }

    /** C = τ I + s·UᵀU with U (r × D) given by rows, when C has that form; empty otherwise. */
    default Optional<LowRank> lowRank() {
        return Optional.empty();
    }

    /** The form C = shift·I + scale·UᵀU with U of {@link #rank()} rows. */
    interface LowRank {
        /** The number r of rows of U (N·m). */
        int rank();

        /** τ, the multiple of the identity (the prior precision). */
        double shift();

        /** s, the scale of UᵀU (1/N). */
        double scale();

        /** Writes U, r × D row-major, into {@code out} (absolute puts from 0). */
        void rows(DoubleBuffer out);

        /**
         * The r × r Gram matrix U Uᵀ, row-major. The default forms U ({@link #rows}) and multiplies, O(r²D); an
         * implementation may reuse work across steps (a model linear in θ has the same J at every θ).
         */
        default double[] gram() {
            int r = rank();
            double[] u = materialised();
            int d = u.length / Math.max(1, r);
            double[] g = new double[r * r];
            for (int a = 0; a < r; a++) {
                for (int b = a; b < r; b++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += u[a * d + j] * u[b * d + j];
                    }
                    g[a * r + b] = s;
                    g[b * r + a] = s;
                }
            }
            return g;
        }

        /** {@code out} (length r) = U x for x of length D. The default forms U. */
        default void multiply(double[] x, double[] out) {
            int r = rank();
            double[] u = materialised();
            int d = u.length / Math.max(1, r);
            for (int a = 0; a < r; a++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += u[a * d + j] * x[j];
                }
                out[a] = s;
            }
        }

        /** {@code out} (length D) = Uᵀ t for t of length r. The default forms U. */
        default void multiplyTransposed(double[] t, double[] out) {
            int r = rank();
            double[] u = materialised();
            int d = u.length / Math.max(1, r);
            java.util.Arrays.fill(out, 0, d, 0.0);
            for (int a = 0; a < r; a++) {
                for (int j = 0; j < d; j++) {
                    out[j] += t[a] * u[a * d + j];
                }
            }
        }

        /** U as a row-major array (the defaults' storage; an implementation caches it). */
        double[] materialised();
    }
}
