package io.github.natgrad.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.Simd;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a benchmark report must say about its run besides the numbers: the exact command, the machine
 * (CPU model from {@code /proc/cpuinfo}, cores, load average at the start), the JVM and OpenBLAS. Written
 * as {@code run.json} beside the JMH results when the run starts, read back by {@code bench-report}.
 *
 * @param command     the command line that produced the results
 * @param started     when the run started (UTC, ISO-8601)
 * @param cpu         the CPU model
 * @param cores       the processors available to the JVM
 * @param loadAverage the 1/5/15-minute load average at the start ({@code /proc/loadavg})
 * @param jvm         the JVM name and version
 * @param blas        the BLAS library and its default threads
 * @param environment the thread-related environment variables that were set
 */
public record RunInfo(String command, String started, String cpu, int cores, String loadAverage, String jvm,
        String blas, String environment) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The file name a run's description is stored under, beside its results. */
    public static final String FILE = "run.json";

    /** Describes this process's machine, for a run started by {@code java -jar natgrad-bench.jar args}. */
    public static RunInfo current(List<String> args) {
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        StringBuilder env = new StringBuilder();
        StringBuilder prefix = new StringBuilder();
        for (String name : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")) {
            String value = System.getenv(name);
            if (value != null) {
                env.append(env.length() == 0 ? "" : ", ").append(name).append('=').append(value);
                prefix.append(name).append('=').append(value).append(' ');
            }
        }
        String command = prefix + "java " + (jvmArgs.isEmpty() ? "" : String.join(" ", jvmArgs) + " ")
                + "-jar optimizer-bench/target/natgrad-bench.jar " + String.join(" ", args);
        return new RunInfo(command, Instant.now().toString(), cpuModel(), Runtime.getRuntime().availableProcessors(),
                readText(Path.of("/proc/loadavg")).map(s -> String.join(" ", List.of(s.trim().split("\\s+")).subList(0, 3)))
                        .orElse("unknown"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Blas.describe() + " (org.bytedeco.openblas); threads set by each "
                        + "benchmark's threads parameter (default here: " + defaultThreads() + "); natgrad SIMD "
                        + "kernels in the forks: on unless a benchmark's simd parameter is off (host JVM: "
                        + Simd.describe() + ")",
                env.length() == 0 ? "none set" : env.toString());
    }

    /** The 1-minute load average ({@code NaN} where {@code /proc/loadavg} is missing). */
    static double load1() {
        return readText(Path.of("/proc/loadavg")).map(t -> Double.parseDouble(t.trim().split("\\s+")[0]))
                .orElse(Double.NaN);
    }

    private static String defaultThreads() {
        int threads = Blas.threads();
        return threads >= 1 ? threads + "" : "OpenBLAS's own, from OMP_NUM_THREADS or the core count";
    }

    /** The CPU model from {@code /proc/cpuinfo}, or {@code os.arch} where there is none. */
    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
            List<String> flags = lines.stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).orElse(List.of());
            List<String> simd = Stream.of("avx2", "fma", "avx512f").filter(flags::contains).collect(Collectors.toList());
            return simd.isEmpty() ? model : model + " (" + String.join(", ", simd) + ")";
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    private static Optional<String> readText(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes this description to {@code file} atomically (temporary file, then move). */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), this));
    }

    /** Reads a description written by {@link #write}. */
    public static RunInfo read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), RunInfo.class);
        } catch (IOException e) {
            throw new IOException("cannot read the run description " + file + ": " + e.getMessage(), e);
        }
    }
}
