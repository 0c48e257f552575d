package io.github.natgrad.spark;

import io.github.natgrad.bench.ablate.AblationEngine;
import io.github.natgrad.bench.ablate.RunRecord;
import io.github.natgrad.bench.ablate.StudyRuntime;
import io.github.natgrad.bench.ablate.Task;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.Simd;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The {@code spark} engine of {@code ablate}: each task of a study becomes a Spark task (one partition),
 * run on the executors by the same {@link StudyRuntime#run(Task)} as the local engine, so the records
 * are the same; each finished partition's records reach the driver at once (through
 * {@code SparkContext.runJob}'s result handler) and are stored there, so a kill loses only the
 * partitions in flight. Spark runs embedded ({@code local[THREADS]}, no installation) unless a master
 * is given ({@code --master spark://host:7077}, or {@code spark.master} set by {@code spark-submit}).
 * One task per core ({@code spark.task.cpus=1}), one BLAS thread per task.
 *
 * <p>Executors run natgrad's SIMD kernels only when their JVM has the Vector API module: the engine appends
 * {@code --add-modules jdk.incubator.vector} to {@code spark.executor.extraJavaOptions} (keeping what the
 * user set there) and sets {@code OMP_NUM_THREADS=1} and {@code OPENBLAS_NUM_THREADS=1} in the executors'
 * environment unless the user set them. The first line the engine prints says which path the executors
 * take, as an executor task reports it ({@link Simd#describe()}, {@link Blas#describe()}). In
 * {@code local[N]} mode the executors are the driver's JVM, so they take the driver's path
 * ({@code bin/natgrad}, whose jar includes optimizer-spark, starts it with the module).
 *
 * <p>Executors read the study from its text and the data from the same paths as the driver: on a
 * cluster, the dataset folder (and files a study names) must be at the same path on every node.
 */
public final class SparkEngine implements AblationEngine {
    /** The most partitions of one job; more tasks are grouped, round-robin, into this many. */
    static final int MAX_PARTITIONS = 4000;

    /** The JVM option that turns natgrad's SIMD kernels on (the JDK's Vector API is an incubator module). */
    static final String VECTOR_MODULE = "--add-modules jdk.incubator.vector";

    /**
     * Puts the executors on natgrad's fast path: appends {@link #VECTOR_MODULE} to
     * {@code spark.executor.extraJavaOptions} unless it names the module already, and sets one OpenMP and
     * one OpenBLAS thread in the executors' environment unless the user set them.
     */
    static SparkConf executorSettings(SparkConf conf) {
        String options = conf.get("spark.executor.extraJavaOptions", "").trim();
        if (!options.contains("jdk.incubator.vector")) {
            conf.set("spark.executor.extraJavaOptions", options.isEmpty() ? VECTOR_MODULE : options + " " + VECTOR_MODULE);
        }
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
        return conf;
    }

    /**
     * Which path the executors take, as executor tasks report it: one line per distinct answer of
     * {@code "SIMD kernels " + Simd.describe() + "; " + Blas.describe()} over a task per default slot.
     */
    static List<String> executorPaths(JavaSparkContext jsc) {
        int slots = Math.max(1, Math.min(jsc.defaultParallelism(), 64));
        List<Integer> probes = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            probes.add(i);
        }
        return jsc.parallelize(probes, slots).map(i -> "SIMD kernels " + Simd.describe() + "; " + Blas.describe())
                .distinct().collect();
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public void preflight(Options options) {
        checkOpens();
        checkReachable(master(new SparkConf(), options));
    }

    private static String master(SparkConf conf, Options options) {
        return options.master() != null ? options.master()
                : conf.contains("spark.master") ? conf.get("spark.master") : "local[" + options.threads() + "]";
    }

    @Override
    public void run(StudyRuntime runtime, List<Task> tasks, Options options, Consumer<List<RunRecord>> sink) {
        checkOpens();
        SparkConf conf = new SparkConf().setAppName("natgrad ablate " + runtime.plan().study().name());
        String master = master(conf, options);
        checkReachable(master);
        conf.setMaster(master)
                .set("spark.ui.enabled", "false")
                .set("spark.task.cpus", "1")
                .set("spark.task.maxFailures", "1");
        executorSettings(conf);
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        int partitions = Math.max(1, Math.min(tasks.size(), MAX_PARTITIONS));
        List<Task> ordered = new ArrayList<>(tasks.size());
        // round-robin into partitions, keeping each partition's tasks in grid order
        for (int p = 0; p < partitions; p++) {
            for (int i = p; i < tasks.size(); i += partitions) {
                ordered.add(tasks.get(i));
            }
        }
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("WARN");
            System.out.println("spark executors (" + master + "): " + String.join(" | ", executorPaths(jsc)));
            JavaRDD<Task> rdd = jsc.parallelize(ordered, partitions);
            var study = runtime.plan().study();
            RunPartition work = new RunPartition(study.file(), study.text(), options.dataDir());
            ClassTag<ArrayList<RunRecord>> tag = ClassTag$.MODULE$.apply(ArrayList.class);
            jsc.sc().runJob(rdd.rdd(), work, new Handler(sink), tag);
        }
    }

    /** The runs of one partition, on an executor. */
    static final class RunPartition extends AbstractFunction2<TaskContext, Iterator<Task>, ArrayList<RunRecord>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final String text;
        private final String dataDir;

        RunPartition(String file, String text, String dataDir) {
            this.file = file;
            this.text = text;
            this.dataDir = dataDir;
        }

        @Override
        public ArrayList<RunRecord> apply(TaskContext context, Iterator<Task> tasks) {
            Blas.setThreads(1);
            StudyRuntime runtime = StudyRuntime.shared(file, text, dataDir);
            ArrayList<RunRecord> out = new ArrayList<>();
            while (tasks.hasNext()) {
                out.addAll(runtime.run(tasks.next()));
            }
            return out;
        }
    }

    /** On the driver: hands each finished partition's records to the sink. */
    static final class Handler extends AbstractFunction2<Object, ArrayList<RunRecord>, BoxedUnit> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient Consumer<List<RunRecord>> sink;

        Handler(Consumer<List<RunRecord>> sink) {
            this.sink = sink;
        }

        @Override
        public BoxedUnit apply(Object partition, ArrayList<RunRecord> records) {
            sink.accept(records);
            return BoxedUnit.UNIT;
        }
    }

    /** A spark:// master that does not answer is reported at once, not after Spark's minute of retries. */
    public static void checkReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI uri = URI.create("spark://" + hostPort);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("--master " + master + ": expected spark://HOST:PORT");
            }
            int port = uri.getPort() < 0 ? 7077 : uri.getPort();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(uri.getHost(), port), 5000);
                return;
            } catch (IOException e) {
                // try the next master
                if (!master.contains(",")) {
                    throw new IllegalStateException("cannot reach the Spark master " + uri.getHost() + ":" + port + " ("
                            + e.getMessage() + "): is it running (sbin/start-master.sh) and is the address right? "
                            + "Nothing was run; without --master, natgrad runs Spark embedded (local[...])");
                }
            }
        }
        throw new IllegalStateException("cannot reach any of the Spark masters " + master
                + ": are they running and are the addresses right? Nothing was run");
    }

    /** Spark needs java.base opened on Java 17; say which flags when they are missing. */
    public static void checkOpens() {
        Module unnamed = SparkEngine.class.getModule();
        if (!Object.class.getModule().isOpen("sun.nio.ch", unnamed) || !Object.class.getModule().isOpen("java.lang.invoke", unnamed)) {
            throw new IllegalStateException("Spark needs java.base opened on Java 17: run the optimizer-spark jar with "
                    + "java -jar (its manifest opens them), or add Spark's flags to the JVM: "
                    + "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED "
                    + "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED "
                    + "--add-opens=java.base/java.util=ALL-UNNAMED ... (the full list is in the README)");
        }
    }
}
