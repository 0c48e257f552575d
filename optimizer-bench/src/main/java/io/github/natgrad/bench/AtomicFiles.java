package io.github.natgrad.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes files atomically: to a temporary file in the same directory, then moved over the target, so a
 * reader (or a run resumed after kill -9) sees the old file or the new one, never a mix. The one place
 * natgrad's commands write a result file.
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

    /** Writes CSV records. */
    @FunctionalInterface
    public interface CsvProducer {
        /** Prints every record (the header too, unless the format prints it). */
        void print(CSVPrinter csv) throws IOException;
    }

    /** Replaces {@code file} by {@code content} (UTF-8). */
    public static void write(Path file, String content) {
        write(file, tmp -> Files.writeString(tmp, content, StandardCharsets.UTF_8));
    }

    /** Replaces {@code file} by the CSV {@code producer} prints in {@code format} (UTF-8). */
    public static void writeCsv(Path file, CSVFormat format, CsvProducer producer) {
        write(file, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                    CSVPrinter csv = new CSVPrinter(w, format)) {
                producer.print(csv);
            }
        });
    }

    /**
     * Replaces {@code file} by what {@code producer} writes to a temporary file beside it (named like the
     * target, ending in the target's extension, for encoders that go by the name); the temporary file is
     * deleted if the producer fails.
     */
    public static void write(Path file, Producer producer) {
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 ? name.substring(dot) : "";
            tmp = Files.createTempFile(dir, "." + name + ".", ".tmp" + extension);
            producer.writeTo(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
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
