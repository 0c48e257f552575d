package io.github.natgrad.linalg;

import java.util.Locale;

/**
 * Whether natgrad's SIMD kernels ({@link GramBuilder}, {@link Kernels}) are on in this JVM.
 *
 * <p>They use the JDK's Vector API, an incubator module in Java 17–25, so they run only when the JVM
 * is started with {@code --add-modules jdk.incubator.vector} (the JVM then prints one warning, "Using
 * incubator modules"). Without the flag, or with {@code -Dnatgrad.simd=off}, natgrad uses the kernels'
 * scalar paths and OpenBLAS, slower at small D (measured figures in {@code BENCHMARKS.md}). The SIMD kernels also stay off where a double vector has more than 8 lanes
 * (none of the x86 machines natgrad was measured on), because their blocking assumes at most 8.
 *
 * <p>The vector width is the CPU's preferred one unless {@code -Dnatgrad.simd.lanes=2|4|8} forces 128-,
 * 256- or 512-bit vectors (the JDK runs any width on any CPU; a width the CPU lacks is emulated, slowly).
 *
 * <p>Results do not depend on the vector width: every sum of natgrad's kernels runs in an order fixed by the
 * shapes alone (each output summed over k in order, or in a fixed number of partial sums, 8 or 4, added by
 * a fixed tree), with fused multiply-adds in the vector and the scalar code alike ({@link Math#fma}). So
 * the same input gives the same bits at 2, 4 and 8 lanes, and the kernels with a scalar path
 * ({@link Kernels}, {@link DenseDesign}'s products, {@link BatchedCholesky}) give them on it too (checked
 * in the tests). With the kernels off the Gram build is OpenBLAS's {@code dsyrk} (see {@link GramBuilder}),
 * whose rounding, like that of every product natgrad leaves to OpenBLAS, depends on its kernel
 * ({@link Blas#describe()}).
 */
public final class Simd {
    /** The system property that turns the SIMD kernels off: {@code -Dnatgrad.simd=off}. */
    public static final String PROPERTY = "natgrad.simd";

    /** The system property that forces the vector width in doubles: {@code -Dnatgrad.simd.lanes=2|4|8}. */
    public static final String LANES_PROPERTY = "natgrad.simd.lanes";

    private static final int LANES;
    private static final String DESCRIPTION;

    static {
        if (isOff()) {
            LANES = 0;
            DESCRIPTION = "off (-D" + PROPERTY + "=off)";
        } else if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            LANES = 0;
            DESCRIPTION = "off (start the JVM with --add-modules jdk.incubator.vector to turn it on)";
        } else if (VectorKernels.lanes() < 2 || VectorKernels.lanes() > 8) {
            LANES = 0;
            DESCRIPTION = "off (vectors of " + VectorKernels.lanes() + " doubles are not supported)";
        } else {
            LANES = VectorKernels.lanes();
            DESCRIPTION = "on (Vector API, " + LANES + " doubles per vector"
                    + (forcedLanes() > 0 ? ", forced by -D" + LANES_PROPERTY + "=" + LANES : "") + ")";
        }
    }

    private Simd() {
    }

    /** True if the SIMD kernels are in use. */
    public static boolean enabled() {
        return LANES > 0;
    }

    /** The number of doubles in one SIMD vector, or 0 when the kernels are off. */
    public static int lanes() {
        return LANES;
    }

    /** One line for reports: on with its width, or off with the reason. */
    public static String describe() {
        return DESCRIPTION;
    }

    /**
     * One token for run metadata and fingerprints: {@code "lanes=8"}, or {@code "lanes=0"} (scalar kernels)
     * when the SIMD kernels are off.
     */
    public static String token() {
        return "lanes=" + LANES;
    }

    /**
     * The width forced by {@code -Dnatgrad.simd.lanes}, or 0 for the CPU's preferred width ({@code auto} or
     * unset).
     *
     * @throws IllegalArgumentException if the property is not auto, 2, 4 or 8
     */
    static int forcedLanes() {
        String value = System.getProperty(LANES_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "auto":
            case "":
                return 0;
            case "2":
            case "4":
            case "8":
                return Integer.parseInt(value);
            default:
                throw new IllegalArgumentException("-D" + LANES_PROPERTY + " must be auto, 2, 4 or 8 (doubles per"
                        + " vector: 128, 256 or 512 bits), got '" + value + "'");
        }
    }

    private static boolean isOff() {
        String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "auto":
            case "on":
                return false;
            case "off":
                return true;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, on or off, got '"
                        + value + "'");
        }
    }
}
