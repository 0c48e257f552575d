package io.github.natgrad.bench.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Readers for the three layouts of the small public datasets used by Kunstner, Balles and Hennig (2019)
 * (see {@code ../shared/datasets/README.md}):
 * <ul>
 * <li>{@link #libsvm LIBSVM / svmlight}: {@code <label> <index>:<value> ...}, 1-based strictly increasing
 * indices, tokens separated by any whitespace, missing indices meaning 0;</li>
 * <li>{@link #countedCsv the scikit-learn CSV}: a first line {@code n,p,name,...} giving the counts, then
 * rows of p features followed by the target;</li>
 * <li>{@link #whitespaceText whitespace-separated UCI text}: target in the last column, empty lines
 * skipped.</li>
 * </ul>
 * Every malformed line is reported as a {@link DatasetException} naming the file and the line number.
 */
public final class DataReaders {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private DataReaders() {
    }

    /**
     * Reads a LIBSVM file into a dense table with {@code columns} feature columns (indices above it are an
     * error). Labels are kept as written (e.g. +1 / −1).
     */
    public static Table libsvm(Path file, int columns) {
        Growing rows = new Growing(columns);
        try (BufferedReader in = open(file)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    throw malformed(file, number, "empty line (LIBSVM files have one example per line)");
                }
                String[] tokens = WHITESPACE.split(trimmed);
                double label = number(file, number, tokens[0], "label");
                double[] row = new double[columns];
                int previous = 0;
                for (int t = 1; t < tokens.length; t++) {
                    String token = tokens[t];
                    int colon = token.indexOf(':');
                    if (colon <= 0 || colon == token.length() - 1) {
                        throw malformed(file, number, "token '" + token + "' is not <index>:<value>");
                    }
                    int index;
                    try {
                        index = Integer.parseInt(token.substring(0, colon));
                    } catch (NumberFormatException e) {
                        throw malformed(file, number, "index '" + token.substring(0, colon) + "' is not an integer");
                    }
                    if (index < 1 || index > columns) {
                        throw malformed(file, number, "index " + index + " is outside 1.." + columns);
                    }
                    if (index <= previous) {
                        throw malformed(file, number, "index " + index + " does not increase (after " + previous + ")");
                    }
                    previous = index;
                    row[index - 1] = number(file, number, token.substring(colon + 1), "value of index " + index);
                }
                rows.add(row, label);
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows.table(file);
    }

    /**
     * Reads a scikit-learn style CSV: line 1 is {@code n,p,target names...}, then n lines of p features and
     * the target. The counts in the header are checked against the file.
     */
    public static Table countedCsv(Path file) {
        try (BufferedReader in = open(file);
                CSVParser parser = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(false).get().parse(in)) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                throw malformed(file, 1, "empty file; expected a header line 'n_samples,n_features,names...'");
            }
            CSVRecord header = records.next();
            if (header.size() < 2) {
                throw malformed(file, 1, "header '" + String.join(",", header.values())
                        + "' should be 'n_samples,n_features,target names...'");
            }
            int n = count(file, header.get(0), "n_samples");
            int p = count(file, header.get(1), "n_features");
            Growing rows = new Growing(p);
            while (records.hasNext()) {
                CSVRecord r = records.next();
                int number = (int) r.getRecordNumber();
                if (r.size() == 1 && r.get(0).isEmpty()) {
                    throw malformed(file, number, "empty line");
                }
                if (r.size() != p + 1) {
                    throw malformed(file, number, r.size() + " fields, expected " + (p + 1)
                            + " (" + p + " features and the target, as the header says)");
                }
                double[] row = new double[p];
                for (int j = 0; j < p; j++) {
                    row[j] = number(file, number, r.get(j), "feature " + (j + 1));
                }
                rows.add(row, number(file, number, r.get(p), "target"));
            }
            if (rows.size() != n) {
                throw new DatasetException(file + ": the header says " + n + " rows but the file has "
                        + rows.size() + "; the file is truncated or was edited");
            }
            return rows.table(file);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads whitespace-separated numbers (the UCI regression layout): each non-empty line, trimmed and
     * split on {@code \s+}, is the features followed by the target; every line must have as many fields
     * as the first.
     */
    public static Table whitespaceText(Path file) {
        Growing rows = null;
        try (BufferedReader in = open(file)) {
            String line;
            int number = 0;
            int fields = -1;
            while ((line = in.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] tokens = WHITESPACE.split(trimmed);
                if (fields < 0) {
                    if (tokens.length < 2) {
                        throw malformed(file, number, "one field; expected features followed by the target");
                    }
                    fields = tokens.length;
                    rows = new Growing(fields - 1);
                } else if (tokens.length != fields) {
                    throw malformed(file, number, tokens.length + " fields, but the first line has " + fields);
                }
                double[] row = new double[fields - 1];
                for (int j = 0; j < fields - 1; j++) {
                    row[j] = number(file, number, tokens[j], "field " + (j + 1));
                }
                rows.add(row, number(file, number, tokens[fields - 1], "target (field " + fields + ")"));
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (rows == null) {
            throw new DatasetException(file + ": no data lines");
        }
        return rows.table(file);
    }

    private static BufferedReader open(Path file) throws IOException {
        try {
            Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
            return (BufferedReader) reader;
        } catch (NoSuchFileException e) {
            throw new DatasetException("data file " + file + " does not exist");
        }
    }

    private static double number(Path file, int line, String text, String what) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw malformed(file, line, what + " '" + text + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw malformed(file, line, what + " '" + text + "' is not finite");
        }
        return v;
    }

    private static int count(Path file, String text, String what) {
        try {
            int v = Integer.parseInt(text);
            if (v < 1) {
                throw malformed(file, 1, what + " " + v + " in the header must be positive");
            }
            return v;
        } catch (NumberFormatException e) {
            throw malformed(file, 1, what + " '" + text + "' in the header is not an integer");
        }
    }

    private static DatasetException malformed(Path file, int line, String what) {
        return new DatasetException(file + ", line " + line + ": " + what);
    }

    /** Rows collected while reading. */
    private static final class Growing {
        private final int columns;
        private double[] x = new double[0];
        private double[] y = new double[16];
        private int n;

        Growing(int columns) {
            this.columns = columns;
            this.x = new double[16 * columns];
        }

        void add(double[] row, double label) {
            if (n == y.length) {
                y = java.util.Arrays.copyOf(y, 2 * n);
                x = java.util.Arrays.copyOf(x, 2 * n * columns);
            }
            System.arraycopy(row, 0, x, n * columns, columns);
            y[n++] = label;
        }

        int size() {
            return n;
        }

        Table table(Path file) {
            if (n == 0) {
                throw new DatasetException(file + ": no data lines");
            }
            return new Table(java.util.Arrays.copyOf(x, n * columns), java.util.Arrays.copyOf(y, n), n, columns);
        }
    }
}
