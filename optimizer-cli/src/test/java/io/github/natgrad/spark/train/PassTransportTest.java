package io.github.natgrad.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a pass moves its vectors and reads its data: the raw byte codec is the identity on every double's bits
 * (NaN payloads, −0, subnormals, infinities), the driver's sum is the partitions' vectors added in partition
 * order (the same bits as a plain loop), one {@code runJob} returns each partition's own answer at its index,
 * and a file is read in exactly the partitions asked for, its lines in order.
 */
class PassTransportTest {
    @TempDir
    Path tmp;

    @Test
    void theByteCodecKeepsEveryBit() {
        Random r = new Random(3);
        double[] v = new double[1000];
        for (int j = 0; j < v.length; j++) {
            v[j] = Double.longBitsToDouble(r.nextLong());
        }
        v[0] = -0.0;
        v[1] = Double.MIN_VALUE;
        v[2] = Double.NEGATIVE_INFINITY;
        v[3] = Double.longBitsToDouble(0x7ff8dead0000beefL);
        double[] back = Vectors.decode(Vectors.encode(v));
        for (int j = 0; j < v.length; j++) {
            assertEquals(Double.doubleToRawLongBits(v[j]), Double.doubleToRawLongBits(back[j]), "entry " + j);
        }
        assertEquals(8 * v.length, Vectors.encode(v).length);
    }

    @Test
    void theSumAddsThePartitionsInOrder() {
        Random r = new Random(5);
        List<double[]> parts = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            double[] v = new double[50];
            for (int j = 0; j < v.length; j++) {
                v[j] = r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
            }
            parts.add(v);
            encoded.add(Vectors.encode(v));
        }
        double[] expected = new double[50];
        for (double[] v : parts) {
            for (int j = 0; j < v.length; j++) {
                expected[j] += v[j];
            }
        }
        assertArrayEquals(expected, Vectors.sumInOrder(encoded, 50), 0.0);
    }

    @Test
    void aFileIsReadInExactlyThePartitionsAskedForAndOnePassAnswersEachAtItsIndex() throws IOException {
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String line = (i % 2 == 0 ? "+1" : "-1") + " " + (1 + i % 7) + ":" + i;
            expected.add(line);
            text.append(line).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("lines.libsvm"), text.toString());
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("pass transport test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("ERROR");
            for (int partitions : new int[] {1, 3, 7}) {
                JavaRDD<String> lines = SparkData.lines(jsc, file.toString(), partitions);
                assertEquals(partitions, lines.getNumPartitions());
                assertEquals(expected, lines.collect());
            }
            SparkData data = SparkData.read(jsc, file.toString(), "libsvm",
                    io.github.natgrad.data.LabelMapping.BINARY, 0, null, 3);
            assertEquals(3, data.blocks.getNumPartitions());
            assertEquals(2000, data.rows);
            // each partition answers with its own rows, at its own index
            SparkObjective.PartitionWork work = new SparkObjective.PartitionWork(
                    new Shards.Spec("t", "logistic", false, data.columns, null, -1), "train", 0, 2, null, null,
                    (shard, point, vector) -> new double[] {shard.rows(), shard.batch().y()[0]});
            List<byte[]> answers = Vectors.collect(data.blocks, work);
            List<Integer> rows = data.blocks.map(b -> b.rows).collect();
            List<Double> first = data.blocks.map(b -> b.y[0]).collect();
            for (int p = 0; p < 3; p++) {
                assertArrayEquals(new double[] {rows.get(p), first.get(p)}, Vectors.decode(answers.get(p)), 0.0);
            }
            Shards.forget("t");
            data.blocks.unpersist(false);
        }
    }
}
