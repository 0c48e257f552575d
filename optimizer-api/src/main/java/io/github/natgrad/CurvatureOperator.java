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
    }
}
