package io.github.natgrad.spark.train;

import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.Model;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.optim.Shard;
import io.github.natgrad.optim.ShardedObjective;
import io.github.natgrad.optim.SummedCurvature;
import io.github.natgrad.training.Evaluation;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * natgrad's objective over the cached partitions of a Spark RDD: every answer is one pass (a map over the cached
 * blocks and a {@code treeReduce} of the partitions' vectors: no zero vector shipped with each task) in
 * which each partition's library {@link Shard} sums what the model and the curvature kind compute on its examples —
 * Σ ℓ_i and Σ J_iᵀ r_i in one pass, each curvature-vector product n_s C_s v in one more, the Jacobi diagonal in one
 * per step. θ is broadcast once per step (the products reuse it), v once per product. Nothing of size N or D × D
 * reaches the driver: each pass moves D + 1 doubles per partition up the aggregation tree.
 */
final class SparkObjective implements ShardedObjective {
    private final JavaSparkContext jsc;
    private final JavaRDD<Block> blocks;
    private final Shards.Spec spec;
    private final Model model;
    private final int n;
    private final long nnz;
    private final int depth;
    private final String data;
    private Broadcast<double[]> theta;
    private long passes;

    SparkObjective(JavaSparkContext jsc, SparkData train, Shards.Spec spec, Model model, int depth) {
        this.jsc = jsc;
        this.blocks = train.blocks;
        this.spec = spec;
        this.model = model;
        this.n = train.rows;
        this.nnz = train.nonZeros;
        this.depth = depth;
        this.data = "train";
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

    /** Passes over the data so far (each one treeAggregate). */
    long passes() {
        return passes;
    }

    @Override
    public double lossAndGradient(double[] point, double[] gradientSum) {
        if (theta != null) {
            theta.destroy();
        }
        theta = jsc.broadcast(point.clone());
        Broadcast<double[]> at = theta;
        Shards.Spec s = spec;
        String name = data;
        long pass = passes++;
        int d = model.parameterCount();
        double[] sum = blocks.map(block -> {
            Shards.maybeFail(s, pass);
            Shard shard = Shards.of(s, name, block);
            double[] acc = new double[d + 1];
            if (shard != null) {
                acc[d] = shard.lossAndGradient(at.value(), acc);
            }
            return acc;
        }).treeReduce(SparkObjective::add, depth);
        System.arraycopy(sum, 0, gradientSum, 0, d);
        return sum[d];
    }

    @Override
    public double loss(double[] point) {
        Broadcast<double[]> at = jsc.broadcast(point.clone());
        Shards.Spec s = spec;
        String name = data;
        long pass = passes++;
        try {
            double[] sum = blocks.map(block -> {
                Shards.maybeFail(s, pass);
                Shard shard = Shards.of(s, name, block);
                return new double[] {shard == null ? 0.0 : shard.loss(at.value())};
            }).treeReduce(SparkObjective::add, depth);
            return sum[0];
        } finally {
            at.destroy();
        }
    }

    @Override
    public CurvatureOperator curvature(Curvature kind, double priorPrecision) {
        String kindName = kind.name();
        Broadcast<double[]> at = theta;
        Shards.Spec s = spec;
        String name = data;
        int d = model.parameterCount();
        return new SummedCurvature(kindName, d, n, priorPrecision, true, new SummedCurvature.Sums() {
            @Override
            public void product(double[] v, double[] out) {
                Broadcast<double[]> vb = jsc.broadcast(v.clone());
                long pass = passes++;
                try {
                    double[] sum = blocks.map(block -> {
                        Shards.maybeFail(s, pass);
                        Shard shard = Shards.of(s, name, block);
                        double[] acc = new double[d];
                        if (shard != null) {
                            shard.addCurvatureProduct(at.value(), Curvatures.byName(kindName, 1, 0), vb.value(), acc);
                        }
                        return acc;
                    }).treeReduce(SparkObjective::add, depth);
                    System.arraycopy(sum, 0, out, 0, d);
                } finally {
                    vb.destroy();
                }
            }

            @Override
            public boolean diagonal(double[] out) {
                long pass = passes++;
                double[] sum = blocks.map(block -> {
                    Shards.maybeFail(s, pass);
                    Shard shard = Shards.of(s, name, block);
                    double[] acc = new double[d + 1];
                    if (shard != null && !shard.addCurvatureDiagonal(at.value(), Curvatures.byName(kindName, 1, 0),
                            acc)) {
                        acc[d] = 1; // no cheap diagonal
                    }
                    return acc;
                }).treeReduce(SparkObjective::add, depth);
                if (sum[d] != 0) {
                    return false;
                }
                System.arraycopy(sum, 0, out, 0, d);
                return true;
            }
        });
    }

    /**
     * {test loss, test accuracy} of θ on another cached data set (the mean NLL and the accuracy, weighted by the
     * partitions' rows), by the library's {@link Evaluation} per partition; accuracy NaN for regression.
     */
    static double[] evaluate(JavaSparkContext jsc, SparkData test, Shards.Spec spec, Model model, double[] point,
            int depth) {
        Broadcast<double[]> at = jsc.broadcast(point.clone());
        try {
            double[] sum = test.blocks.map(block -> {
                Shard shard = Shards.of(spec, "test", block);
                double[] acc = new double[3];
                if (shard != null) {
                    Evaluation e = Evaluation.of(spec.build(), at.value(),
                            shard.batch());
                    acc[0] += e.loss() * shard.rows();
                    acc[1] += e.accuracy() * shard.rows();
                    acc[2] += shard.rows();
                }
                return acc;
            }).treeReduce(SparkObjective::add, depth);
            boolean regression = model.likelihood().name().equals("gaussian");
            return new double[] {sum[0] / sum[2], regression ? Double.NaN : sum[1] / sum[2]};
        } finally {
            at.destroy();
        }
    }

    /** Releases the broadcast θ. */
    void close() {
        if (theta != null) {
            theta.destroy();
            theta = null;
        }
    }

    private static double[] add(double[] a, double[] b) {
        for (int j = 0; j < a.length; j++) {
            a[j] += b[j];
        }
        return a;
    }

    @Override
    public String toString() {
        return "SparkObjective[N=" + n + ", D=" + model.parameterCount() + ", " + Arrays.toString(new long[] {nnz})
                + " nnz]";
    }
}
