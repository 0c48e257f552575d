package io.github.natgrad.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * A resumable CSV record of finished runs, one row per run, keyed: the one store behind every grid of the
 * bench (the reproduction's optim grid, the damping grid). Rows are appended and flushed as runs finish,
 * so a grid killed at any moment (kill -9 included) loses only the runs it had not finished.
 *
 * <p>On {@link #open}: a missing or empty file is created with the header; a last line without its
 * newline, the mark of a write cut short by an interruption, is reported (file and line) and removed
 * (the file is rewritten atomically without it; that run is simply done again); any other row that does
 * not parse is an error naming the file and line, and the file is left as it was. {@link #rewrite}
 * writes the rows in a given order at the end, atomically, so a resumed grid ends with the same file as
 * a clean one. Written and read with commons-csv, records separated by {@code \n}. Thread-safe.
 *
 * @param <R> the row type
 */
public final class ResumableCsv<R> implements AutoCloseable {
    /** The CSV dialect of every store: RFC 4180 with {@code \n} line ends. */
    public static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    /** What a store holds: the columns, how a row is written and read back, and its key. */
    public interface Schema<R> {
        /** The column names, in order (the header line). */
        List<String> header();

        /** The row's fields, in header order. */
        List<String> fields(R row);

        /**
         * The row a record holds (as many fields as the header).
         *
         * @throws IllegalArgumentException saying what is wrong, if a field does not parse
         */
        R parse(CSVRecord record);

        /** The key of a row: rows with equal keys are the same run. */
        String key(R row);
    }

    private final Path file;
    private final Schema<R> schema;
    private final Map<String, R> rows = new LinkedHashMap<>();
    private BufferedWriter writer;
    private CSVPrinter printer;

    private ResumableCsv(Path file, Schema<R> schema) {
        this.file = file;
        this.schema = schema;
    }

    /**
     * Opens (or creates) the store at {@code file}, reading every row already there; notices (a repaired
     * last line) go to {@code notices}.
     *
     * @throws IllegalStateException if the file has another header or a malformed row (file and line named)
     */
    public static <R> ResumableCsv<R> open(Path file, Schema<R> schema, PrintStream notices) {
        ResumableCsv<R> store = new ResumableCsv<>(file, schema);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            boolean repair = false;
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n') + 1;
                if (end < text.length()) {
                    int line = (int) text.substring(0, end).chars().filter(c -> c == '\n').count() + 1;
                    notices.println(file + ":" + line + ": removed an incomplete last line (a write cut short by an "
                            + "interruption): '" + text.substring(end) + "'; that run is done again");
                    repair = true;
                }
                store.read(text.substring(0, end));
            }
            if (repair) {
                store.rewriteAll(new ArrayList<>(store.rows.values()));
            } else if (!Files.exists(file) || Files.size(file) == 0) {
                store.rewriteAll(List.of());
            }
            store.openWriter();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        return store;
    }

    private void read(String complete) throws IOException {
        if (complete.isEmpty()) {
            return;
        }
        List<String> header = schema.header();
        try (CSVParser parser = CSVParser.parse(new StringReader(complete), FORMAT)) {
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber(); // one record per line: no field holds a line break
                if (line == 1) {
                    if (!record.toList().equals(header)) {
                        throw new IllegalStateException(file + ":1: the header is '" + String.join(",", record.toList())
                                + "', not '" + String.join(",", header) + "': this is not a runs file of this tool; move "
                                + "it away or choose another output directory");
                    }
                    continue;
                }
                if (record.size() != header.size()) {
                    throw malformed(line, record, record.size() + " fields instead of " + header.size());
                }
                R row;
                try {
                    row = schema.parse(record);
                } catch (IllegalArgumentException e) {
                    throw malformed(line, record, e.getMessage());
                }
                rows.put(schema.key(row), row);
            }
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException(file + ": not readable as CSV (" + e.getMessage() + ")", e);
        }
    }

    private IllegalStateException malformed(long line, CSVRecord record, String why) {
        return new IllegalStateException(file + ":" + line + ": malformed run record '" + String.join(",", record.toList())
                + "' (" + why + "; expected " + String.join(",", schema.header()) + "). Fix or delete that line "
                + "(a deleted run is done again), or start the grid afresh");
    }

    private void openWriter() throws IOException {
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        printer = new CSVPrinter(writer, FORMAT);
    }

    /** The file behind the store. */
    public Path file() {
        return file;
    }

    /** Whether the run with this key is recorded. */
    public synchronized boolean has(String key) {
        return rows.containsKey(key);
    }

    /** The recorded run with this key, or null. */
    public synchronized R get(String key) {
        return rows.get(key);
    }

    /** The number of recorded runs. */
    public synchronized int size() {
        return rows.size();
    }

    /** Every recorded run, in the order recorded (a copy). */
    public synchronized List<R> rows() {
        return new ArrayList<>(rows.values());
    }

    /** Appends finished runs (those not recorded yet) and flushes them to the file. */
    public synchronized void append(Collection<R> finished) {
        try {
            for (R r : finished) {
                if (rows.putIfAbsent(schema.key(r), r) == null) {
                    printer.printRecord(schema.fields(r));
                }
            }
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rewrites the file atomically with the rows of {@code order} first (keys in that order, when
     * recorded) and every other recorded row after them in the order they were recorded.
     */
    public synchronized void rewrite(List<String> order) {
        List<R> out = new ArrayList<>();
        Map<String, R> rest = new LinkedHashMap<>(rows);
        for (String key : order) {
            R r = rest.remove(key);
            if (r != null) {
                out.add(r);
            }
        }
        out.addAll(rest.values());
        try {
            rewriteAll(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
        }
    }

    private void rewriteAll(List<R> out) throws IOException {
        if (printer != null) {
            printer.close();
        }
        CsvFiles.write(file, FORMAT, csv -> {
            csv.printRecord(schema.header());
            for (R r : out) {
                csv.printRecord(schema.fields(r));
            }
        });
        if (printer != null) {
            openWriter();
        }
    }

    @Override
    public synchronized void close() {
        try {
            printer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
