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
     * values: its rows touch only those parameters), else all of them. In the sparse form {@code v} is left all
     * +0.0 (the partition's buffer is ready for its next pass without another sweep over D); else it is unchanged.
     */
    static byte[] encodeSparse(double[] v, int d, int[] support) {
        if (!chunked(v.length, d)) {
            return encodeFull(v);
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
                v[base + s] = 0.0;
            }
            if (base + d < v.length) {
                out.put(v[base + d]);
                v[base + d] = 0.0;
            }
        }
        if (allPositiveZero(v)) {
            return bytes;
        }
        // an entry outside the support is not +0.0: put the support's values back and send everything
        out.rewind();
        for (int k = 0; k < chunks; k++) {
            int base = k * (d + 1);
            for (int s : support) {
                v[base + s] = out.get();
            }
            if (base + d < v.length) {
                v[base + d] = out.get();
            }
        }
        return encodeFull(v);
    }

    /** Whether an answer of {@link #encodeSparse} is in the sparse form. */
    static boolean isSparse(byte[] encoded) {
        return ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN).getLong(0) == SPARSE;
    }

    private static byte[] encodeFull(double[] v) {
        byte[] bytes = new byte[8 + 8 * v.length];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(FULL);
        b.asDoubleBuffer().put(v);
        return bytes;
    }

    /** +0.0 in every length of this JVM's vectors, to compare against. */
    private static volatile double[] zeros = new double[0];

    /** Whether every entry of {@code v} is +0.0 bit for bit (a vectorised comparison; −0.0 and NaN are not). */
    static boolean allPositiveZero(double[] v) {
        double[] z = zeros;
        if (z.length < v.length) {
            z = new double[v.length];
            zeros = z;
        }
        return java.util.Arrays.equals(v, 0, v.length, z, 0, v.length);
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
            // the values in blocks copied in bulk from the bytes, then added at their positions
            int[] support = supports[p];
            double[] block = new double[Math.min(1 << 13, in.remaining())];
            int have = 0;
            int next = 0;
            for (int base = 0; base < length; base += d + 1) {
                int chunkEnd = Math.min(base + d + 1, length);
                for (int k = 0; k <= support.length; k++) {
                    int j = k < support.length ? base + support[k] : base + d;
                    if (j >= chunkEnd) {
                        break; // a D-vector without a scalar
                    }
                    if (next == have) {
                        have = Math.min(block.length, in.remaining());
                        in.get(block, 0, have);
                        next = 0;
                    }
                    total[j] += block[next++];
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

    /**
     * A broadcast D-vector: Java serialization writes and reads its doubles as raw little-endian bytes in blocks of
     * 64 KB (bit for bit, no 8·D intermediate copy). Spark keeps a broadcast's deserialized value once per executor
     * JVM, so the tasks of a pass, and of later passes at the same point, share one copy; in the driver's own JVM (a
     * {@code local} master) they read this very object, never a copy.
     */
    static final class Doubles implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final int BLOCK = 1 << 13;
        private transient double[] values;

        Doubles(double[] values) {
            this.values = values;
        }

        double[] values() {
            return values;
        }

        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            out.writeInt(values.length);
            byte[] block = new byte[8 * Math.min(BLOCK, values.length)];
            DoubleBuffer doubles = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
            for (int from = 0; from < values.length; from += BLOCK) {
                int k = Math.min(BLOCK, values.length - from);
                doubles.clear();
                doubles.put(values, from, k);
                out.write(block, 0, 8 * k);
            }
        }

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException {
            int length = in.readInt();
            if (length < 0) {
                throw new java.io.InvalidObjectException("negative vector length " + length);
            }
            values = new double[length];
            byte[] block = new byte[8 * Math.min(BLOCK, length)];
            DoubleBuffer doubles = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
            for (int from = 0; from < length; from += BLOCK) {
                int k = Math.min(BLOCK, length - from);
                in.readFully(block, 0, 8 * k);
                doubles.clear();
                doubles.get(values, from, k);
            }
        }
    }

    /** A vector broadcast (large D): the tasks read Spark's one deserialized copy per JVM. */
    static final class Broadcasted implements SparkObjective.Payload {
        private static final long serialVersionUID = 1L;
        private final Broadcast<Doubles> vector;

        Broadcasted(Broadcast<Doubles> vector) {
            this.vector = vector;
        }

        @Override
        public double[] get() {
            return vector.value().values();
        }
    }
}
