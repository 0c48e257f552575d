package io.github.natgrad.optim;

import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.Model;

/**
 * The skeleton of a {@link ShardedObjective} whose answers are sums of {@link Shard}s' answers, whatever carries
 * the sums (a loop in this process: {@link InMemoryShards}; a Spark job per sum: optimizer-spark's objective): the
 * model, N, nnz and the structure, and how the shards' sums become the optimizer's answers — the dense matrix
 * unpacked from Σ_s n_s C_s ({@link Shard#addCurvatureMatrix}'s packed upper triangle), the matrix-free operator a
 * {@link SummedCurvature}, C v = (1/N) Σ_s n_s C_s v + τ v. A subclass says how each sum over the shards is taken.
 */
public abstract class AbstractShardedObjective implements ShardedObjective {
    private final Model model;
    private final int rows;
    private final long nonZeros;
    private final boolean dense;

    /**
     * @param model    the model the shards evaluate
     * @param rows     N, the examples over all shards
     * @param nonZeros the stored input values over all shards
     * @param dense    the dense structure (the kind's D × D matrix summed; see {@link #sumsCurvatureMatrix()})
     */
    protected AbstractShardedObjective(Model model, int rows, long nonZeros, boolean dense) {
        this.model = Checks.notNull(model, "model");
        this.rows = rows;
        this.nonZeros = nonZeros;
        this.dense = dense;
    }

    @Override
    public final Model model() {
        return model;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final long nonZeros() {
        return nonZeros;
    }

    @Override
    public final boolean sumsCurvatureMatrix() {
        return dense;
    }

    @Override
    public final double[] curvatureMatrix(Curvature kind) {
        if (!dense) {
            return ShardedObjective.super.curvatureMatrix(kind);
        }
        return Shard.unpack(curvatureMatrixSum(kind), 0, model.parameterCount());
    }

    @Override
    public final CurvatureOperator curvature(Curvature kind, double priorPrecision) {
        return new SummedCurvature(kind.name(), model.parameterCount(), rows, priorPrecision,
                positiveSemidefinite(kind), curvatureSums(kind));
    }

    /**
     * Σ_s n_s C_s over the shards at the θ of the last {@link #lossAndGradient}, packed as
     * {@link Shard#addCurvatureMatrix} packs it from index 0 (D(D+1)/2 values). Asked for with the dense structure only.
     */
    protected abstract double[] curvatureMatrixSum(Curvature kind);

    /** The sums over the shards of the kind's products and diagonal at the θ of the last {@link #lossAndGradient}. */
    protected abstract SummedCurvature.Sums curvatureSums(Curvature kind);

    /** Whether the kind's operator at the θ of the last {@link #lossAndGradient} is positive semi-definite. */
    protected abstract boolean positiveSemidefinite(Curvature kind);
}
