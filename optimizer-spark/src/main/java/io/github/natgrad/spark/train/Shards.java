package io.github.natgrad.spark.train;

import io.github.natgrad.Model;
import io.github.natgrad.training.GlmTrainer;
import io.github.natgrad.optim.Shard;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;

/**
 * The library {@link Shard}s of a run on this executor JVM, one per cached {@link Block}, built on first use from
 * the block (the model rebuilt from its {@link Spec}) and kept for the run: a task that lands on another executor
 * (a retry, a lost executor) builds its shard again from the cached block or, if that is gone too, from the file.
 */
final class Shards {
    private static final Map<String, Shard> SHARDS = new ConcurrentHashMap<>();

    private Shards() {
    }

    /**
     * What an executor needs to rebuild the model of a run; small and serializable.
     *
     * @param run         the run's id (keys the executor's shards)
     * @param model       linear, logistic, probit or softmax
     * @param bias        whether the model has a bias
     * @param columns     the input columns
     * @param classes     the training classes of a softmax (else null)
     * @param failPass    the pass whose first attempt of partition 0 fails (a test of Spark's retries), or -1
     */
    record Spec(String run, String model, boolean bias, int columns, double[] classes, long failPass)
            implements Serializable {
        Model build() {
            return GlmTrainer.model(model, bias, columns, classes == null ? 0 : classes.length, "the training data");
        }
    }

    /** The shard of {@code block} for the run of {@code spec}, or null for an empty split. */
    static Shard of(Spec spec, String data, Block block) {
        if (block.rows == 0) {
            return null;
        }
        return SHARDS.computeIfAbsent(spec.run() + "/" + data + "/" + block.partition,
                k -> new Shard(spec.build(), block.batch(spec.columns(), spec.classes())));
    }

    private static final Map<String, int[]> SUPPORTS = new ConcurrentHashMap<>();

    /**
     * The parameters {@code block}'s rows touch, sorted: for each of the model's D / (columns + bias) rows of θ (one
     * for a GLM, one per class for a softmax) the block's columns that hold a stored entry, and the row's bias. A
     * partition's gradient, curvature products and diagonal are +0.0 at every other parameter; the pass sends only
     * these (see {@link VectorBytes#encodeSparse}). Every parameter for a dense block; none for an empty one. Kept per
     * run on the executor; the driver asks for it once.
     */
    static int[] support(Spec spec, String data, Block block, int d) {
        return SUPPORTS.computeIfAbsent(spec.run() + "/" + data + "/" + block.partition, k -> {
            if (block.rows == 0) {
                return new int[0];
            }
            int rowLength = spec.columns() + (spec.bias() ? 1 : 0);
            if (block.columnIndex == null || d % rowLength != 0) {
                return java.util.stream.IntStream.range(0, d).toArray();
            }
            boolean[] touched = new boolean[spec.columns()];
            int count = 0;
            for (int c : block.columnIndex) {
                if (!touched[c]) {
                    touched[c] = true;
                    count++;
                }
            }
            int perRow = count + (spec.bias() ? 1 : 0);
            int[] support = new int[(d / rowLength) * perRow];
            int at = 0;
            for (int r = 0; r < d / rowLength; r++) {
                for (int c = 0; c < touched.length; c++) {
                    if (touched[c]) {
                        support[at++] = r * rowLength + c;
                    }
                }
                if (spec.bias()) {
                    support[at++] = r * rowLength + spec.columns();
                }
            }
            return support;
        });
    }

    /** The executor's idle pass buffers (all +0.0), by length: a pass's answer is built in one, not in a new D-vector. */
    private static final Map<Integer, java.util.concurrent.ConcurrentLinkedQueue<double[]>> BUFFERS =
            new ConcurrentHashMap<>();

    /**
     * A buffer of {@code length} doubles, all +0.0, for one task's answer; {@link #giveBack} it all +0.0 again. The
     * passes of a run have a few lengths (the product's D, a point's 2D + 2, ...): kept, they spare each task the
     * allocation (and the garbage collector the reclaiming) of D-vectors of 8 MB at D = 10⁶.
     */
    static double[] borrow(int length) {
        var idle = BUFFERS.get(length);
        double[] buffer = idle == null ? null : idle.poll();
        return buffer != null ? buffer : new double[length];
    }

    /** Returns a buffer of {@link #borrow}, all +0.0, for the next task; at most 4 idle per length are kept. */
    static void giveBack(double[] buffer) {
        var idle = BUFFERS.computeIfAbsent(buffer.length, k -> new java.util.concurrent.ConcurrentLinkedQueue<>());
        if (idle.size() < 4) {
            idle.offer(buffer);
        }
    }

    /** Fails the first attempt of partition 0 in pass {@code spec.failPass()} (fault-injection for tests). */
    static void maybeFail(Spec spec, long pass) {
        TaskContext context = TaskContext.get();
        if (pass == spec.failPass() && context != null && context.attemptNumber() == 0
                && context.partitionId() == 0) {
            throw new IllegalStateException("natgrad: injected failure of pass " + pass + " (partition 0, attempt 0)");
        }
    }

    /** Forgets the shards of a run on this JVM. */
    static void forget(String run) {
        SHARDS.keySet().removeIf(k -> k.startsWith(run + "/"));
        SUPPORTS.keySet().removeIf(k -> k.startsWith(run + "/"));
        BUFFERS.clear();
    }
}
