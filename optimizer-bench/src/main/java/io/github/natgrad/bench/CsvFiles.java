package io.github.natgrad.bench;

import io.github.natgrad.training.AtomicFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * CSV files the bench and the commands write whole: printed through commons-csv (which the library does not
 * depend on) into the library's one atomic write ({@link AtomicFiles#write(Path, AtomicFiles.Producer)}: a
 * temporary file beside the target, then a rename), so a reader or a resumed run sees the old file or the new
 * one, never a mix. Every other file is written by {@link AtomicFiles} directly.
 */
public final class CsvFiles {
    private CsvFiles() {
    }

    /** Prints CSV records. */
    @FunctionalInterface
    public interface Printer {
        /** Prints every record (the header too, unless the format prints it). */
        void print(CSVPrinter csv) throws IOException;
    }

    /** Replaces {@code file} by the CSV {@code printer} prints in {@code format} (UTF-8). */
    public static void write(Path file, CSVFormat format, Printer printer) {
        AtomicFiles.write(file, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                    CSVPrinter csv = new CSVPrinter(w, format)) {
                printer.print(csv);
            }
        });
    }
}
