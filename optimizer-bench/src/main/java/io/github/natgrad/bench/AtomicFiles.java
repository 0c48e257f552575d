package io.github.natgrad.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The commands' atomic file writes: the library's {@link io.github.natgrad.training.AtomicFiles} (a temporary
 * file beside the target, then a rename, so a reader or a resumed run sees the old file or the new one, never a
 * mix), plus CSV printing through commons-csv, which the library does not depend on.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes CSV records. */
    @FunctionalInterface
    public interface CsvProducer {
        /** Prints every record (the header too, unless the format prints it). */
        void print(CSVPrinter csv) throws IOException;
    }

    /** Replaces {@code file} by {@code content} (UTF-8): {@link io.github.natgrad.training.AtomicFiles#write(Path, String)}. */
    public static void write(Path file, String content) {
        io.github.natgrad.training.AtomicFiles.write(file, content);
    }

    /**
     * Replaces {@code file} by what {@code producer} writes to a temporary file beside it:
     * {@link io.github.natgrad.training.AtomicFiles#write(Path, io.github.natgrad.training.AtomicFiles.Producer)}.
     */
    public static void write(Path file, io.github.natgrad.training.AtomicFiles.Producer producer) {
        io.github.natgrad.training.AtomicFiles.write(file, producer);
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
}
