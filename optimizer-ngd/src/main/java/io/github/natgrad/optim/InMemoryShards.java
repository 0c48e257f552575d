package io.github.natgrad.optim;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ShardedObjective} over shards held in this process, summed in a loop: the reference a
 * distributed implementation is tested against, and a way to split a batch whose per-example buffers
 * (N × K outputs) are too large to keep at once. Matrix-free by default; {@link #withDenseCurvature()} sums
 * the dense matrix instead.
 */
public final class InMemoryShards implements ShardedObjective {
    private final Model model;
    private final List<Shard> shards;
    private final int n;
    private final long nnz;
    private final boolean dense;
    private double[] theta;

    private InMemoryShards(Model model, List<Shard> shards, boolean dense) {
        this.model = model;
        this.shards = shards;
        this.dense = dense;
        long rows = 0;
        long stored = 0;
        for (Shard s : shards) {
            rows += s.rows();
            stored += s.nonZeros();
        }
        this.n = Math.toIntExact(rows);
        this.nnz = stored;
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
        return new InMemoryShards(model, shards, true);
    }

    @Override
    public boolean sumsCurvatureMatrix() {
        return dense;
    }

    @Override
    public double[] curvatureMatrix(Curvature kind) {
        if (!dense) {
            return ShardedObjective.super.curvatureMatrix(kind);
        }
        int d = model.parameterCount();
        double[] packed = new double[Shard.packedLength(d)];
        for (Shard s : shards) {
            s.addCurvatureMatrix(theta, kind, packed, 0);
        }
        return Shard.unpack(packed, 0, d);
    }

    @Override
    public Model model() {
        return model;
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public long nonZeros() {
        return nnz;
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
    public CurvatureOperator curvature(Curvature kind, double priorPrecision) {
        double[] at = theta.clone();
        boolean psd = shards.get(0).positiveSemidefinite(at, kind);
        return new SummedCurvature(kind.name(), model.parameterCount(), n, priorPrecision, psd,
                new SummedCurvature.Sums() {
                    @Override
                    public void product(double[] v, double[] out) {
                        java.util.Arrays.fill(out, 0, model.parameterCount(), 0.0);
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
                });
    }
}
