package io.github.natgrad.data;

import io.github.natgrad.Checks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a numeric table — one example per line, the label in the last column — into dense inputs. Two
 * separators: commas ({@link #of}) or runs of whitespace ({@link #whitespace}, the UCI regression files of
 * Hernández-Lobato and Adams); blank lines are skipped. Two kinds of first line: an optional header (a first
 * line that does not parse as numbers), or with {@link #withCountHeader()} scikit-learn's
 * {@code n_samples,n_features,target names...} line, whose counts are checked against the file.
 * Every value is {@link Double#parseDouble} of the stripped field. Errors ({@link MalformedDataException})
 * name the file and line: a value that is not a number or not finite, a line with another column count, a
 * label the {@link LabelMapping} cannot use, a count header the file does not match.
 */
public final class CsvReader {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final LabelMapping labels;
    private final double[] classValues;
    private final boolean whitespace;
    private final boolean countHeader;

    private CsvReader(LabelMapping labels, double[] classValues, boolean whitespace, boolean countHeader) {
        this.labels = labels;
        this.classValues = classValues;
        this.whitespace = whitespace;
        this.countHeader = countHeader;
    }

    /** A reader of comma-separated lines mapping labels with {@code labels}. */
    public static CsvReader of(LabelMapping labels) {
        return new CsvReader(Checks.notNull(labels, "label mapping"), null, false, false);
    }

    /** A reader of whitespace-separated lines (fields split on {@code \s+} after stripping the line). */
    public static CsvReader whitespace(LabelMapping labels) {
        return new CsvReader(Checks.notNull(labels, "label mapping"), null, true, false);
    }

    /** A copy mapping {@link LabelMapping#CLASSES} labels with a training file's classes (ascending). */
    public CsvReader withClasses(double[] values) {
        return new CsvReader(labels, values.clone(), whitespace, countHeader);
    }

    /**
     * A copy whose first non-blank line is scikit-learn's count header {@code n_samples,n_features,names...}
     * (its {@code load_breast_cancer} / {@code load_wine} files): every example must then have n_features
     * inputs and the label, and the file exactly n_samples examples.
     */
    public CsvReader withCountHeader() {
        return new CsvReader(labels, classValues, whitespace, true);
    }

    /** Reads the file. */
    public LabeledData read(Path file) {
        Checks.notNull(file, "file");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file, in, true);
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, 0, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads examples from {@code in} (e.g. one split of a file on a cluster), naming {@code name} and the line
     * within {@code in} in errors; with {@code header}, a first line that is not numeric is a header (only the
     * first split of a file may have one: elsewhere such a line is an error).
     */
    public LabeledData read(Path name, BufferedReader in, boolean header) throws IOException {
        Path file = Checks.notNull(name, "name");
        List<double[]> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        int width = -1;
        int expectedRows = -1;
        {
            String line;
            long number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = whitespace ? WHITESPACE.split(line.strip()) : line.split(",", -1);
                if (countHeader && expectedRows < 0) {
                    if (cells.length < 2) {
                        throw new MalformedDataException(file, number, "header '" + line.strip()
                                + "' should be 'n_samples,n_features,target names...'");
                    }
                    expectedRows = count(file, number, cells[0].strip(), "n_samples");
                    width = count(file, number, cells[1].strip(), "n_features") + 1;
                    continue;
                }
                if (header && !countHeader && rows.isEmpty() && width < 0 && !numeric(cells[0].strip())) {
                    width = cells.length; // a header
                    continue;
                }
                if (width >= 0 && cells.length != width) {
                    throw new MalformedDataException(file, number, cells.length + " columns, expected " + width
                            + (countHeader ? " (the header's n_features inputs and the label)"
                                    : rows.isEmpty() ? " (as the header)" : " (as the first example)"));
                }
                width = cells.length;
                if (width < 2) {
                    throw new MalformedDataException(file, number, "a line needs at least one input and the label");
                }
                double[] row = new double[width];
                for (int c = 0; c < width; c++) {
                    String cell = cells[c].strip();
                    try {
                        row[c] = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw new MalformedDataException(file, number, "column " + (c + 1) + " '" + cell
                                + "' is not a number");
                    }
                    if (!Double.isFinite(row[c])) {
                        throw new MalformedDataException(file, number, "column " + (c + 1) + " is " + cell
                                + "; values must be finite");
                    }
                }
                rows.add(row);
                lines.add(number);
            }
        }
        if (rows.isEmpty()) {
            throw new MalformedDataException(file, 0, "no examples (the file is empty or holds only a header)");
        }
        if (expectedRows >= 0 && rows.size() != expectedRows) {
            throw new MalformedDataException(file, 0, "the header says " + expectedRows + " rows but the file has "
                    + rows.size() + "; the file is truncated or was edited");
        }
        int n = rows.size();
        int p = width - 1;
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, x, i * p, p);
            y[i] = rows.get(i)[p];
        }
        double[] classes = labels.apply(file, y, classValues, lines::get);
        return new LabeledData(file, null, x, p, y, classes);
    }

    private static int count(Path file, long line, String text, String what) {
        int v;
        try {
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MalformedDataException(file, line, what + " '" + text + "' in the header is not an integer");
        }
        if (v < 1) {
            throw new MalformedDataException(file, line, what + " " + v + " in the header must be positive");
        }
        return v;
    }

    private static boolean numeric(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
