package io.github.natgrad.data;

import io.github.natgrad.Checks;
import io.github.natgrad.CsrMatrix;
import java.io.BufferedReader;
import java.io.InputStream;
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

    /**
     * Reads the file. Two passes over its bytes: the first counts lines and ':' separators, so that the CSR
     * arrays are allocated once at their final size (peak memory ≈ the matrix itself, 12 bytes a stored entry);
     * the second parses, numbers in the common decimal form by an exact fast path (≤ 15 significant digits and
     * a power of ten ≤ 10²², one correctly rounded operation, the same double as {@link Double#parseDouble}),
     * any other form by {@link Double#parseDouble}.
     */
    public LabeledData read(Path file) {
        Checks.notNull(file, "file");
        return read(file, () -> Files.newInputStream(file));
    }

    /**
     * Reads examples from {@code in} (e.g. one split of a file on a cluster), naming {@code name} and the line
     * within {@code in} in errors. A label the mapping cannot use is reported at its line as it is read.
     */
    public LabeledData read(Path name, BufferedReader in) throws IOException {
        Path file = Checks.notNull(name, "name");
        StringBuilder text = new StringBuilder();
        char[] chars = new char[1 << 16];
        for (int r; (r = in.read(chars)) >= 0; ) {
            text.append(chars, 0, r);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        return read(file, () -> new java.io.ByteArrayInputStream(bytes));
    }

    /** Opens the bytes to read, once to count and once to parse. */
    @FunctionalInterface
    private interface Source {
        InputStream open() throws IOException;
    }

    private LabeledData read(Path file, Source source) {
        long[] counts = count(file, source);
        int lines = (int) Math.min(Integer.MAX_VALUE - 8, counts[0] + 1);
        if (counts[1] > Integer.MAX_VALUE - 8) {
            throw new MalformedDataException(file, 0, "more than " + (Integer.MAX_VALUE - 8) + " stored entries; "
                    + "split the file");
        }
        int[] start = new int[lines + 1];
        int[] col = new int[(int) counts[1]];
        double[] val = new double[(int) counts[1]];
        double[] y = new double[lines];
        int n = 0;
        int nnz = 0;
        int maxIndex = 0;
        try (InputStream in = source.open()) {
            byte[] buf = new byte[1 << 20];
            int filled = 0;
            int from = 0;
            long number = 0;
            boolean eof = false;
            while (true) {
                int nl = -1;
                for (int i = from; i < filled; i++) {
                    if (buf[i] == '\n') {
                        nl = i;
                        break;
                    }
                }
                if (nl < 0 && !eof) {
                    // compact, grow for a long line, refill
                    System.arraycopy(buf, from, buf, 0, filled - from);
                    filled -= from;
                    from = 0;
                    if (filled == buf.length) {
                        buf = Arrays.copyOf(buf, 2 * buf.length);
                    }
                    int r = in.read(buf, filled, buf.length - filled);
                    if (r < 0) {
                        eof = true;
                    } else {
                        filled += r;
                    }
                    continue;
                }
                if (nl < 0 && from >= filled) {
                    break;
                }
                int lineEnd = nl < 0 ? filled : nl;
                number++;
                int e = lineEnd;
                for (int i = from; i < lineEnd; i++) {
                    if (buf[i] == '#') {
                        e = i;
                        break;
                    }
                }
                int pos = skipSpace(buf, from, e);
                from = nl < 0 ? filled : nl + 1;
                if (pos >= e) {
                    continue;
                }
                int end = nextSpace(buf, pos, e);
                double label = parse(file, number, buf, pos, end, "label");
                if (labels == LabelMapping.BINARY && label != 1.0 && label != -1.0 && label != 0.0) {
                    throw new MalformedDataException(file, number, "label " + label + " is not usable for a "
                            + "two-class likelihood (bernoulli, probit): use +1/-1 or 1/0, or --model softmax");
                }
                if (n == y.length) { // the count said fewer lines: cannot happen, but stay safe
                    y = Arrays.copyOf(y, 2 * n + 1);
                    start = Arrays.copyOf(start, 2 * n + 2);
                }
                y[n] = label;
                int previous = 0;
                pos = skipSpace(buf, end, e);
                while (pos < e) {
                    end = nextSpace(buf, pos, e);
                    int colon = -1;
                    for (int i = pos; i < end; i++) {
                        if (buf[i] == ':') {
                            colon = i;
                            break;
                        }
                    }
                    if (colon < 0 || colon >= end - 1 || colon == pos) {
                        throw new MalformedDataException(file, number, "'" + text(buf, pos, end)
                                + "' is not <index>:<value>");
                    }
                    int index = index(buf, pos, colon);
                    if (index == Integer.MIN_VALUE) {
                        try {
                            index = Integer.parseInt(text(buf, pos, colon));
                        } catch (NumberFormatException ex) {
                            throw new MalformedDataException(file, number, "feature index '" + text(buf, pos, colon)
                                    + "' is not an integer");
                        }
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
                    double value = parse(file, number, buf, colon + 1, end, "value of feature " + index);
                    previous = index;
                    if (value != 0) {
                        if (nnz == col.length) { // the count said fewer entries: cannot happen, but stay safe
                            col = Arrays.copyOf(col, 2 * nnz + 1);
                            val = Arrays.copyOf(val, 2 * nnz + 1);
                        }
                        col[nnz] = index - 1;
                        val[nnz++] = value;
                    }
                    maxIndex = Math.max(maxIndex, index);
                    pos = skipSpace(buf, end, e);
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
            // exact-size arrays are kept as they are (no copy): the usual case, a file without zeros or comments
            CsrMatrix x = CsrMatrix.of(n, p, start.length == n + 1 ? start : Arrays.copyOf(start, n + 1),
                    col.length == nnz ? col : Arrays.copyOf(col, nnz), val.length == nnz ? val : Arrays.copyOf(val, nnz));
            return new LabeledData(file, x, null, p, labelsOut, classes);
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, 0, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {lines, ':' count}: upper bounds of the examples and stored entries. */
    private static long[] count(Path file, Source source) {
        long lines = 0;
        long colons = 0;
        try (InputStream in = source.open()) {
            byte[] buf = new byte[1 << 20];
            int r;
            while ((r = in.read(buf)) >= 0) {
                for (int i = 0; i < r; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        lines++;
                    } else if (b == ':') {
                        colons++;
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, 0, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new long[] {lines, colons};
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

    private static String text(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }

    /** A plain run of decimal digits as an int, or {@link Integer#MIN_VALUE} for anything else (signs, overflow). */
    private static int index(byte[] buf, int from, int to) {
        if (to - from > 9) {
            return Integer.MIN_VALUE;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int c = buf[i] - '0';
            if (c < 0 || c > 9) {
                return Integer.MIN_VALUE;
            }
            v = 10 * v + c;
        }
        return v;
    }

    private static final double[] POWERS = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = p;
            p *= 10;
        }
    }

    /**
     * The double of a token: [sign] digits [. digits] [e [sign] digits] with at most 15 significant digits and
     * a decimal exponent of at most 22 in size is m·10^k or m/10^k with m and 10^k exact doubles — one correctly
     * rounded operation, so the same double as {@link Double#parseDouble} (Clinger 1990); anything else goes to
     * {@link Double#parseDouble}.
     */
    static double parseNumber(byte[] buf, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (buf[i] == '-' || buf[i] == '+')) {
            negative = buf[i] == '-';
            i++;
        }
        long m = 0;
        int digits = 0;
        int seen = 0;
        int exp10 = 0;
        boolean dot = false;
        for (; i < to; i++) {
            byte b = buf[i];
            if (b >= '0' && b <= '9') {
                seen++;
                if (m == 0 && b == '0') {
                    if (dot) {
                        exp10--;
                    }
                    continue;
                }
                if (++digits > 15) {
                    return Double.parseDouble(text(buf, from, to));
                }
                m = 10 * m + (b - '0');
                if (dot) {
                    exp10--;
                }
            } else if (b == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (seen == 0) {
            return Double.parseDouble(text(buf, from, to));
        }
        if (i < to) {
            if (buf[i] != 'e' && buf[i] != 'E' || i + 1 >= to) {
                return Double.parseDouble(text(buf, from, to));
            }
            i++;
            boolean expNegative = false;
            if (buf[i] == '-' || buf[i] == '+') {
                expNegative = buf[i] == '-';
                i++;
            }
            if (i >= to || to - i > 4) {
                return Double.parseDouble(text(buf, from, to));
            }
            int e = 0;
            for (; i < to; i++) {
                int c = buf[i] - '0';
                if (c < 0 || c > 9) {
                    return Double.parseDouble(text(buf, from, to));
                }
                e = 10 * e + c;
            }
            exp10 += expNegative ? -e : e;
        }
        double v;
        if (m == 0) {
            v = 0.0;
        } else if (exp10 >= 0 && exp10 < POWERS.length) {
            v = m * POWERS[exp10];
        } else if (exp10 < 0 && -exp10 < POWERS.length) {
            v = m / POWERS[-exp10];
        } else {
            return Double.parseDouble(text(buf, from, to));
        }
        return negative ? -v : v;
    }

    private static double parse(Path file, long line, byte[] buf, int from, int to, String what) {
        double v;
        try {
            v = parseNumber(buf, from, to);
        } catch (NumberFormatException e) {
            throw new MalformedDataException(file, line, what + " '" + text(buf, from, to) + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new MalformedDataException(file, line, what + " is " + text(buf, from, to)
                    + "; values must be finite");
        }
        return v;
    }

    private static boolean space(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B || (b >= 0x1C && b <= 0x1F);
    }

    private static int nextSpace(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && !space(buf[i])) {
            i++;
        }
        return i;
    }

    private static int skipSpace(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && space(buf[i])) {
            i++;
        }
        return i;
    }
}
