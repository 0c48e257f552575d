package io.github.natgrad.optim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The curvatures a {@link DampingSweep} remembers, keyed by the per-example weights they were built from:
 * a factored curvature C = Σ_i w_i x_i x_iᵀ / N is a function of its weight vector w alone, so a run whose
 * weights equal a remembered vector bit for bit has, bit for bit, that curvature, and (for each damping λ)
 * the same Cholesky factor of C + λI. Which runs share: every run at θ₀ (iteration 0); runs whose step
 * sizes are too small to move the weights (θ_t ≠ θ₀ but every w_i(θ_t) rounds to w_i(θ₀)); runs whose
 * predictions saturate (every weight at the clipped likelihood's bound). A lookup costs a hash of N
 * weights and, on a match, one comparison of N doubles, against N·D(D+1)/2 multiply-adds for the curvature
 * and D³/3 for a factorisation.
 *
 * <p>Bounded: at most {@link #CAPACITY} weight vectors (the least recently used is dropped) and at most
 * {@link #FACTOR_BYTES} bytes of factors per sweep. Not thread-safe: one per sweep.
 */
final class CurvatureMemo {
    /** The most weight vectors remembered. */
    static final int CAPACITY = 16;
    /** The most bytes of Cholesky factors remembered (beyond it, factors are computed and not kept). */
    static final long FACTOR_BYTES = 32L << 20;
    /** The factor remembered for a damping at which C + λI is not positive definite. */
    static final double[] NOT_POSITIVE_DEFINITE = new double[0];

    private final int n;
    private final int packedSize;
    private final int factorSize;
    private final Entry[] entries = new Entry[CAPACITY];
    private int size;
    private long clock;
    private long factorDoubles;

    /** One remembered curvature. */
    final class Entry {
        final int hash;
        final double[] weights;
        /** The packed upper triangle of Σ_i w_i x_i x_iᵀ (before the 1/N scale), as the Gram product gives it. */
        final double[] packed;
        private final Map<Long, double[]> factors = new HashMap<>();
        private long used;

        Entry(int hash, double[] weights) {
            this.hash = hash;
            this.weights = weights;
            this.packed = new double[packedSize];
        }

        /** The kept factor of C + λI, {@link #NOT_POSITIVE_DEFINITE}, or null if none is kept. */
        double[] factor(double lambda) {
            return factors.get(Double.doubleToLongBits(lambda));
        }

        /** Remembers that C + λI is not positive definite. */
        void keepNotPositiveDefinite(double lambda) {
            factors.put(Double.doubleToLongBits(lambda), NOT_POSITIVE_DEFINITE);
        }

        /**
         * An array of the memo's factor size, kept as the factor of C + λI, for the caller to fill at once; or
         * null if one is kept already or the budget is spent.
         */
        double[] keepFactor(double lambda) {
            long key = Double.doubleToLongBits(lambda);
            if (factorSize == 0 || factors.containsKey(key)
                    || (factorDoubles + factorSize) * Double.BYTES > FACTOR_BYTES) {
                return null;
            }
            double[] kept = new double[factorSize];
            factorDoubles += factorSize;
            factors.put(key, kept);
            return kept;
        }
    }

    /**
     * A memo for weight vectors of length n, packed curvatures of {@code packedSize} doubles and factors
     * of {@code factorSize} doubles (0 when factors are not kept).
     */
    CurvatureMemo(int n, int packedSize, int factorSize) {
        this.n = n;
        this.packedSize = packedSize;
        this.factorSize = factorSize;
    }

    /** A hash of {@code w[from …+len)} by bits (−0.0 and 0.0 differ, as they may in the curvature's sums). */
    static int hash(double[] w, int from, int len) {
        int h = 1;
        for (int i = from; i < from + len; i++) {
            long bits = Double.doubleToLongBits(w[i]);
            h = 31 * h + (int) (bits ^ (bits >>> 32));
        }
        return h;
    }

    /** The entry whose weights equal {@code w[from …+N)} bit for bit, or null. */
    Entry find(int hash, double[] w, int from) {
        for (int i = 0; i < size; i++) {
            Entry e = entries[i];
            if (e.hash == hash && Arrays.equals(e.weights, 0, n, w, from, from + n)) {
                e.used = ++clock;
                return e;
            }
        }
        return null;
    }

    /**
     * A new entry for the weights {@code w[from …+N)} (copied); the caller fills its {@link Entry#packed}.
     * Replaces the least recently used entry when full.
     */
    Entry add(int hash, double[] w, int from) {
        Entry e = new Entry(hash, Arrays.copyOfRange(w, from, from + n));
        e.used = ++clock;
        if (size < CAPACITY) {
            entries[size++] = e;
            return e;
        }
        int oldest = 0;
        for (int i = 1; i < size; i++) {
            if (entries[i].used < entries[oldest].used) {
                oldest = i;
            }
        }
        for (double[] f : entries[oldest].factors.values()) {
            factorDoubles -= f.length;
        }
        entries[oldest] = e;
        return e;
    }
}
