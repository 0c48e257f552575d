package io.github.natgrad.data;

import io.github.natgrad.Checks;
import io.github.natgrad.CsrMatrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * Reads a LIBSVM / svmlight file — {@code <label> <index>:<value> ...} per line, indices 1-based and
 * strictly increasing, missing ones meaning 0, {@code #} starting a comment — into a CSR matrix without ever
 * forming the dense N × p array (memory O(nnz + N)). Any user's file, not only natgrad's datasets.
 *
 * <p>Errors name the file and line ({@link MalformedDataException}): an index that is 0, negative, not an
 * integer or not increasing, a value that is not a number (or NaN / infinite), a label the mapping cannot
 * use, an index above a fixed column count. Immutable configuration:
 * <pre>{@code
 * LabeledData train = LibsvmReader.of(LabelMapping.BINARY).read(Path.of("a1a"));
 * LabeledData test = LibsvmReader.of(LabelMapping.BINARY).withColumns(train.columns()).read(Path.of("a1a.t"));
 * }</pre>
 */
public final class LibsvmReader {
    private final LabelMapping labels;
    private final int columns;
    private final double[] classValues;

    private LibsvmReader(LabelMapping labels, int columns, double[] classValues) {
        this.labels = labels;
        this.columns = columns;
        this.classValues = classValues;
    }

    /** A reader mapping labels with {@code labels}; the column count is the largest index in the file. */
    public static LibsvmReader of(LabelMapping labels) {
        return new LibsvmReader(Checks.notNull(labels, "label mapping"), 0, null);
    }

    /** A copy reading exactly {@code p} columns: an index above p is an error naming its line. */
    public LibsvmReader withColumns(int p) {
        return new LibsvmReader(labels, Checks.atLeastOne(p, "columns"), classValues);
    }

    /** A copy mapping {@link LabelMapping#CLASSES} labels with a training file's classes (ascending). */
    public LibsvmReader withClasses(double[] values) {
        return new LibsvmReader(labels, columns, values.clone());
    }

    /** Reads the file. */
    public LabeledData read(Path file) {
        Checks.notNull(file, "file");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file, in);
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, 0, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads examples from {@code in} (e.g. one split of a file on a cluster), naming {@code name} and the line
     * within {@code in} in errors. A label the mapping cannot use is reported at its line as it is read.
     */
    public LabeledData read(Path name, BufferedReader in) throws IOException {
        Path file = Checks.notNull(name, "name");
        int[] start = new int[1025];
        int[] col = new int[4096];
        double[] val = new double[4096];
        double[] y = new double[1024];
        int n = 0;
        int nnz = 0;
        int maxIndex = 0;
        {
            String line;
            long number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                int hash = line.indexOf('#');
                String s = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (s.isEmpty()) {
                    continue;
                }
                int pos = 0;
                int len = s.length();
                int end = nextSpace(s, pos);
                double label = parse(file, number, s.substring(pos, end), "label");
                if (labels == LabelMapping.BINARY && label != 1.0 && label != -1.0 && label != 0.0) {
                    throw new MalformedDataException(file, number, "label " + label + " is not usable for a "
                            + "two-class likelihood (bernoulli, probit): use +1/-1 or 1/0, or --model softmax");
                }
                if (n == y.length) {
                    y = Arrays.copyOf(y, 2 * n);
                    start = Arrays.copyOf(start, 2 * n + 1);
                }
                y[n] = label;
                int previous = 0;
                pos = skipSpace(s, end);
                while (pos < len) {
                    end = nextSpace(s, pos);
                    int colon = s.indexOf(':', pos);
                    if (colon < 0 || colon >= end - 1 || colon == pos) {
                        throw new MalformedDataException(file, number, "'" + s.substring(pos, end)
                                + "' is not <index>:<value>");
                    }
                    int index;
                    try {
                        index = Integer.parseInt(s, pos, colon, 10);
                    } catch (NumberFormatException e) {
                        throw new MalformedDataException(file, number, "feature index '" + s.substring(pos, colon)
                                + "' is not an integer");
                    }
                    if (index <= 0) {
                        throw new MalformedDataException(file, number, "feature index " + index
                                + "; LIBSVM indices start at 1");
                    }
                    if (index <= previous) {
                        throw new MalformedDataException(file, number, "feature index " + index + " after " + previous
                                + "; indices must be strictly increasing within a line");
                    }
                    if (columns > 0 && index > columns) {
                        throw new MalformedDataException(file, number, "feature index " + index + " but the data "
                                + "has " + columns + " columns (the training data's count); read both files with "
                                + "the larger count");
                    }
                    double value = parse(file, number, s.substring(colon + 1, end), "value of feature " + index);
                    previous = index;
                    if (value != 0) {
                        if (nnz == col.length) {
                            col = Arrays.copyOf(col, 2 * nnz);
                            val = Arrays.copyOf(val, 2 * nnz);
                        }
                        col[nnz] = index - 1;
                        val[nnz++] = value;
                    }
                    maxIndex = Math.max(maxIndex, index);
                    pos = skipSpace(s, end);
                }
                n++;
                start[n] = nnz;
            }
            if (n == 0) {
                throw new MalformedDataException(file, 0, "no examples (the file is empty or only comments)");
            }
            double[] labelsOut = Arrays.copyOf(y, n);
            double[] classes = mapLabels(file, labelsOut);
            int p = columns > 0 ? columns : Math.max(1, maxIndex);
            CsrMatrix x = CsrMatrix.of(n, p, Arrays.copyOf(start, n + 1), Arrays.copyOf(col, nnz),
                    Arrays.copyOf(val, nnz));
            return new LabeledData(file, x, null, p, labelsOut, classes);
        }
    }

    private double[] mapLabels(Path file, double[] y) {
        switch (labels) {
            case BINARY:
                for (int i = 0; i < y.length; i++) {
                    if (y[i] == 1.0) {
                        y[i] = 1.0;
                    } else if (y[i] == -1.0 || y[i] == 0.0) {
                        y[i] = 0.0;
                    } else {
                        throw new MalformedDataException(file, lineOf(file, i), "label " + y[i] + " is not usable for a "
                                + "two-class likelihood (bernoulli, probit): use +1/-1 or 1/0, or --model softmax");
                    }
                }
                return new double[0];
            case CLASSES: {
                double[] values = classValues;
                if (values == null) {
                    TreeSet<Double> seen = new TreeSet<>();
                    for (double v : y) {
                        seen.add(v);
                    }
                    values = seen.stream().mapToDouble(Double::doubleValue).toArray();
                }
                for (int i = 0; i < y.length; i++) {
                    int c = Arrays.binarySearch(values, y[i]);
                    if (y[i] != Math.rint(y[i]) || c < 0) {
                        throw new MalformedDataException(file, lineOf(file, i), "label " + y[i] + " is not "
                                + (c < 0 ? "one of the training classes " + Arrays.toString(values)
                                        : "an integer class label"));
                    }
                    y[i] = c;
                }
                return values;
            }
            default:
                return new double[0];
        }
    }

    /** The line of example i (counting only non-empty, non-comment lines), found by re-reading: errors only. */
    private static long lineOf(Path file, int example) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            int seen = -1;
            while ((line = in.readLine()) != null) {
                number++;
                int hash = line.indexOf('#');
                if (!(hash >= 0 ? line.substring(0, hash) : line).isBlank() && ++seen == example) {
                    return number;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static double parse(Path file, long line, String token, String what) {
        double v;
        try {
            v = Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new MalformedDataException(file, line, what + " '" + token + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new MalformedDataException(file, line, what + " is " + token + "; values must be finite");
        }
        return v;
    }

    private static int nextSpace(String s, int from) {
        int i = from;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
