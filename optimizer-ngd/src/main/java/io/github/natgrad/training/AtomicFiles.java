package io.github.natgrad.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files atomically: to a temporary file in the same directory, then moved over the target, so a
 * reader (or a run resumed after kill -9) sees the old file or the new one, never a mix. The one place natgrad
 * writes a result or state file: {@link StateFiles#save}, {@link TrainLog}'s trace.csv and result.json, and
 * every file the commands write (CSV printed through commons-csv by optimizer-bench's {@code bench.CsvFiles},
 * into this write).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of a file to the temporary path it is given. */
    @FunctionalInterface
    public interface Producer {
        /** Writes the whole file to {@code tmp} (an empty file with the target's extension). */
        void writeTo(Path tmp) throws IOException;
    }

    /** Replaces {@code file} by {@code content} (UTF-8). */
    public static void write(Path file, String content) {
        write(file, tmp -> Files.writeString(tmp, content, StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code file} by what {@code producer} writes to a temporary file beside it; an I/O error becomes
     * an {@link UncheckedIOException} that names the file.
     *
     * @see #replace
     */
    public static void write(Path file, Producer producer) {
        try {
            replace(file, producer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code file} by what {@code producer} writes to a temporary file beside it (named like the
     * target, ending in the target's extension, for encoders that go by the name), creating the directory if
     * needed; the temporary file is deleted if the producer fails. The rename is atomic where the file system
     * supports it (else a plain replace).
     *
     * @throws IOException what the producer or the file system threw
     */
    public static void replace(Path file, Producer producer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot) : "";
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp" + extension);
        try {
            producer.writeTo(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the failure above is what the caller needs to hear about
                }
            }
        }
    }
}
