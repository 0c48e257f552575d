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
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads a numeric CSV file — one example per line, comma-separated, the label in the last column, an
 * optional header line (a first line that does not parse as numbers) — into dense inputs. Errors name the
 * file and line: a value that is not a number or not finite, a line with another column count, a label
 * the {@link LabelMapping} cannot use.
 */
public final class CsvReader {
    private final LabelMapping labels;
    private final double[] classValues;

    private CsvReader(LabelMapping labels, double[] classValues) {
        this.labels = labels;
        this.classValues = classValues;
    }

    /** A reader mapping labels with {@code labels}. */
    public static CsvReader of(LabelMapping labels) {
        return new CsvReader(Checks.notNull(labels, "label mapping"), null);
    }

    /** A copy mapping {@link LabelMapping#CLASSES} labels with a training file's classes (ascending). */
    public CsvReader withClasses(double[] values) {
        return new CsvReader(labels, values.clone());
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
        {
            String line;
            long number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (header && rows.isEmpty() && width < 0 && !numeric(cells[0].strip())) {
                    width = cells.length; // a header
                    continue;
                }
                if (width >= 0 && cells.length != width) {
                    throw new MalformedDataException(file, number, cells.length + " columns, expected " + width);
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
            throw new MalformedDataException(file, 0, "no examples");
        }
        int n = rows.size();
        int p = width - 1;
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, x, i * p, p);
            y[i] = rows.get(i)[p];
        }
        double[] classes = new double[0];
        if (labels == LabelMapping.BINARY) {
            for (int i = 0; i < n; i++) {
                if (y[i] == -1.0 || y[i] == 0.0) {
                    y[i] = 0;
                } else if (y[i] != 1.0) {
                    throw new MalformedDataException(file, lines.get(i), "label " + y[i] + " is not usable for a "
                            + "two-class likelihood: use +1/-1 or 1/0");
                }
            }
        } else if (labels == LabelMapping.CLASSES) {
            double[] values = classValues;
            if (values == null) {
                TreeSet<Double> seen = new TreeSet<>();
                for (double v : y) {
                    seen.add(v);
                }
                values = seen.stream().mapToDouble(Double::doubleValue).toArray();
            }
            for (int i = 0; i < n; i++) {
                int c = Arrays.binarySearch(values, y[i]);
                if (c < 0 || y[i] != Math.rint(y[i])) {
                    throw new MalformedDataException(file, lines.get(i), "label " + y[i] + " is not an integer "
                            + "class of " + Arrays.toString(values));
                }
                y[i] = c;
            }
            classes = values;
        }
        return new LabeledData(file, null, x, p, y, classes);
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
