package io.github.natgrad.optim;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ShardedObjective} over shards held in this process, summed in a loop: the reference a
 * distributed implementation is tested against, and a way to split a batch whose per-example buffers
 * (N × K outputs) are too large to keep at once. Matrix-free by default; {@link #withDenseCurvature()} sums
 * the dense matrix instead.
 */
public final class InMemoryShards extends AbstractShardedObjective {
    private final List<Shard> shards;
    private double[] theta;

    private InMemoryShards(Model model, List<Shard> shards, boolean dense) {
        super(model, Math.toIntExact(shards.stream().mapToLong(Shard::rows).sum()),
                shards.stream().mapToLong(Shard::nonZeros).sum(), dense);
        this.shards = shards;
    }

    /** {@code batch} split into {@code count} shards of consecutive rows (as equal as can be). */
    public static InMemoryShards split(Model model, Batch batch, int count) {
        Checks.notNull(batch, "batch");
        if (count < 1 || count > batch.rows()) {
            throw new IllegalArgumentException("shard count must be between 1 and the batch's " + batch.rows()
                    + " rows, got " + count);
        }
        List<Shard> shards = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int from = (int) ((long) batch.rows() * s / count);
            int to = (int) ((long) batch.rows() * (s + 1) / count);
            shards.add(new Shard(model, count == 1 ? batch : batch.slice(from, to)));
        }
        return new InMemoryShards(model, shards, false);
    }

    /**
     * These shards with the dense structure: the step sums the kind's D × D matrix over the shards
     * ({@link #curvatureMatrix}) and factorises it with the configured solver.
     */
    public InMemoryShards withDenseCurvature() {
        return new InMemoryShards(model(), shards, true);
    }

    @Override
    protected double[] curvatureMatrixSum(Curvature kind) {
        double[] packed = new double[Shard.packedLength(model().parameterCount())];
        for (Shard s : shards) {
            s.addCurvatureMatrix(theta, kind, packed, 0);
        }
        return packed;
    }

    @Override
    public double lossAndGradient(double[] point, double[] gradientSum) {
        theta = point.clone();
        java.util.Arrays.fill(gradientSum, 0.0);
        double[] g = new double[gradientSum.length];
        double loss = 0;
        for (Shard s : shards) {
            loss += s.lossAndGradient(theta, g);
            for (int j = 0; j < g.length; j++) {
                gradientSum[j] += g[j];
            }
        }
        return loss;
    }

    @Override
    public double loss(double[] point) {
        double loss = 0;
        for (Shard s : shards) {
            loss += s.loss(point);
        }
        return loss;
    }

    @Override
    protected boolean positiveSemidefinite(Curvature kind) {
        return shards.get(0).positiveSemidefinite(theta, kind);
    }

    @Override
    protected SummedCurvature.Sums curvatureSums(Curvature kind) {
        double[] at = theta.clone();
        int d = model().parameterCount();
        return new SummedCurvature.Sums() {
            @Override
            public void product(double[] v, double[] out) {
                java.util.Arrays.fill(out, 0, d, 0.0);
                for (Shard s : shards) {
                    s.addCurvatureProduct(at, kind, v, out);
                }
            }

            @Override
            public boolean diagonal(double[] out) {
                for (Shard s : shards) {
                    if (!s.addCurvatureDiagonal(at, kind, out)) {
                        return false;
                    }
                }
                return true;
            }
        };
    }
}
