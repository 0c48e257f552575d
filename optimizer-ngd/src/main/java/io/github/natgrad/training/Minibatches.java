package io.github.natgrad.training;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The minibatches of one epoch: the data shuffled by a permutation that depends only on the seed and the
 * epoch (so a resumed run sees the same batches as an uninterrupted one), cut into batches of
 * {@code size} (the last one smaller when N is not a multiple).
 */
public final class Minibatches {
    private Minibatches() {
    }

    /**
     * The minibatches of epoch {@code epoch} (from 0) of {@code data}, each copied out of the data when the
     * iteration reaches it (one batch in memory at a time).
     */
    public static Iterable<Batch> epoch(Batch data, int size, long seed, int epoch) {
        Checks.notNull(data, "data");
        Checks.atLeastOne(size, "batch size");
        int n = data.rows();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < n; from += size) {
            batches.add(java.util.Arrays.copyOfRange(order, from, Math.min(n, from + size)));
        }
        return () -> batches.stream().map(data::select).iterator();
    }
}
