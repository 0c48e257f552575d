package io.github.natgrad.bench;

import io.github.natgrad.NumericsEnvironment;
import io.github.natgrad.linalg.Numerics;
import io.github.natgrad.training.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The numerics of the processes that made a results folder's runs, in {@code DIR/numerics.txt}: one line per
 * distinct {@link Numerics#host()} (SIMD lanes; the BLAS and what selects its kernel), in the order they first
 * wrote there. A command that resumes in a folder made with other numerics warns, naming what differs:
 * natgrad's own kernels give the same bits at every SIMD width, but results that go through OpenBLAS may
 * differ in their last bits under another BLAS kernel.
 */
public final class HostRecord {
    /** The file's name in a results folder. */
    public static final String FILE = "numerics.txt";

    private HostRecord() {
    }

    /**
     * Records this process's numerics in {@code dir} (created if needed) and, if earlier runs there were made
     * with other numerics, prints one warning line per such host to {@code warnings}, prefixed by
     * {@code command}.
     */
    public static void record(Path dir, String command, PrintStream warnings) {
        String now = Numerics.host();
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            List<String> hosts = new ArrayList<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        hosts.add(line.trim());
                    }
                }
            }
            for (String then : hosts) {
                if (!then.equals(now)) {
                    warnings.println(command + ": warning: earlier runs in " + dir + " were made with other numerics ("
                            + NumericsEnvironment.difference(then, now) + "): natgrad's own kernels give the same"
                            + " bits at every SIMD width, but results through BLAS/LAPACK may differ in their last"
                            + " bits under another BLAS kernel (see " + file + ")");
                }
            }
            if (!hosts.contains(now)) {
                hosts.add(now);
                AtomicFiles.write(file, String.join("\n", hosts) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the numerics in " + file + ": " + e.getMessage(), e);
        }
    }
}
