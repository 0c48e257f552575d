package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
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

/**
 * The resumable record of finished runs, {@code OUT/optim/runs.csv}:
 * {@code dataset,optimizer,lr,damping,iterations,final_loss,diverged}, numbers as {@code %.17g}, damping
 * empty for GD. Finished runs are appended and flushed as they complete, so an interrupted grid loses
 * nothing it finished; on opening, a last line cut short by an interruption is dropped (the file is
 * rewritten atomically without it) and every complete row counts as done. {@link #rewrite} writes the
 * rows in grid order at the end, atomically, so a resumed grid ends with the same file as a clean one.
 */
public final class RunStore implements AutoCloseable {
    /** The header line of runs.csv. */
    public static final String HEADER = "dataset,optimizer,lr,damping,iterations,final_loss,diverged";

    /**
     * One row of runs.csv, with the step size and damping as written ({@code %.17g}).
     *
     * @param dataset    the dataset or problem name
     * @param optimizer  GD, NGD or EFGD
     * @param lr         the step size, as written
     * @param damping    the damping, as written, empty for GD
     * @param iterations the iterations run
     * @param finalLoss  the final loss
     * @param diverged   whether the run diverged
     */
    public record Row(String dataset, String optimizer, String lr, String damping, int iterations, double finalLoss,
            boolean diverged) {

        /** The key of the run: dataset, optimizer, step size and damping. */
        public String key() {
            return RunStore.key(dataset, optimizer, lr, damping);
        }

        /** The row as a CSV line (without newline). */
        public String line() {
            return String.join(",", dataset, optimizer, lr, damping, Integer.toString(iterations),
                    Grid.format(finalLoss), Boolean.toString(diverged));
        }
    }

    private final Path file;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private BufferedWriter writer;

    private RunStore(Path file) {
        this.file = file;
    }

    /** The key of a run. */
    public static String key(String dataset, String optimizer, String lr, String damping) {
        return dataset + "," + optimizer + "," + lr + "," + damping;
    }

    /** Opens (or creates) the store at {@code file}, reading every complete row already there. */
    public static RunStore open(Path file) {
        RunStore store = new RunStore(file);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                boolean dirty = !text.isEmpty() && !text.endsWith("\n");
                String[] lines = text.split("\n", -1);
                int complete = lines.length - 1; // the last piece is "" or a line cut short
                if (complete < 1 || !lines[0].equals(HEADER)) {
                    if (!text.isEmpty()) {
                        throw new IllegalStateException(file + " does not start with the header '" + HEADER
                                + "'; it is not a runs file of this tool: move it away or choose another --out");
                    }
                } else {
                    for (int k = 1; k < complete; k++) {
                        Row r = parse(lines[k]);
                        if (r == null) {
                            dirty = true;
                        } else {
                            store.rows.put(r.key(), r);
                        }
                    }
                }
                if (dirty) {
                    store.rewriteAll(new ArrayList<>(store.rows.values()));
                }
            }
            if (!Files.exists(file)) {
                AtomicFiles.write(file, HEADER + "\n");
            }
            store.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        return store;
    }

    private static Row parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 7) {
            return null;
        }
        try {
            return new Row(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), Double.parseDouble(f[5]),
                    Boolean.parseBoolean(f[6]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether the run with this key is recorded. */
    public synchronized boolean has(String key) {
        return rows.containsKey(key);
    }

    /** The recorded run with this key, or null. */
    public synchronized Row get(String key) {
        return rows.get(key);
    }

    /** The number of recorded runs. */
    public synchronized int size() {
        return rows.size();
    }

    /** Appends finished runs and flushes them to the file. */
    public synchronized void append(Collection<Row> finished) {
        try {
            for (Row r : finished) {
                if (rows.putIfAbsent(r.key(), r) == null) {
                    writer.write(r.line());
                    writer.write('\n');
                }
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rewrites the file atomically with the rows of {@code order} first (keys in that order, when recorded)
     * and every other recorded row after them in the order they were recorded.
     */
    public synchronized void rewrite(List<String> order) {
        List<Row> out = new ArrayList<>();
        Map<String, Row> rest = new LinkedHashMap<>(rows);
        for (String key : order) {
            Row r = rest.remove(key);
            if (r != null) {
                out.add(r);
            }
        }
        out.addAll(rest.values());
        rewriteAll(out);
    }

    private void rewriteAll(List<Row> out) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Row r : out) {
            sb.append(r.line()).append('\n');
        }
        try {
            if (writer != null) {
                writer.close();
            }
            AtomicFiles.write(file, sb.toString());
            if (writer != null) {
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
