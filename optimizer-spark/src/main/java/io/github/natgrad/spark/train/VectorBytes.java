package io.github.natgrad.spark.train;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * How the D-vectors of a pass travel: as raw little-endian bytes (8 per double, bit for bit), which Java
 * serialization copies in bulk, where a {@code double[]} is written and read one value at a time (at D = 10⁶ those
 * loops cost a pass more than its sparse products); and the one {@code runJob} of a pass, whose functions are named
 * classes so that Spark's closure cleaner has nothing to inspect.
 */
final class VectorBytes {
    private static final ClassTag<byte[]> BYTES = ClassTag$.MODULE$.apply(byte[].class);

    private VectorBytes() {
    }

    /** The doubles of {@code v} as little-endian bytes. */
    static byte[] encode(double[] v) {
        byte[] bytes = new byte[8 * v.length];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(v);
        return bytes;
    }

    /** The doubles of {@link #encode}d bytes. */
    static double[] decode(byte[] bytes) {
        double[] v = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        return v;
    }

    /** Σ of the encoded vectors in list order (the order of the partitions: the same bits whichever task ended first). */
    static double[] sumInOrder(List<byte[]> parts, int length) {
        double[] total = new double[length];
        for (byte[] p : parts) {
            DoubleBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
            for (int j = 0; j < length; j++) {
                total[j] += b.get(j);
            }
        }
        return total;
    }

    /** The header of a pass's answer in the sparse form: the values at the partition's support only. */
    static final long SPARSE = 1;
    /** The header of a pass's answer in full: every one of its doubles. */
    static final long FULL = 0;

    /**
     * Whether a pass's vector of {@code length} has the layout the sparse form reads: one D-vector (a product), or
     * chunks of D + 1 (a D-vector and a scalar each: the gradient and the loss, the diagonal and its flag).
     */
    static boolean chunked(int length, int d) {
        return length == d || length % (d + 1) == 0;
    }

    /**
     * A partition's answer with a header: the values at the partition's support ({@code support}, sorted parameter
     * indices, and every chunk's scalar) when every other entry is +0.0 (the answer a partition sums has no other
     * values: its rows touch only those parameters), else all of them.
     */
    static byte[] encodeSparse(double[] v, int d, int[] support) {
        if (!chunked(v.length, d) || !zeroOutside(v, d, support)) {
            byte[] bytes = new byte[8 + 8 * v.length];
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(FULL);
            b.asDoubleBuffer().put(v);
            return bytes;
        }
        int chunks = v.length == d ? 1 : v.length / (d + 1);
        int m = v.length == d ? support.length : chunks * (support.length + 1);
        byte[] bytes = new byte[8 + 8 * m];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(SPARSE);
        DoubleBuffer out = b.asDoubleBuffer();
        for (int k = 0; k < chunks; k++) {
            int base = k * (d + 1);
            for (int s : support) {
                out.put(v[base + s]);
            }
            if (base + d < v.length) {
                out.put(v[base + d]);
            }
        }
        return bytes;
    }

    /** Whether every entry of {@code v}'s D-segments outside {@code support} is +0.0 (bit for bit). */
    private static boolean zeroOutside(double[] v, int d, int[] support) {
        for (int base = 0; base < v.length; base += d + 1) {
            int next = 0;
            for (int j = 0; j < d; j++) {
                if (next < support.length && support[next] == j) {
                    next++;
                } else if (Double.doubleToRawLongBits(v[base + j]) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Σ of {@link #encodeSparse}d answers in partition order, partition p's values at {@code supports[p]}: the same
     * bits as {@link #sumInOrder} of the full vectors (a partition's +0.0 outside its support adds nothing to a
     * running sum that starts at +0.0, which can never be −0.0).
     */
    static double[] sumSparse(List<byte[]> parts, int length, int d, int[][] supports) {
        double[] total = new double[length];
        for (int p = 0; p < parts.size(); p++) {
            ByteBuffer b = ByteBuffer.wrap(parts.get(p)).order(ByteOrder.LITTLE_ENDIAN);
            long header = b.getLong();
            DoubleBuffer in = b.asDoubleBuffer();
            if (header == FULL) {
                for (int j = 0; j < length; j++) {
                    total[j] += in.get(j);
                }
                continue;
            }
            int[] support = supports[p];
            int at = 0;
            for (int base = 0; base < length; base += d + 1) {
                for (int s : support) {
                    total[base + s] += in.get(at++);
                }
                if (base + d < length) {
                    total[base + d] += in.get(at++);
                }
            }
        }
        return total;
    }

    /** One job over every partition of {@code rdd} (one block each): the task's bytes, by partition. */
    static List<byte[]> collect(JavaRDD<Block> rdd, SparkObjective.PartitionWork task) {
        int n = rdd.getNumPartitions();
        Results results = new Results(n);
        rdd.context().runJob(rdd.rdd(), task, results, BYTES);
        List<byte[]> list = new ArrayList<>(n);
        for (byte[] r : results.bytes) {
            list.add(r);
        }
        return list;
    }

    /** The driver's result handler: each partition's bytes at its index. */
    private static final class Results extends AbstractFunction2<Object, byte[], BoxedUnit> implements Serializable {
        private static final long serialVersionUID = 1L;
        final byte[][] bytes;

        Results(int n) {
            bytes = new byte[n][];
        }

        @Override
        public BoxedUnit apply(Object index, byte[] result) {
            bytes[(Integer) index] = result;
            return BoxedUnit.UNIT;
        }
    }

    /** A vector in the task's closure (small D: Spark ships it with the task binary). */
    static final class InClosure implements SparkObjective.Payload {
        private static final long serialVersionUID = 1L;
        private final double[] v;

        InClosure(double[] v) {
            this.v = v;
        }

        @Override
        public double[] get() {
            return v;
        }
    }

    /** Numbers the driver's broadcast vectors (a broadcast id restarts with every SparkContext of a JVM). */
    private static final java.util.concurrent.atomic.AtomicLong KEYS = new java.util.concurrent.atomic.AtomicLong();

    /** The decoded broadcast vectors of this JVM, by key (the last few: a point, the one before, v). */
    private static final java.util.LinkedHashMap<Long, double[]> DECODED = new java.util.LinkedHashMap<>(8, 0.75f,
            true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, double[]> eldest) {
            return size() > 4;
        }
    };

    /**
     * A vector broadcast as raw bytes (large D), decoded once per JVM (the tasks of a pass, and of later passes at
     * the same point, share the decoded copy, which they only read).
     */
    static final class Broadcasted implements SparkObjective.Payload {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> bytes;
        private final long key = KEYS.incrementAndGet();

        Broadcasted(Broadcast<byte[]> bytes) {
            this.bytes = bytes;
        }

        @Override
        public double[] get() {
            synchronized (DECODED) {
                double[] v = DECODED.get(key);
                if (v == null) {
                    v = decode(bytes.value());
                    DECODED.put(key, v);
                }
                return v;
            }
        }
    }
}
