package io.github.natgrad.spark.train;

import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.Model;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.data.LabelMapping;
import io.github.natgrad.data.LabeledData;
import io.github.natgrad.data.LibsvmReader;
import io.github.natgrad.optim.Shard;
import io.github.natgrad.training.GlmTrainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The cost of one pass of {@link SparkObjective}, for measuring Spark's overhead (not a command): on a LIBSVM file
 * (logistic, Fisher), the median wall time of an empty job, of a point's pass (loss and gradient at a new θ) and of
 * a curvature-vector product, against the local engine's same work on one {@link Shard} of all the data (one thread).
 * Spark settings come from {@code -Dspark.*} system properties (SparkConf reads them).
 *
 * <pre>java -cp optimizer-cli/target/natgrad.jar io.github.natgrad.spark.train.PassProbe FILE [MASTER] [PARTITIONS] [REPEATS] [SEED]</pre>
 */
final class PassProbe {
    private PassProbe() {
    }

    public static void main(String[] args) {
        String file = args[0];
        String master = args.length > 1 ? args[1] : "local[2]";
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
        SparkConf conf = (Boolean.getBoolean("probe.old") ? new SparkConf() : SparkObjective.configure(new SparkConf())).setAppName("natgrad pass probe").setMaster(master)
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        String run = UUID.randomUUID().toString();
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("ERROR");
            SparkData data = SparkData.read(jsc, file, "libsvm", LabelMapping.BINARY, 0, null, partitions);
            Model model = GlmTrainer.model("logistic", false, data.columns, 0, file);
            int d = model.parameterCount();
            Shards.Spec spec = new Shards.Spec(run, "logistic", false, data.columns, null, -1);
            SparkObjective objective = new SparkObjective(jsc, data, spec, model, "fisher", false,
                    SparkTrainEngine.DEPTH);
            LabeledData all = LibsvmReader.of(LabelMapping.BINARY).read(Path.of(file));
            Shard local = new Shard(model, io.github.natgrad.Batch.of(all.x(), all.y()));
            SplittableRandom random = new SplittableRandom(seed);
            String profile = System.getProperty("probe.profile");
            if (profile != null) {
                profile(objective, d, repeats, random, Path.of(profile), System.getProperty("probe.mode", "product"));
                return;
            }
            double[] g = new double[d];
            double[] out = new double[d];
            long[] empty = new long[repeats];
            long[] point = new long[repeats];
            long[] product = new long[repeats];
            long[] localPoint = new long[repeats];
            long[] localProduct = new long[repeats];
            long[] result = new long[repeats];
            long[] down = new long[repeats];
            for (int r = 0; r < repeats; r++) {
                double[] theta = new double[d];
                double[] v = new double[d];
                for (int j = 0; j < d; j++) {
                    theta[j] = 0.01 * random.nextGaussian();
                    v[j] = random.nextGaussian();
                }
                long t0 = System.nanoTime();
                List<double[]> tiny = data.blocks.map(b -> new double[] {b.rows}).collect();
                long t1 = System.nanoTime();
                objective.lossAndGradient(theta, g);
                long t2 = System.nanoTime();
                CurvatureOperator op = objective.curvature(Curvatures.byName("fisher", 1, 0), 0);
                op.multiply(v, out);
                long t3 = System.nanoTime();
                local.lossAndGradient(theta, new double[d]);
                long t4 = System.nanoTime();
                local.addCurvatureProduct(theta, Curvatures.byName("fisher", 1, 0), v, new double[d]);
                long t5 = System.nanoTime();
                int dd = d;
                List<double[]> big = data.blocks.map(b -> new double[dd]).collect();
                long t6 = System.nanoTime();
                org.apache.spark.broadcast.Broadcast<double[]> vb = jsc.broadcast(v.clone());
                List<double[]> read = data.blocks.map(b -> new double[] {vb.value()[0]}).collect();
                vb.destroy();
                long t7 = System.nanoTime();
                result[r] = t6 - t5;
                down[r] = t7 - t6;
                if (big.size() + read.size() == 0) {
                    throw new IllegalStateException();
                }
                empty[r] = t1 - t0;
                point[r] = t2 - t1;
                product[r] = t3 - t2;
                localPoint[r] = t4 - t3;
                localProduct[r] = t5 - t4;
                if (tiny.isEmpty()) {
                    throw new IllegalStateException();
                }
            }
            System.out.printf(Locale.ROOT, "%s: N = %d, D = %d, nnz = %d, %d partitions, %s; median ms of %d "
                    + "(min):%n", file, data.rows, d, data.nonZeros, partitions, master, repeats);
            System.out.printf(Locale.ROOT, "  empty job     %8.2f (%7.2f)%n", median(empty), min(empty));
            System.out.printf(Locale.ROOT, "  D-vector up   %8.2f (%7.2f)   D-vector down %8.2f (%7.2f)%n",
                    median(result), min(result), median(down), min(down));
            System.out.printf(Locale.ROOT, "  spark point   %8.2f (%7.2f)   local point   %8.2f (%7.2f)%n",
                    median(point), min(point), median(localPoint), min(localPoint));
            System.out.printf(Locale.ROOT, "  spark product %8.2f (%7.2f)   local product %8.2f (%7.2f)%n",
                    median(product), min(product), median(localProduct), min(localProduct));
            objective.close();
        } finally {
            Shards.forget(run);
        }
    }

    /** Records a JFR profile of {@code repeats} products (or points) only, after two for warm-up. */
    private static void profile(SparkObjective objective, int d, int repeats, SplittableRandom random, Path file,
            String mode) {
        double[] out = new double[d];
        try {
            jdk.jfr.Recording rec = null;
            long start = 0;
            for (int r = -2; r < repeats; r++) {
                if (r == 0) {
                    rec = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                    rec.start();
                    start = System.nanoTime();
                }
                double[] theta = new double[d];
                double[] v = new double[d];
                for (int j = 0; j < d; j++) {
                    theta[j] = 0.01 * random.nextGaussian();
                    v[j] = random.nextGaussian();
                }
                objective.lossAndGradient(theta, out);
                if (mode.equals("product")) {
                    CurvatureOperator op = objective.curvature(Curvatures.byName("fisher", 1, 0), 0);
                    for (int k = 0; k < 4; k++) {
                        op.multiply(v, out);
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            rec.stop();
            rec.dump(file);
            System.out.printf(Locale.ROOT, "%d %s rounds in %.2f s; profile in %s%n", repeats, mode, seconds, file);
        } catch (java.io.IOException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    private static double min(long[] nanos) {
        return Arrays.stream(nanos).min().orElse(0) / 1e6;
    }
}
