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
 * Spark settings come from {@code -Dspark.*} system properties (SparkConf reads them). {@code -Dprobe.profile=FILE}
 * records a JFR profile of the passes only; {@code -Dprobe.breakdown=true} prints, per pass (median over the repeats), the wall time, the driver thread's and the process's CPU time against the local
 * engine's ({@code -Dprobe.warmup=ROUNDS} of warm-up first, default 3), Spark's job span and task metrics (run time, CPU, deserialization, result serialization, GC, result bytes),
 * and the CPU time of every thread of the process over the measured rounds (from /proc; the JIT compiler, GC and
 * Spark's scheduler threads included).
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
        SparkConf conf = SparkObjective.configure(new SparkConf().setMaster(master)).setAppName("natgrad pass probe")
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
            if (Boolean.getBoolean("probe.breakdown")) {
                breakdown(jsc, objective, local, d, repeats, random);
                return;
            }
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

    /** Job and task metrics of the passes, from Spark's listener bus. */
    static final class Metrics extends org.apache.spark.scheduler.SparkListener {
        final java.util.concurrent.atomic.AtomicLong jobStart = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong jobEnd = new java.util.concurrent.atomic.AtomicLong();
        final long[] task = new long[8]; // run ms, cpu ns, deser ms, deser cpu ns, result ser ms, gc ms, count, result bytes
        long firstLaunch = Long.MAX_VALUE;
        long lastFinish;

        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
            jobStart.set(e.time());
        }

        @Override
        public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd e) {
            jobEnd.set(e.time());
        }

        @Override
        public synchronized void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
            org.apache.spark.executor.TaskMetrics m = e.taskMetrics();
            task[0] += m.executorRunTime();
            task[1] += m.executorCpuTime();
            task[2] += m.executorDeserializeTime();
            task[3] += m.executorDeserializeCpuTime();
            task[4] += m.resultSerializationTime();
            task[5] += m.jvmGCTime();
            task[6]++;
            task[7] += m.resultSize();
            firstLaunch = Math.min(firstLaunch, e.taskInfo().launchTime());
            lastFinish = Math.max(lastFinish, e.taskInfo().finishTime());
        }

        synchronized long[] snapshot() {
            long[] s = Arrays.copyOf(task, 11);
            s[8] = firstLaunch;
            s[9] = lastFinish;
            s[10] = jobEnd.get() - jobStart.get();
            Arrays.fill(task, 0);
            firstLaunch = Long.MAX_VALUE;
            lastFinish = 0;
            return s;
        }
    }

    /** Per pass: wall, driver CPU, process CPU, and Spark's job and task metrics, median over the repeats. */
    private static void breakdown(JavaSparkContext jsc, SparkObjective objective, Shard local, int d, int repeats,
            SplittableRandom random) {
        Metrics metrics = new Metrics();
        jsc.sc().addSparkListener(metrics);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        String[] names = {"wall ms", "driver cpu", "process cpu", "job span", "task run", "task cpu", "deser",
            "deser cpu", "result ser", "task gc", "result MB"};
        double[][] point = new double[repeats][];
        double[][] product = new double[repeats][];
        double[][] localPoint = new double[repeats][];
        double[][] localProduct = new double[repeats][];
        double[] out = new double[d];
        java.util.Map<String, Long> cpu0 = null;
        for (int r = -Integer.getInteger("probe.warmup", 3); r < repeats; r++) {
            if (r == 0) {
                cpu0 = threadTicks();
            }
            double[] theta = new double[d];
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                theta[j] = 0.01 * random.nextGaussian();
                v[j] = random.nextGaussian();
            }
            double[] p = measure(metrics, threads, os, () -> objective.lossAndGradient(theta, out));
            CurvatureOperator op = objective.curvature(Curvatures.byName("fisher", 1, 0), 0);
            double[] q = measure(metrics, threads, os, () -> op.multiply(v, out));
            double[] lp = measure(metrics, threads, os, () -> local.lossAndGradient(theta, new double[d]));
            double[] lq = measure(metrics, threads, os, () -> local.addCurvatureProduct(theta,
                    Curvatures.byName("fisher", 1, 0), v, new double[d]));
            if (r >= 0) {
                point[r] = p;
                product[r] = q;
                localPoint[r] = lp;
                localProduct[r] = lq;
            }
        }
        java.util.Map<String, Long> cpu1 = threadTicks();
        java.util.Map<String, Long> delta = new java.util.TreeMap<>();
        for (var e : cpu1.entrySet()) {
            String name = e.getKey().replaceAll("[0-9]+", "#");
            delta.merge(name, e.getValue() - cpu0.getOrDefault(e.getKey(), 0L), Long::sum);
        }
        System.out.println("  CPU ms by thread over the measured rounds (all four passes each):");
        delta.entrySet().stream().filter(e -> e.getValue() > 0).sorted((a, b) -> Long.compare(b.getValue(),
                a.getValue())).limit(14).forEach(e -> System.out.printf(Locale.ROOT, "    %6d %s%n",
                        e.getValue() * 10, e.getKey()));
        for (int k = 0; k < names.length; k++) {
            System.out.printf(Locale.ROOT, "  %-12s point %8.2f   product %8.2f", names[k], median(point, k),
                    median(product, k));
            if (k < 3) {
                System.out.printf(Locale.ROOT, "   local point %8.2f   local product %8.2f", median(localPoint, k),
                        median(localProduct, k));
            }
            System.out.println();
        }
        objective.close();
    }

    /** utime + stime in clock ticks of every thread of this process, by thread id and name (Linux). */
    private static java.util.Map<String, Long> threadTicks() {
        java.util.Map<String, Long> ticks = new java.util.HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return ticks;
        }
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                int close = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                ticks.put(t.getName() + ":" + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (java.io.IOException | RuntimeException e) {
                // a thread that ended
            }
        }
        return ticks;
    }

    private static double median(double[][] rows, int k) {
        double[] a = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            a[r] = rows[r][k];
        }
        Arrays.sort(a);
        return a[a.length / 2];
    }

    private static double[] measure(Metrics metrics, java.lang.management.ThreadMXBean threads,
            com.sun.management.OperatingSystemMXBean os, Runnable pass) {
        metrics.snapshot();
        long c0 = threads.getCurrentThreadCpuTime();
        long p0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        pass.run();
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        long p1 = os.getProcessCpuTime();
        try {
            Thread.sleep(30); // the listener bus delivers the task ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long[] s = metrics.snapshot();
        return new double[] {(t1 - t0) / 1e6, (c1 - c0) / 1e6, (p1 - p0) / 1e6, s[10], s[0], s[1] / 1e6, s[2],
            s[3] / 1e6, s[4], s[5], s[7] / 1e6};
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
