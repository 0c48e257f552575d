package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ResumableCsv;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apache.commons.csv.CSVRecord;

/**
 * The resumable record of the optim grid's finished runs, {@code OUT/optim/runs.csv}:
 * {@code dataset,optimizer,lr,damping,iterations,final_loss,diverged}, numbers as {@code %.17g}, damping
 * empty for GD. A {@link ResumableCsv}: finished runs are appended and flushed as they complete, so an
 * interrupted grid loses nothing it finished; on opening, a last line cut short by an interruption is
 * reported and removed, and a malformed row is an error naming the file and line. {@link #rewrite}
 * writes the rows in grid order at the end, atomically, so a resumed grid ends with the same file as a
 * clean one.
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

        List<String> fields() {
            return List.of(dataset, optimizer, lr, damping, Integer.toString(iterations), Grid.format(finalLoss),
                    Boolean.toString(diverged));
        }
    }

    /** runs.csv's columns and how a row is read back (strictly: every number and flag must parse). */
    static final ResumableCsv.Schema<Row> SCHEMA = new ResumableCsv.Schema<>() {
        @Override
        public List<String> header() {
            return List.of(HEADER.split(","));
        }

        @Override
        public List<String> fields(Row row) {
            return row.fields();
        }

        @Override
        public Row parse(CSVRecord r) {
            return new Row(r.get(0), r.get(1), number(r.get(2), "lr"), r.get(3).isEmpty() ? "" : number(r.get(3),
                    "damping"), integer(r.get(4), "iterations"), Double.parseDouble(number(r.get(5), "final_loss")),
                    flag(r.get(6), "diverged"));
        }

        @Override
        public String key(Row row) {
            return row.key();
        }
    };

    static String number(String text, String column) {
        try {
            Double.parseDouble(text);
            return text;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " '" + text + "' is not a number");
        }
    }

    static int integer(String text, String column) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " '" + text + "' is not an integer");
        }
    }

    static boolean flag(String text, String column) {
        if (text.equals("true") || text.equals("false")) {
            return text.equals("true");
        }
        throw new IllegalArgumentException(column + " '" + text + "' is neither true nor false");
    }

    private final ResumableCsv<Row> store;

    private RunStore(ResumableCsv<Row> store) {
        this.store = store;
    }

    /** The key of a run. */
    public static String key(String dataset, String optimizer, String lr, String damping) {
        return dataset + "," + optimizer + "," + lr + "," + damping;
    }

    /** Opens (or creates) the store at {@code file}, reading every row already there; notices go to stderr. */
    public static RunStore open(Path file) {
        return open(file, System.err);
    }

    /** Opens (or creates) the store at {@code file}, reading every row already there (see {@link ResumableCsv}). */
    public static RunStore open(Path file, PrintStream notices) {
        return new RunStore(ResumableCsv.open(file, SCHEMA, notices));
    }

    /** Whether the run with this key is recorded. */
    public boolean has(String key) {
        return store.has(key);
    }

    /** The recorded run with this key, or null. */
    public Row get(String key) {
        return store.get(key);
    }

    /** The number of recorded runs. */
    public int size() {
        return store.size();
    }

    /** Appends finished runs and flushes them to the file. */
    public void append(Collection<Row> finished) {
        store.append(finished);
    }

    /**
     * Rewrites the file atomically with the rows of {@code order} first (keys in that order, when recorded)
     * and every other recorded row after them in the order they were recorded.
     */
    public void rewrite(List<String> order) {
        store.rewrite(order);
    }

    @Override
    public void close() {
        store.close();
    }
}
