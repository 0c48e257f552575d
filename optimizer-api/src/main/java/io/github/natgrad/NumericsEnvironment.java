package io.github.natgrad;

/**
 * What decides the last bits of an optimizer's arithmetic on this host, as one line: a numerics library
 * (natgrad's {@code optimizer-ngd}) provides it through {@link java.util.ServiceLoader}, e.g.
 * {@code "lanes=8; OpenBLAS 0.3.28-1.5.11, kernel auto on AMD EPYC family 26 model 2 (avx512)"}: the SIMD
 * width of its Java kernels, then the BLAS and what selects its kernel. {@link OptimizerState} records it
 * beside a saved state, so that a run resumed on another host can say by name what differs
 * ({@link OptimizerState#hostDifference()}).
 *
 * <p>Format: parts separated by {@code "; "}; a part {@code name=value} or a free description (the BLAS).
 */
public interface NumericsEnvironment {
    /** The description of this host's numerics, one line (no line breaks). */
    String describe();

    /**
     * The parts of two descriptions that differ, e.g. {@code "lanes=8 then, lanes=4 now"} (parts compared in
     * order, joined by {@code "; "}), or {@code ""} if they are equal.
     */
    static String difference(String then, String now) {
        if (then.equals(now)) {
            return "";
        }
        String[] a = then.split("; ");
        String[] b = now.split("; ");
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(none)";
            String y = i < b.length ? b[i] : "(none)";
            if (!x.equals(y)) {
                parts.append(parts.length() == 0 ? "" : "; ").append(x).append(" then, ").append(y).append(" now");
            }
        }
        return parts.toString();
    }
}
