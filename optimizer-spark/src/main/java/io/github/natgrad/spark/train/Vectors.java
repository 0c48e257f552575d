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
final class Vectors {
    private static final ClassTag<byte[]> BYTES = ClassTag$.MODULE$.apply(byte[].class);

    private Vectors() {
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

    /** A vector broadcast as raw bytes (large D), decoded by the task that reads it. */
    static final class Broadcasted implements SparkObjective.Payload {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> bytes;

        Broadcasted(Broadcast<byte[]> bytes) {
            this.bytes = bytes;
        }

        @Override
        public double[] get() {
            return decode(bytes.value());
        }
    }
}
