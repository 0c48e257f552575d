package io.github.natgrad.data;

import io.github.natgrad.Checks;
import io.github.natgrad.CsrMatrix;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
    private final int threads;
    private final long parallelBytes;

    private LibsvmReader(LabelMapping labels, int columns, double[] classValues, int threads) {
        this(labels, columns, classValues, threads, PARALLEL_BYTES);
    }

    private LibsvmReader(LabelMapping labels, int columns, double[] classValues, int threads, long parallelBytes) {
        this.labels = labels;
        this.columns = columns;
        this.classValues = classValues;
        this.threads = threads;
        this.parallelBytes = parallelBytes;
    }

    /** A copy that reads in parts from files of {@code bytes} on (tests: the parts of small files). */
    LibsvmReader withParallelFrom(long bytes) {
        return new LibsvmReader(labels, columns, classValues, threads, bytes);
    }

    /**
     * A reader mapping labels with {@code labels}; the column count is the largest index in the file. A large file
     * is parsed by one thread per available processor (at most 8; {@link #withThreads}).
     */
    public static LibsvmReader of(LabelMapping labels) {
        return new LibsvmReader(Checks.notNull(labels, "label mapping"), 0, null,
                Runtime.getRuntime().availableProcessors());
    }

    /** A copy reading exactly {@code p} columns: an index above p is an error naming its line. */
    public LibsvmReader withColumns(int p) {
        return new LibsvmReader(labels, Checks.atLeastOne(p, "columns"), classValues, threads, parallelBytes);
    }

    /** A copy mapping {@link LabelMapping#CLASSES} labels with a training file's classes (ascending). */
    public LibsvmReader withClasses(double[] values) {
        return new LibsvmReader(labels, columns, values.clone(), threads, parallelBytes);
    }

    /**
     * A copy that parses a file of at least 8 MiB with up to {@code count} threads (1: on the calling thread only),
     * each on its own part of the file; the result is the same for every count.
     */
    public LibsvmReader withThreads(int count) {
        return new LibsvmReader(labels, columns, classValues, Checks.atLeastOne(count, "threads"), parallelBytes);
    }

    /**
     * Reads the file. Two passes over its bytes: the first counts lines and ':' separators, so that the CSR
     * arrays are allocated once at their final size (peak memory ≈ the matrix itself, 12 bytes a stored entry);
     * a file of at least 8 MiB is cut at line ends into one part per thread, each counted and parsed into its own
     * region of the arrays;
     * the second parses, numbers in the common decimal form by an exact fast path (≤ 15 significant digits and
     * a power of ten ≤ 10²², one correctly rounded operation, the same double as {@link Double#parseDouble}),
     * any other form by {@link Double#parseDouble}.
     */
    public LabeledData read(Path file) {
        Checks.notNull(file, "file");
        int parts = Math.min(threads, 8);
        try {
            if (parts > 1 && Files.size(file) >= parallelBytes) {
                return readParallel(file, parts);
            }
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, 0, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
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
        Csr arrays = allocate(file, counts[0] + 1, counts[1]);
        try (InputStream in = source.open()) {
            long[] part = parse(file, in, 0, arrays, 0, 0, arrays.y.length, arrays.col.length);
            return finish(file, arrays, (int) part[0], (int) part[1], (int) part[2]);
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, 0, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The CSR arrays and labels being filled. */
    private static final class Csr {
        final int[] start;
        final int[] col;
        final double[] val;
        final double[] y;

        Csr(int lines, int entries) {
            start = new int[lines + 1];
            col = new int[entries];
            val = new double[entries];
            y = new double[lines];
        }
    }

    private static Csr allocate(Path file, long lines, long entries) {
        if (entries > Integer.MAX_VALUE - 8 || lines > Integer.MAX_VALUE - 8) {
            throw new MalformedDataException(file, 0, "more than " + (Integer.MAX_VALUE - 8) + " lines or stored "
                    + "entries; split the file");
        }
        return new Csr((int) lines, (int) entries);
    }

    /** Below this size a file is read by one thread (the threads' start costs more than they save). */
    static final long PARALLEL_BYTES = 8L << 20;

    /**
     * A file of at least {@link #PARALLEL_BYTES} is cut at line ends into one part per thread (at most the
     * available processors, at most 8); each thread counts, then parses its part into its own region of the
     * shared CSR arrays (the count pass gives each part's offsets), so the matrix is never copied. The threads
     * end before this returns. An error names the earliest malformed line of the file.
     */
    private LabeledData readParallel(Path file, int parts) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long[] bounds = new long[parts + 1];
            bounds[parts] = size;
            for (int k = 1; k < parts; k++) {
                bounds[k] = Math.max(bounds[k - 1], afterNewline(channel, size * k / parts, size));
            }
            long[][] counts = new long[parts][];
            inParallel(file, parts, k -> counts[k] = count(file, () -> range(channel, bounds[k], bounds[k + 1])));
            long lines = 0;
            long entries = 0;
            long[] rowOffset = new long[parts + 1];
            long[] entryOffset = new long[parts + 1];
            long[] firstLine = new long[parts + 1];
            for (int k = 0; k < parts; k++) {
                // a part's examples: its newlines, plus one for a last line without '\n'
                long partLines = counts[k][0] + (counts[k][2] != 0 ? 1 : 0);
                rowOffset[k + 1] = rowOffset[k] + partLines;
                entryOffset[k + 1] = entryOffset[k] + counts[k][1];
                firstLine[k + 1] = firstLine[k] + counts[k][0];
                lines += partLines;
                entries += counts[k][1];
            }
            Csr arrays = allocate(file, lines, entries);
            long[][] parsed = new long[parts][];
            inParallel(file, parts, k -> {
                try (InputStream in = range(channel, bounds[k], bounds[k + 1])) {
                    parsed[k] = parse(file, in, firstLine[k], arrays, (int) rowOffset[k], (int) entryOffset[k],
                            (int) rowOffset[k + 1], (int) entryOffset[k + 1]);
                }
            });
            // close the gaps that blank lines, comments and zero values left between the parts (none in most files)
            int n = 0;
            int nnz = 0;
            int maxIndex = 0;
            for (int k = 0; k < parts; k++) {
                int rows = (int) parsed[k][0];
                int stored = (int) parsed[k][1];
                int from = (int) rowOffset[k];
                int shift = (int) entryOffset[k] - nnz;
                if (from != n || shift != 0) {
                    System.arraycopy(arrays.y, from, arrays.y, n, rows);
                    for (int r = 1; r <= rows; r++) {
                        arrays.start[n + r] = arrays.start[from + r] - shift;
                    }
                    System.arraycopy(arrays.col, (int) entryOffset[k], arrays.col, nnz, stored);
                    System.arraycopy(arrays.val, (int) entryOffset[k], arrays.val, nnz, stored);
                }
                n += rows;
                nnz += stored;
                maxIndex = Math.max(maxIndex, (int) parsed[k][2]);
            }
            return finish(file, arrays, n, nnz, maxIndex);
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, 0, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A part's work, k = 0 … parts − 1. */
    @FunctionalInterface
    private interface Part {
        void run(int k) throws IOException;
    }

    /**
     * Runs parts 1 … parts − 1 on their own threads and part 0 on this one, waits for all, and rethrows the error of
     * the earliest part that failed (the earliest malformed line).
     */
    private static void inParallel(Path file, int parts, Part part) throws IOException {
        Throwable[] errors = new Throwable[parts];
        Thread[] threads = new Thread[parts];
        for (int k = 1; k < parts; k++) {
            int index = k;
            threads[k] = new Thread(() -> {
                try {
                    part.run(index);
                } catch (Throwable t) {
                    errors[index] = t;
                }
            }, "natgrad-libsvm-" + k);
            threads[k].setDaemon(true);
            threads[k].start();
        }
        try {
            part.run(0);
        } catch (Throwable t) {
            errors[0] = t;
        }
        boolean interrupted = false;
        for (int k = 1; k < parts; k++) {
            while (true) {
                try {
                    threads[k].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable t : errors) {
            if (t instanceof IOException e) {
                throw e;
            } else if (t instanceof RuntimeException e) {
                throw e;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException("reading " + file + " failed", t);
            }
        }
    }

    /** The position after the first '\n' at or after {@code from} (or {@code size}). */
    private static long afterNewline(FileChannel channel, long from, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        long pos = from;
        while (pos < size) {
            b.clear();
            int r = channel.read(b, pos);
            if (r <= 0) {
                break;
            }
            for (int i = 0; i < r; i++) {
                if (b.get(i) == '\n') {
                    return pos + i + 1;
                }
            }
            pos += r;
        }
        return size;
    }

    /** The bytes [from, to) of the file, by positional reads (the channel is shared by the threads). */
    private static InputStream range(FileChannel channel, long from, long to) {
        return new InputStream() {
            private long pos = from;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= to) {
                    return -1;
                }
                int r = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, to - pos)), pos);
                if (r > 0) {
                    pos += r;
                }
                return r;
            }
        };
    }

    /**
     * Parses the examples of {@code in} (whose first line is line {@code lineBefore} + 1 of the file) into rows
     * {@code row0} … and entries {@code entry0} … of {@code a}, below {@code rowEnd} and {@code entryEnd}; returns
     * {rows, stored entries, largest index}. start[row0] is the caller's.
     */
    private long[] parse(Path file, InputStream in, long lineBefore, Csr a, int row0, int entry0, int rowEnd,
            int entryEnd) throws IOException {
        int[] start = a.start;
        int[] col = a.col;
        double[] val = a.val;
        double[] y = a.y;
        int n = row0;
        int nnz = entry0;
        start[row0] = entry0;
        int maxIndex = 0;
        byte[] buf = new byte[1 << 20];
        int filled = 0;
        int from = 0;
        long number = lineBefore;
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
                    buf = java.util.Arrays.copyOf(buf, 2 * buf.length);
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
            if (n == rowEnd) {
                throw changed(file, number);
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
                    if (nnz == entryEnd) {
                        throw changed(file, number);
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
        return new long[] {n - row0, nnz - entry0, maxIndex};
    }

    private static MalformedDataException changed(Path file, long line) {
        return new MalformedDataException(file, line, "more lines or entries than the first pass counted: the file "
                + "changed while it was read; read it again when nothing writes to it");
    }

    /** The examples 0 … n − 1 as {@link LabeledData}: labels mapped, arrays kept when they have the exact size. */
    private LabeledData finish(Path file, Csr a, int n, int nnz, int maxIndex) {
        if (n == 0) {
            throw new MalformedDataException(file, 0, "no examples (the file is empty or only comments)");
        }
        double[] labelsOut = a.y.length == n ? a.y : java.util.Arrays.copyOf(a.y, n);
        double[] classes = mapLabels(file, labelsOut);
        int p = columns > 0 ? columns : Math.max(1, maxIndex);
        // exact-size arrays are kept as they are (no copy): the usual case, a file without zeros or comments
        CsrMatrix x = CsrMatrix.of(n, p, a.start.length == n + 1 ? a.start : java.util.Arrays.copyOf(a.start, n + 1),
                a.col.length == nnz ? a.col : java.util.Arrays.copyOf(a.col, nnz),
                a.val.length == nnz ? a.val : java.util.Arrays.copyOf(a.val, nnz));
        return new LabeledData(file, x, null, p, labelsOut, classes);
    }

    /** {newlines, ':' count, 1 if the last byte is not '\n' (a last line without its end)}: the bounds of a part. */
    private static long[] count(Path file, Source source) {
        long lines = 0;
        long colons = 0;
        int last = '\n';
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
                if (r > 0) {
                    last = buf[r - 1];
                }
            }
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, 0, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new long[] {lines, colons, last != '\n' ? 1 : 0};
    }

    private double[] mapLabels(Path file, double[] y) {
        return labels.apply(file, y, classValues, i -> lineOf(file, i));
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
