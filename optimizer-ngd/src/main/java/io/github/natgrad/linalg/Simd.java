package io.github.natgrad.linalg;

import java.util.Locale;

/**
 * Whether natgrad's SIMD kernels ({@link GramBuilder}, {@link Kernels}) are on in this JVM.
 *
 * <p>They use the JDK's Vector API, an incubator module in Java 17–25, so they run only when the JVM
 * is started with {@code --add-modules jdk.incubator.vector} (the JVM then prints one warning, "Using
 * incubator modules"). Without the flag, or with {@code -Dnatgrad.simd=off}, natgrad uses scalar Java
 * loops and OpenBLAS as before: the same numbers to rounding, slower at small D (measured figures in
 * {@code BENCHMARKS.md}). The SIMD kernels also stay off where a double vector has more than 8 lanes
 * (none of the x86 machines natgrad was measured on), because their blocking assumes at most 8.
 *
 * <p>Results are deterministic for a given setting and machine: the kernels sum in a fixed order that
 * depends only on the shapes and the vector width, which this class reports.
 */
public final class Simd {
    /** The system property that turns the SIMD kernels off: {@code -Dnatgrad.simd=off}. */
    public static final String PROPERTY = "natgrad.simd";

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
            DESCRIPTION = "on (Vector API, " + LANES + " doubles per vector)";
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
