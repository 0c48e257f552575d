package io.github.natgrad.spark.train;

import io.github.natgrad.Curvature;
import io.github.natgrad.Model;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.optim.Shard;
import io.github.natgrad.optim.AbstractShardedObjective;
import io.github.natgrad.optim.SummedCurvature;
import io.github.natgrad.training.Evaluation;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * natgrad's objective over the cached partitions of a Spark RDD: every answer is one pass (one Spark job: a map over
 * the cached blocks whose per-partition vectors the driver sums) in which each partition's library {@link Shard}
 * sums what the model and the curvature kind compute on its examples.
 *
 * <p><b>Everything at a point in one pass.</b> A pass at a point θ returns Σ ℓ_i, Σ J_iᵀ r_i and — once the step has
 * asked for them — the Jacobi diagonal Σ n_s diag(C_s) (matrix-free structure) or the dense matrix Σ n_s C_s (dense
 * structure, D(D+1)/2 doubles). The driver keeps the last two points' answers, so the trial point of a line search
 * (or of a trust region's ρ), once accepted, is the next step's θ at no further pass, and so are the training loop's
 * ‖∇L‖ and final objective: with the dense structure a Newton iteration whose first trial is accepted costs
 * <em>one</em> pass. Matrix-free, each curvature-vector product n_s C_s v is one more pass (v down, D up); nothing of
 * size D × D exists and the driver holds O(D).
 *
 * <p><b>Per-pass latency.</b> θ and v travel in the task's closure (which Spark broadcasts once per stage with the task
 * binary) when 8·D ≤ 1 MB, else as a broadcast; with at most {@value #COLLECT_LIMIT} partitions the driver collects
 * the partitions' vectors and sums them in partition order (one job, no tree stage, and the sums do not depend on
 * which task finished first), above that a {@code treeReduce} of the given depth bounds the driver's fan-in. Collected,
 * a partition sends only the values at its support, the parameters its rows touch ({@link Shards#support}, asked for
 * once; {@link VectorBytes#encodeSparse}), which the driver adds at their positions to the same bits as the full vectors.
 */
final class SparkObjective extends AbstractShardedObjective {
    /** D up to which θ and v travel in the task closure rather than in a broadcast (8·D ≤ 1 MB). */
    static final int CLOSURE_LIMIT = 1 << 17;
    /** Partitions up to which the driver sums the partitions' vectors itself, in partition order. */
    static final int COLLECT_LIMIT = 16;

    private final JavaSparkContext jsc;
    private final JavaRDD<Block> blocks;
    private final int partitions;
    private final Shards.Spec spec;
    private final String kindName;
    private final int depth;
    private boolean diagonalWanted;
    private Answer last;
    private Answer before;
    private Answer current;
    private long passes;
    private long passNanos;
    /** Each partition's support (the parameters its rows touch), asked for with the first pass. */
    private int[][] supports;

    /** A point's answer: the sums of one pass, and how the point travels to the tasks (kept while cached). */
    private static final class Answer {
        final double[] point;
        final Payload payload;
        final Broadcast<VectorBytes.Doubles> broadcast;
        double[] sums;
        int d;
        boolean diagonal;
        boolean matrix;

        Answer(double[] point, Payload payload, Broadcast<VectorBytes.Doubles> broadcast) {
            this.point = point;
            this.payload = payload;
            this.broadcast = broadcast;
        }

        double loss() {
            return sums[d];
        }

        /** The Jacobi diagonal's sums, null when the pass did not compute it, empty when the kind has none. */
        double[] diagonal() {
            if (!diagonal) {
                return null;
            }
            return sums[2 * d + 1] != 0 ? new double[0] : Arrays.copyOfRange(sums, d + 1, 2 * d + 1);
        }

        int matrixOffset() {
            return d + 1 + (diagonal ? d + 1 : 0);
        }
    }

    /** A vector as the tasks read it: in the closure, or from a broadcast. */
    interface Payload extends Serializable {
        double[] get();
    }

    /** What one partition computes in a pass, added into the pass's vector {@code acc} (all +0.0 on entry). */
    interface Work extends Serializable {
        void apply(Shard shard, double[] point, double[] vector, double[] acc);
    }

    /**
     * @param kindName the curvature kind the step will ask for (its diagonal or matrix is computed with each point's
     *                 sums)
     * @param dense    the dense structure: the kind's D × D matrix summed with the gradient, factorised on the driver
     */
    SparkObjective(JavaSparkContext jsc, SparkData train, Shards.Spec spec, Model model, String kindName,
            boolean dense, int depth) {
        super(model, train.rows, train.nonZeros, dense);
        this.jsc = jsc;
        this.blocks = train.blocks;
        this.partitions = train.blocks.getNumPartitions();
        this.spec = spec;
        this.kindName = kindName;
        this.depth = depth;
    }

    /**
     * The Spark settings a pass relies on, where the user has not set them (call it after the master is set; natgrad
     * applies it only to a context it creates):
     * <ul>
     * <li>{@code spark.task.maxDirectResultSize} 128m: task results up to 128 MB (Spark caps them at
     * {@code spark.rpc.message.maxSize}) go straight back to the driver with the task's status, instead of through
     * the executor's block manager and a fetch by the driver (Spark's default above 1 MB, one more round trip and two
     * more copies of every partition's D-vector when D > 131072);</li>
     * <li>with a {@code local} master only, {@code spark.broadcast.compress} and {@code spark.broadcast.checksum}
     * false: the tasks run in the driver's JVM and read a broadcast's value itself, never its pieces, so compressing
     * (lz4) and checksumming (Adler-32) the 8·D bytes of every broadcast θ or v were work nobody read.</li>
     * </ul>
     */
    static SparkConf configure(SparkConf conf) {
        conf.setIfMissing("spark.task.maxDirectResultSize", "128m");
        if (conf.get("spark.master", "").startsWith("local")) {
            conf.setIfMissing("spark.broadcast.compress", "false").setIfMissing("spark.broadcast.checksum", "false");
        }
        return conf;
    }

    /**
     * Computes the kind's Jacobi diagonal with every point's sums from the first pass on — for a step whose CG
     * preconditioner will ask for it — instead of from its first request on, which costs a pass of its own; the same
     * sums in the same order, so the same bits. Matrix-free only (the dense structure sums the matrix instead).
     */
    SparkObjective withDiagonalFromTheStart() {
        diagonalWanted = !sumsCurvatureMatrix();
        return this;
    }

    /** Passes over the data so far (each one Spark job). */
    long passes() {
        return passes;
    }

    /** Wall-clock seconds spent in passes so far (the driver waiting for a job, job setup included). */
    double passSeconds() {
        return passNanos / 1e9;
    }

    @Override
    public double lossAndGradient(double[] point, double[] gradientSum) {
        Answer a = at(point);
        Answer old = current;
        current = a;
        release(old);
        System.arraycopy(a.sums, 0, gradientSum, 0, a.d);
        return a.loss();
    }

    @Override
    public double loss(double[] point) {
        return at(point).loss();
    }

    @Override
    protected double[] curvatureMatrixSum(Curvature kind) {
        Answer a = current;
        int d = model().parameterCount();
        if (a.matrix && kind.name().equals(kindName)) {
            return Arrays.copyOfRange(a.sums, a.matrixOffset(), a.matrixOffset() + Shard.packedLength(d));
        }
        String name = kind.name();
        return pass(blocks, "train", Shard.packedLength(d), a.payload, null, (shard, at, v, acc) ->
                shard.addCurvatureMatrix(at, Curvatures.byName(name, 1, 0), acc, 0));
    }

    @Override
    protected boolean positiveSemidefinite(Curvature kind) {
        return true;
    }

    @Override
    protected SummedCurvature.Sums curvatureSums(Curvature kind) {
        Answer a = current;
        String name = kind.name();
        int d = model().parameterCount();
        return new SummedCurvature.Sums() {
            @Override
            public void product(double[] v, double[] out) {
                // v is read by this pass's tasks only (done when pass returns): broadcast without a copy
                Broadcast<VectorBytes.Doubles> vb = broadcast(v);
                Payload vector = vb == null ? new VectorBytes.InClosure(v.clone()) : new VectorBytes.Broadcasted(vb);
                try {
                    double[] sum = pass(blocks, "train", d, a.payload, vector, (shard, at, w, acc) ->
                            shard.addCurvatureProduct(at, Curvatures.byName(name, 1, 0), w, acc));
                    System.arraycopy(sum, 0, out, 0, d);
                } finally {
                    if (vb != null) {
                        vb.destroy();
                    }
                }
            }

            @Override
            public boolean diagonal(double[] out) {
                double[] known = name.equals(kindName) ? a.diagonal() : null;
                if (known == null) {
                    diagonalWanted = name.equals(kindName); // from now on, with every point's sums
                    double[] sum = pass(blocks, "train", d + 1, a.payload, null, (shard, at, w, acc) -> {
                        if (!shard.addCurvatureDiagonal(at, Curvatures.byName(name, 1, 0), acc)) {
                            acc[d] = 1; // no cheap diagonal
                        }
                    });
                    known = sum[d] != 0 ? new double[0] : Arrays.copyOf(sum, d);
                }
                if (known.length == 0) {
                    return false;
                }
                System.arraycopy(known, 0, out, 0, d);
                return true;
            }
        };
    }

    /** {@code v} as a broadcast when 8·D > 1 MB ({@link #CLOSURE_LIMIT}), else null (it travels in the closure). */
    private Broadcast<VectorBytes.Doubles> broadcast(double[] v) {
        return v.length > CLOSURE_LIMIT ? jsc.broadcast(new VectorBytes.Doubles(v)) : null;
    }

    /** The answer at {@code point}: cached (this point or the one before), else one pass computing everything. */
    private Answer at(double[] point) {
        for (Answer a : new Answer[] {last, before}) {
            if (a != null && Arrays.equals(a.point, point)) {
                return a;
            }
        }
        int d = model().parameterCount();
        double[] copy = point.clone();
        Broadcast<VectorBytes.Doubles> b = broadcast(copy);
        Answer a = new Answer(copy, b == null ? new VectorBytes.InClosure(copy) : new VectorBytes.Broadcasted(b), b);
        a.d = d;
        boolean dense = sumsCurvatureMatrix();
        a.diagonal = diagonalWanted && !dense;
        a.matrix = dense;
        boolean diagonal = a.diagonal;
        int offset = a.matrixOffset();
        int length = offset + (dense ? Shard.packedLength(d) : 0);
        String name = kindName;
        a.sums = pass(blocks, "train", length, a.payload, null, (shard, at, v, acc) -> {
            acc[d] = shard.lossAndGradient(at, acc);
            if (diagonal && !shard.addCurvatureDiagonal(at, Curvatures.byName(name, 1, 0), acc, d + 1)) {
                acc[2 * d + 1] = 1; // no cheap diagonal
            }
            if (offset < length) {
                shard.addCurvatureMatrix(at, Curvatures.byName(name, 1, 0), acc, offset);
            }
        });
        Answer dropped = before;
        before = last;
        last = a;
        release(dropped);
        return a;
    }

    /** Destroys the broadcast of an answer neither cached nor current. */
    private void release(Answer a) {
        if (a != null && a.broadcast != null && a != current && a != last && a != before) {
            a.broadcast.destroy();
        }
    }

    /**
     * One pass: every partition's {@code work} on its shard (the point and the vector read from their payloads), summed
     * over the partitions; an empty partition contributes zeros. Up to {@value #COLLECT_LIMIT} partitions it is one
     * {@code runJob} on the cached blocks with named (not lambda) functions, so Spark's closure cleaner, which reads
     * the class files of a lambda's enclosing classes on every job, has nothing to inspect; each partition's vector
     * comes back as raw little-endian bytes ({@link VectorBytes}), the driver sums them in partition order.
     */
    private double[] pass(JavaRDD<Block> rdd, String data, int length, Payload point, Payload vector, Work work) {
        long pass = passes++;
        long t0 = System.nanoTime();
        try {
            if (partitions > COLLECT_LIMIT) {
                PartitionWork task = new PartitionWork(spec, data, pass, length, point, vector, work);
                return rdd.map(block -> VectorBytes.decode(task.run(block))).treeReduce(SparkObjective::add, depth);
            }
            int d = model().parameterCount();
            if (!VectorBytes.chunked(length, d)) {
                PartitionWork task = new PartitionWork(spec, data, pass, length, point, vector, work);
                return VectorBytes.sumInOrder(VectorBytes.collect(rdd, task), length);
            }
            if (supports == null) {
                Shards.Spec s = spec;
                supports = rdd.map(block -> Shards.support(s, data, block, d)).collect().toArray(new int[0][]);
            }
            PartitionWork task = new PartitionWork(spec, data, pass, length, point, vector, work, d);
            return VectorBytes.sumSparse(VectorBytes.collect(rdd, task), length, d, supports);
        } finally {
            passNanos += System.nanoTime() - t0;
        }
    }

    /** What a task of a pass runs on its partition's block: the shard's work, encoded as raw bytes. */
    static final class PartitionWork extends scala.runtime.AbstractFunction2<org.apache.spark.TaskContext,
            scala.collection.Iterator<Block>, byte[]> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Shards.Spec spec;
        private final String data;
        private final long pass;
        private final int length;
        private final Payload point;
        private final Payload vector;
        private final Work work;
        /** D for an answer in the sparse form ({@link VectorBytes#encodeSparse}), 0 for the plain raw bytes. */
        private final int sparse;

        PartitionWork(Shards.Spec spec, String data, long pass, int length, Payload point, Payload vector, Work work) {
            this(spec, data, pass, length, point, vector, work, 0);
        }

        PartitionWork(Shards.Spec spec, String data, long pass, int length, Payload point, Payload vector, Work work,
                int sparse) {
            this.sparse = sparse;
            this.spec = spec;
            this.data = data;
            this.pass = pass;
            this.length = length;
            this.point = point;
            this.vector = vector;
            this.work = work;
        }

        @Override
        public byte[] apply(org.apache.spark.TaskContext context, scala.collection.Iterator<Block> blocks) {
            return run(blocks.next());
        }

        byte[] run(Block block) {
            Shards.maybeFail(spec, pass);
            Shard shard = Shards.of(spec, data, block);
            double[] acc = Shards.borrow(length);
            boolean clean = false;
            try {
                if (shard != null) {
                    work.apply(shard, point == null ? null : point.get(), vector == null ? null : vector.get(), acc);
                }
                byte[] answer;
                if (sparse > 0) {
                    answer = VectorBytes.encodeSparse(acc, sparse, Shards.support(spec, data, block, sparse));
                    clean = VectorBytes.isSparse(answer); // the sparse form leaves acc +0.0
                } else {
                    answer = VectorBytes.encode(acc);
                }
                return answer;
            } finally {
                if (!clean) {
                    Arrays.fill(acc, 0.0);
                }
                Shards.giveBack(acc);
            }
        }
    }

    /** The sum of the partitions' vectors: collected and added in partition order, or a treeReduce for many. */
    static double[] sum(JavaRDD<double[]> parts, int partitions, int depth, int length) {
        if (partitions > COLLECT_LIMIT) {
            return parts.treeReduce(SparkObjective::add, depth);
        }
        List<double[]> all = parts.collect();
        double[] total = new double[length];
        for (double[] p : all) {
            add(total, p);
        }
        return total;
    }

    /**
     * {test loss, test accuracy} of θ on another cached data set (the mean NLL and the accuracy, weighted by the
     * partitions' rows), by the library's {@link Evaluation} per partition; accuracy NaN for regression.
     */
    static double[] evaluate(JavaSparkContext jsc, SparkData test, Shards.Spec spec, Model model, double[] point,
            int depth) {
        double[] copy = point.clone();
        Broadcast<VectorBytes.Doubles> b = copy.length > CLOSURE_LIMIT ? jsc.broadcast(new VectorBytes.Doubles(copy))
                : null;
        Payload at = b == null ? new VectorBytes.InClosure(copy) : new VectorBytes.Broadcasted(b);
        try {
            JavaRDD<double[]> parts = test.blocks.map(block -> {
                Shard shard = Shards.of(spec, "test", block);
                double[] acc = new double[3];
                if (shard != null) {
                    Evaluation e = Evaluation.of(spec.build(), at.get(), shard.batch());
                    acc[0] += e.loss() * shard.rows();
                    acc[1] += e.accuracy() * shard.rows();
                    acc[2] += shard.rows();
                }
                return acc;
            });
            double[] sum = sum(parts, test.blocks.getNumPartitions(), depth, 3);
            boolean regression = model.likelihood().name().equals("gaussian");
            return new double[] {sum[0] / sum[2], regression ? Double.NaN : sum[1] / sum[2]};
        } finally {
            if (b != null) {
                b.destroy();
            }
        }
    }

    /** Releases the broadcast points. */
    void close() {
        Answer[] held = {last, before, current};
        last = before = current = null;
        for (int i = 0; i < held.length; i++) {
            if (held[i] != null && (i < 1 || held[i] != held[0]) && (i < 2 || held[i] != held[1])) {
                release(held[i]);
            }
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
        return "SparkObjective[N=" + rows() + ", D=" + model().parameterCount() + ", " + nonZeros() + " nnz, "
                + (sumsCurvatureMatrix() ? "dense" : "matrix-free") + "]";
    }
}
