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
    }
}
