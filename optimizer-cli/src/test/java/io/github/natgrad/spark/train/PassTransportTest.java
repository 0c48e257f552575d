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
        double[] back = VectorBytes.decode(VectorBytes.encode(v));
        for (int j = 0; j < v.length; j++) {
            assertEquals(Double.doubleToRawLongBits(v[j]), Double.doubleToRawLongBits(back[j]), "entry " + j);
        }
        assertEquals(8 * v.length, VectorBytes.encode(v).length);
    }

    /**
     * A broadcast vector ({@link VectorBytes.Doubles}) comes out of Java serialization with every double's bits, at
     * lengths around its 8192-double blocks and empty.
     */
    @Test
    void aBroadcastVectorKeepsEveryBitThroughJavaSerialization() throws Exception {
        Random r = new Random(13);
        for (int length : new int[] {0, 1, 8191, 8192, 8193, 20000}) {
            double[] v = new double[length];
            for (int j = 0; j < length; j++) {
                v[j] = Double.longBitsToDouble(r.nextLong());
            }
            if (length > 3) {
                v[0] = -0.0;
                v[1] = Double.longBitsToDouble(0x7ff8dead0000beefL);
                v[2] = Double.MIN_VALUE;
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(new VectorBytes.Doubles(v));
            }
            double[] back;
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                back = ((VectorBytes.Doubles) in.readObject()).values();
            }
            assertEquals(length, back.length);
            for (int j = 0; j < length; j++) {
                assertEquals(Double.doubleToRawLongBits(v[j]), Double.doubleToRawLongBits(back[j]),
                        "entry " + j + " of " + length);
            }
        }
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
            encoded.add(VectorBytes.encode(v));
        }
        double[] expected = new double[50];
        for (double[] v : parts) {
            for (int j = 0; j < v.length; j++) {
                expected[j] += v[j];
            }
        }
        assertArrayEquals(expected, VectorBytes.sumInOrder(encoded, 50), 0.0);
    }

    /**
     * The sparse form (each partition's values at its support only) sums to the same bits as the full vectors in
     * partition order: −0.0 and +0.0 at a support entry, a partition whose support misses a column, an empty
     * partition, chunks of D + 1 (a scalar after each D-segment); a partition with a non-zero outside its support
     * sends everything (and is still summed exactly); a layout that is not chunks of D + 1 is never sparse.
     */
    @Test
    void theSparseFormSumsToTheSameBitsAsTheFullVectors() {
        int d = 12;
        int[][] supports = {{0, 3, 4, 11}, {}, {1, 3, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {2, 3}};
        Random r = new Random(7);
        for (int length : new int[] {d, d + 1, 2 * (d + 1)}) {
            List<byte[]> full = new ArrayList<>();
            List<byte[]> sparse = new ArrayList<>();
            for (int p = 0; p < supports.length; p++) {
                double[] v = new double[length];
                for (int base = 0; base < length; base += d + 1) {
                    for (int s : supports[p]) {
                        v[base + s] = r.nextInt(4) == 0 ? (r.nextBoolean() ? -0.0 : 0.0)
                                : r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10);
                    }
                    if (base + d < length) {
                        v[base + d] = r.nextGaussian();
                    }
                }
                if (p == 4) {
                    v[7] = 1.5; // outside its support: sent in full
                }
                full.add(VectorBytes.encode(v));
                double[] before = v.clone();
                byte[] encoded = VectorBytes.encodeSparse(v, d, supports[p]);
                sparse.add(encoded);
                // the sparse form leaves the task's buffer all +0.0 for its next pass; the full form leaves it as it was
                for (int j = 0; j < length; j++) {
                    assertEquals(Double.doubleToRawLongBits(p == 4 ? before[j] : 0.0),
                            Double.doubleToRawLongBits(v[j]), "buffer entry " + j + " of partition " + p);
                }
                assertEquals(p != 4, VectorBytes.isSparse(encoded));
                int chunks = length == d ? 1 : length / (d + 1);
                int expectedBytes = p == 4 ? 8 + 8 * length
                        : 8 + 8 * (length == d ? supports[p].length : chunks * (supports[p].length + 1));
                assertEquals(expectedBytes, encoded.length, "partition " + p + ", length " + length);
            }
            double[] expected = VectorBytes.sumInOrder(full, length);
            double[] got = VectorBytes.sumSparse(sparse, length, d, supports);
            for (int j = 0; j < length; j++) {
                assertEquals(Double.doubleToRawLongBits(expected[j]), Double.doubleToRawLongBits(got[j]),
                        "entry " + j + " of length " + length);
            }
        }
        assertEquals(8 + 8 * 20, VectorBytes.encodeSparse(new double[20], d, new int[] {1}).length);
    }

    /**
     * Above the closure limit (θ and v broadcast, decoded once per JVM, answers in the sparse form): the objective's
     * loss, gradient and Fisher products at two points in turn equal the local engine's on all the data (one
     * {@link io.github.natgrad.optim.Shard}) up to the summation order, so no decoded vector of an earlier point or
     * product is reused for a later one.
     */
    @Test
    void aLargeDPassEqualsTheLocalEngineAtEveryPoint() throws IOException {
        int columns = SparkObjective.CLOSURE_LIMIT + 5000;
        Random r = new Random(11);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append(r.nextBoolean() ? "+1" : "-1");
            java.util.TreeSet<Integer> cols = new java.util.TreeSet<>();
            while (cols.size() < 20) {
                cols.add(1 + (i < 10 ? columns - 1 - r.nextInt(50) : r.nextInt(columns)));
            }
            for (int c : cols) {
                text.append(' ').append(c).append(':').append(r.nextGaussian());
            }
            text.append('\n');
        }
        Path file = Files.writeString(tmp.resolve("wide.libsvm"), text.toString());
        SparkConf conf = SparkObjective.configure(new SparkConf()).setMaster("local[2]").setAppName("wide test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("ERROR");
            SparkData data = SparkData.read(jsc, file.toString(), "libsvm",
                    io.github.natgrad.data.LabelMapping.BINARY, 0, null, 3);
            io.github.natgrad.Model model = io.github.natgrad.training.GlmTrainer.model("logistic", true,
                    data.columns, 0, "test");
            int d = model.parameterCount();
            Shards.Spec spec = new Shards.Spec("wide", "logistic", true, data.columns, null, -1);
            SparkObjective objective = new SparkObjective(jsc, data, spec, model, "fisher", false, 2);
            io.github.natgrad.data.LabeledData all = io.github.natgrad.data.LibsvmReader.of(
                    io.github.natgrad.data.LabelMapping.BINARY).read(file);
            io.github.natgrad.optim.Shard local = new io.github.natgrad.optim.Shard(model,
                    io.github.natgrad.Batch.of(all.x(), all.y()));
            io.github.natgrad.Curvature fisher = io.github.natgrad.curvature.Curvatures.byName("fisher", 1, 0);
            for (int step = 0; step < 3; step++) {
                double[] theta = new double[d];
                double[] v = new double[d];
                for (int j = 0; j < d; j++) {
                    theta[j] = 0.1 * r.nextGaussian();
                    v[j] = r.nextGaussian();
                }
                double[] g = new double[d];
                double[] expectedG = new double[d];
                double loss = objective.lossAndGradient(theta, g);
                assertEquals(local.lossAndGradient(theta, expectedG), loss, 1e-12 * Math.abs(loss));
                close(expectedG, g, "gradient, step " + step);
                for (int k = 0; k < 2; k++) {
                    double[] w = k == 0 ? v : theta;
                    double[] out = new double[d];
                    objective.curvature(fisher, 0).multiply(w, out);
                    double[] expected = new double[d];
                    local.addCurvatureProduct(theta, fisher, w, expected);
                    for (int j = 0; j < d; j++) {
                        expected[j] /= all.rows(); // the operator is the mean: (1/N) Σ n_s C_s
                    }
                    close(expected, out, "product " + k + ", step " + step);
                }
            }
            objective.close();
            Shards.forget("wide");
            data.blocks.unpersist(false);
        }
    }

    private static void close(double[] expected, double[] actual, String what) {
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-12 * (1 + Math.abs(expected[j])), what + ", entry " + j);
        }
    }

    @Test
    void theSupportIsEveryRowOfThetaAtTheBlocksColumnsAndItsBias() throws IOException {
        Path file = Files.writeString(tmp.resolve("support.libsvm"), "+1 2:1 5:2\n-1 5:1\n+1 1:3 6:1\n");
        SparkConf conf = new SparkConf().setMaster("local[1]").setAppName("support test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("ERROR");
            SparkData data = SparkData.read(jsc, file.toString(), "libsvm",
                    io.github.natgrad.data.LabelMapping.BINARY, 8, null, 1);
            Block block = data.blocks.first();
            // columns 0, 1, 4, 5 (LIBSVM indices 1, 2, 5, 6); 3 rows of θ (a softmax) of 8 columns and a bias
            assertArrayEquals(new int[] {0, 1, 4, 5, 8, 9, 10, 13, 14, 17, 18, 19, 22, 23, 26},
                    Shards.support(new Shards.Spec("s1", "softmax", true, 8, null, -1), "train", block, 27));
            assertArrayEquals(new int[] {0, 1, 4, 5},
                    Shards.support(new Shards.Spec("s2", "logistic", false, 8, null, -1), "train", block, 8));
            Shards.forget("s1");
            Shards.forget("s2");
            data.blocks.unpersist(false);
        }
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
                    (shard, point, vector, acc) -> {
                        acc[0] = shard.rows();
                        acc[1] = shard.batch().y()[0];
                    });
            List<byte[]> answers = VectorBytes.collect(data.blocks, work);
            List<Integer> rows = data.blocks.map(b -> b.rows).collect();
            List<Double> first = data.blocks.map(b -> b.y[0]).collect();
            for (int p = 0; p < 3; p++) {
                assertArrayEquals(new double[] {rows.get(p), first.get(p)}, VectorBytes.decode(answers.get(p)), 0.0);
            }
            Shards.forget("t");
            data.blocks.unpersist(false);
        }
    }
}
