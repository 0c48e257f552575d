package io.github.natgrad.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Starts the command line on the fast path: when the JVM was started without the Vector API module
 * ({@code java -jar natgrad.jar ...} or {@code java -jar natgrad-bench.jar ...}), the entry point (the command
 * line's {@code Main} in optimizer-cli, or optimizer-bench's {@link BenchMain}) re-launches itself once in a child JVM with
 * {@code --add-modules jdk.incubator.vector}, so that natgrad's SIMD kernels are on (see
 * {@code io.github.natgrad.linalg.Simd}).
 *
 * <p>The child gets the same {@code java} binary, {@link #JIT_OPTIONS}, then the same JVM options (heap, {@code -D} properties,
 * agents), the same class path and the same arguments; it inherits standard input, output and error
 * and the environment, and its exit code is the command's exit code. Killing the parent (SIGTERM,
 * Ctrl-C) stops the child too. It is never done twice (the child runs with
 * {@code -Dnatgrad.relaunch=off}), nor when the scalar path was asked for ({@code -Dnatgrad.simd=off}).
 * Opt out with {@code -Dnatgrad.relaunch=off} or the environment variable {@code NATGRAD_RELAUNCH=off}:
 * the command then runs in this JVM, on the scalar path unless the module is present.
 */
public final class Launcher {
    /** The system property that turns the re-launch off: {@code -Dnatgrad.relaunch=off}. */
    static final String PROPERTY = "natgrad.relaunch";
    /** The environment variable that turns the re-launch off: {@code NATGRAD_RELAUNCH=off}. */
    static final String ENVIRONMENT = "NATGRAD_RELAUNCH";
    static final String MODULE = "jdk.incubator.vector";

    /**
     * The JIT options natgrad's launchers give the JVM (the child here, {@code bin/natgrad}, the main job's
     * {@code -Prun}): HotSpot compiles natgrad's Vector API kernels ({@code io.github.natgrad.linalg.Vector*})
     * with its optimising compiler after a tenth of the default calls. Until then the Vector API runs them on boxed
     * vectors, hundreds of times slower, and in a command of a few seconds that warm-up was a third of the time
     * (the breast-cancer grid slice: 3.4–3.6 s with the defaults, 2.2–2.4 s with these, AMD EPYC Zen 5). They change
     * when code is compiled, not what it computes (the kernels give the same bits in every tier); {@code quiet} keeps
     * HotSpot from printing the command on standard output. A program that embeds natgrad can pass the same.
     */
    public static final List<String> JIT_OPTIONS = List.of("-XX:CompileCommand=quiet",
            "-XX:CompileCommand=CompileThresholdScaling,io.github.natgrad.linalg.Vector*::*,0.1");

    private Launcher() {
    }

    /** Whether this JVM should hand over to a child JVM with the Vector API module. */
    static boolean needed() {
        if (ModuleLayer.boot().findModule(MODULE).isPresent()) {
            return false;
        }
        if (off(System.getProperty(PROPERTY)) || off(System.getenv(ENVIRONMENT))) {
            return false;
        }
        return !off(System.getProperty("natgrad.simd")); // the scalar path was asked for: no need
    }

    private static boolean off(String value) {
        if (value == null) {
            return false;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("off") || v.equals("false") || v.equals("0") || v.equals("no");
    }

    /** The child's command line: this JVM's binary, options and class path, the module, {@code args}. */
    public static List<String> command(List<String> jvmOptions, String classPath, String mainClass, String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add(MODULE);
        cmd.addAll(JIT_OPTIONS);
        cmd.addAll(jvmOptions);
        cmd.add("-D" + PROPERTY + "=off");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs the command in a child JVM with the module and returns its exit code, or -1 if the child could
     * not be started (the caller then runs the command here).
     */
    static int relaunch(String mainClass, String[] args) throws InterruptedException {
        List<String> cmd = command(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), mainClass, args);
        Process child;
        try {
            child = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException e) {
            System.err.println("natgrad: could not start a JVM with --add-modules " + MODULE + " (" + e.getMessage()
                    + "); running on the scalar path");
            return -1;
        }
        Thread stop = new Thread(child::destroy, "natgrad-stop-child");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return child.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /**
     * The {@code main} of natgrad's entry points: re-launches {@code mainClass} with the Vector API module when
     * needed, else chooses one OpenBLAS thread (unless {@code OMP_NUM_THREADS} or {@code OPENBLAS_NUM_THREADS}
     * says otherwise: the command line is an application, its small products are fastest on one thread), prints
     * {@link #simdLine()} on standard error, runs {@code run} and exits with its code.
     */
    public static void main(Class<?> mainClass, String[] args, ToIntFunction<String[]> run) throws InterruptedException {
        if (needed()) {
            int code = relaunch(mainClass.getName(), args);
            if (code >= 0) {
                System.exit(code);
            }
        }
        if (System.getenv("OMP_NUM_THREADS") == null && System.getenv("OPENBLAS_NUM_THREADS") == null) {
            io.github.natgrad.linalg.Blas.setThreads(1);
        }
        System.err.println(simdLine());
        System.exit(run.applyAsInt(args));
    }

    /** The line every command prints: which path natgrad's kernels take in this JVM, and which BLAS. */
    static String simdLine() {
        return "natgrad: SIMD kernels " + io.github.natgrad.linalg.Simd.describe() + "; "
                + io.github.natgrad.linalg.Blas.describe();
    }
}
