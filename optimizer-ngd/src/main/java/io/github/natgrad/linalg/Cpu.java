package io.github.natgrad.linalg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The processor this JVM runs on, as far as it decides which kernels natgrad and OpenBLAS use: the
 * vendor, family and model, and the widest x86 vector extension (avx512, avx2, avx, sse), read once
 * from {@code /proc/cpuinfo} on Linux; elsewhere the {@code os.arch} property alone.
 */
public final class Cpu {
    private static final String DESCRIPTION = read();

    private Cpu() {
    }

    /** e.g. {@code "AMD EPYC family 26 model 2 (avx512)"} or {@code "aarch64"}. */
    public static String describe() {
        return DESCRIPTION;
    }

    private static String read() {
        String arch = System.getProperty("os.arch", "unknown");
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return arch;
        }
        try {
            List<String> lines = Files.readAllLines(info);
            String model = field(lines, "model name");
            String family = field(lines, "cpu family");
            String number = field(lines, "model");
            String flags = " " + field(lines, "flags") + " ";
            String widest = flags.contains(" avx512f ") ? "avx512" : flags.contains(" avx2 ") ? "avx2"
                    : flags.contains(" avx ") ? "avx" : flags.contains(" sse2 ") ? "sse2" : arch;
            StringBuilder s = new StringBuilder(model.isEmpty() ? arch : model);
            if (!family.isEmpty()) {
                s.append(" family ").append(family);
            }
            if (!number.isEmpty()) {
                s.append(" model ").append(number);
            }
            return s.append(" (").append(widest.toLowerCase(Locale.ROOT)).append(')').toString();
        } catch (IOException | RuntimeException e) {
            return arch;
        }
    }

    private static String field(List<String> lines, String name) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }
}
