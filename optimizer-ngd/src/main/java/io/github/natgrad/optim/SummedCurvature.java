package io.github.natgrad.optim;

import io.github.natgrad.curvature.CountingOperator;
import java.util.Optional;

/**
 * The curvature operator of a {@link ShardedObjective} from its shards' sums: C v = (1/N) Σ_s n_s C_s v + τ v
 * and diag(C) = (1/N) Σ_s n_s diag(C_s) + τ, where {@link Sums} computes the sums over the shards (in a loop,
 * or as one distributed aggregation per product). The diagonal is computed once, on first use.
 */
public final class SummedCurvature extends CountingOperator {

    /** The sums over the shards, in whatever way the shards are reached. */
    public interface Sums {
        /** Writes Σ_s n_s C_s v into {@code out} (overwritten). */
        void product(double[] v, double[] out);

        /** Writes Σ_s n_s diag(C_s) into {@code out} and returns true, or false when there is no cheap diagonal. */
        boolean diagonal(double[] out);
    }

    private final int d;
    private final int n;
    private final double prior;
    private final boolean positiveSemidefinite;
    private final Sums sums;
    private Optional<double[]> diagonal;

    /**
     * @param kind                 the curvature kind's name
     * @param d                    the dimension D
     * @param n                    the examples N over all shards
     * @param prior                τ, added on the diagonal
     * @param positiveSemidefinite whether the kind's operator is positive semi-definite by construction
     * @param sums                 the sums over the shards
     */
    public SummedCurvature(String kind, int d, int n, double prior, boolean positiveSemidefinite, Sums sums) {
        super(kind, d);
        this.d = d;
        this.n = n;
        this.prior = prior;
        this.positiveSemidefinite = positiveSemidefinite;
        this.sums = sums;
    }

    @Override
    protected void apply(double[] v, double[] out) {
        sums.product(v, out);
        double inv = 1.0 / n;
        for (int j = 0; j < d; j++) {
            out[j] = out[j] * inv + prior * v[j];
        }
    }

    @Override
    public boolean positiveSemidefinite() {
        return positiveSemidefinite;
    }

    @Override
    public Optional<double[]> diagonal() {
        if (diagonal == null) {
            double[] diag = new double[d];
            if (sums.diagonal(diag)) {
                double inv = 1.0 / n;
                for (int j = 0; j < d; j++) {
                    diag[j] = diag[j] * inv + prior;
                }
                diagonal = Optional.of(diag);
            } else {
                diagonal = Optional.empty();
            }
        }
        return diagonal.map(double[]::clone);
    }
}
