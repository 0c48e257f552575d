package io.github.natgrad.training;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The record of a {@code train} run: {@code DIR/trace.csv}, rewritten atomically after every iteration
 * (so a run that fails or is killed leaves the trace of every finished iteration), {@code DIR/result.json}
 * at the end (also on failure, with the error), one progress line per iteration, and the peak heap.
 *
 * <p>The peak heap ({@code peak_heap_bytes}) is the JVM's since it started or since the application last called
 * {@link #resetPeakHeap()} (a process-wide reset, which the library leaves to the application: {@code natgrad
 * train} calls it before a run).
 */
public final class TrainLog {
    /** The trace's columns. */
    public static final String HEADER = "iteration,seconds,objective,gradient_norm,solver_iterations,"
            + "curvature_products,cap_reached,damping,step_size,test_loss,test_accuracy";

    private final Path dir;
    private final PrintStream progress;
    private final StringBuilder trace = new StringBuilder(HEADER).append('\n');
    private final Map<String, Object> result = new LinkedHashMap<>();
    private TrainStatus status = TrainStatus.OK;
    private String message = "";

    /** A log writing into {@code dir}, progress to {@code progress} (null: none). */
    public TrainLog(Path dir, PrintStream progress) {
        this.dir = dir;
        this.progress = progress;
        // what the last bits depend on: natgrad's kernels give the same bits at every SIMD width; BLAS results
        // may differ under another BLAS kernel
        result.put("simd_lanes", io.github.natgrad.linalg.Simd.lanes());
        result.put("blas", io.github.natgrad.linalg.Blas.describe());
        AtomicFiles.write(dir.resolve("trace.csv"), trace.toString());
    }

    /** One iteration: appended to the trace (written at once) and printed as one progress line. */
    public void iteration(int iteration, double seconds, double objective, double gradientNorm, int solverIterations,
            long products, boolean capReached, double damping, double stepSize, double testLoss, double testAccuracy,
            String action) {
        trace.append(String.format(Locale.ROOT, "%d,%.6f,%.17g,%.6e,%d,%d,%b,%.6e,%.6e,%s,%s%n", iteration, seconds,
                objective, gradientNorm, solverIterations, products, capReached, damping, stepSize,
                Double.isNaN(testLoss) ? "" : String.format(Locale.ROOT, "%.10g", testLoss),
                Double.isNaN(testAccuracy) ? "" : String.format(Locale.ROOT, "%.6f", testAccuracy)));
        AtomicFiles.write(dir.resolve("trace.csv"), trace.toString());
        if (progress != null) {
            progress.printf(Locale.ROOT, "iter %4d  %8.2fs  objective %.12g  |g| %.3e  solver %d it%s  lambda %.3g  "
                    + "step %.3g%s%s%n", iteration, seconds, objective, gradientNorm, solverIterations,
                    capReached ? " (CAP)" : "", damping, stepSize,
                    Double.isNaN(testAccuracy) ? (Double.isNaN(testLoss) ? "" : String.format(Locale.ROOT,
                            "  test loss %.6g", testLoss)) : String.format(Locale.ROOT, "  test acc %.4f", testAccuracy),
                    action.isEmpty() ? "" : "  [" + action + "]");
        }
    }

    /** The trace's rows so far (without the header), for a checkpoint. */
    public String traceRows() {
        return trace.substring(HEADER.length() + 1);
    }

    /** Puts back the rows of a checkpoint ({@link #traceRows()}) before a resumed run's first iteration. */
    public void restoreTrace(String rows) {
        trace.setLength(HEADER.length() + 1);
        trace.append(rows);
        AtomicFiles.write(dir.resolve("trace.csv"), trace.toString());
    }

    /** Sets a field of result.json. */
    public void put(String key, Object value) {
        result.put(key, value instanceof Double d && !Double.isFinite(d) ? String.valueOf(d) : value);
    }

    /** Resets the heap pools' peak use (for the whole JVM), from which {@link #peakHeapBytes()} measures. */
    public static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The heap's peak use since the last {@link #resetPeakHeap()} (sum of the heap pools' peaks), in bytes. */
    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Records how the run ended (before {@link #finish}); {@code message} says what happened in words. */
    public void end(TrainStatus status, String message) {
        this.status = status;
        this.message = message;
    }

    /** The status recorded by {@link #end} (ok when none was), or failed after {@code finish} with an error. */
    public TrainStatus status() {
        return status;
    }

    /** The message recorded with the status. */
    public String message() {
        return message;
    }

    /**
     * Writes result.json (atomically) with the status recorded by {@link #end}, its message and the exit
     * code; with an error, status failed and the error.
     */
    public void finish(Throwable error) {
        put("peak_heap_bytes", peakHeapBytes());
        if (error != null) {
            end(TrainStatus.FAILED, String.valueOf(error.getMessage()));
        }
        put("status", status.label());
        put("message", message);
        put("exit_code", status.exitCode());
        if (error != null) {
            put("error", String.valueOf(error.getMessage()));
        }
        AtomicFiles.write(dir.resolve("result.json"), json(result));
    }

    /**
     * A flat JSON object, indented as Jackson's default pretty printer writes it: strings escaped (RFC 8259),
     * numbers by {@code toString} (a double as {@link Double#toString}, the shortest form that reads back the same),
     * booleans and null as themselves, anything else as its string. Written here rather than by an
     * {@code ObjectMapper}, whose start loads some 470 classes — a measurable part of a short run's start.
     */
    static String json(Map<String, Object> fields) {
        StringBuilder s = new StringBuilder("{");
        String separator = "\n";
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            s.append(separator).append("  ");
            quote(s, e.getKey());
            s.append(" : ");
            Object v = e.getValue();
            if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                    || v instanceof Byte) {
                s.append(v);
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (Double.isFinite(d)) {
                    s.append(v);
                } else {
                    quote(s, String.valueOf(d));
                }
            } else {
                quote(s, String.valueOf(v));
            }
            separator = ",\n";
        }
        return s.append(fields.isEmpty() ? " }" : "\n}").append('\n').toString();
    }

    private static void quote(StringBuilder s, String text) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '\b' -> s.append("\\b");
                case '\f' -> s.append("\\f");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
