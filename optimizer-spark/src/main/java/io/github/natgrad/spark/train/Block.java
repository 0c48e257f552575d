package io.github.natgrad.spark.train;

import io.github.natgrad.Batch;
import io.github.natgrad.CsrMatrix;
import io.github.natgrad.data.CsvReader;
import io.github.natgrad.data.LabelMapping;
import io.github.natgrad.data.LabeledData;
import io.github.natgrad.data.LibsvmReader;
import io.github.natgrad.data.MalformedDataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * One partition of a training file, parsed once on its executor by the library's own reader
 * ({@link LibsvmReader} / {@link CsvReader}, so a line is read exactly as the local engine reads it) into a CSR
 * block (or dense rows) and labels, and cached there. A partition whose text is malformed holds the error and the
 * line within the split instead; the driver turns it into the file's line (see {@link SparkData}).
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    /** Lines of the split, blank and comment lines included (to number the lines of later splits). */
    long lines;
    String error;
    long errorLine;
    int rows;
    int maxColumns;
    int[] rowStart;
    int[] columnIndex;
    double[] values;
    double[] dense;
    double[] y;
    double[] labels;

    private Block(int partition) {
        this.partition = partition;
    }

    /**
     * Parses the lines of one split; {@code mapping} REAL for the softmax (the classes are mapped once all
     * splits have been read) and for the linear model.
     */
    static Block parse(int partition, Iterator<String> text, String file, boolean csv, LabelMapping mapping) {
        Block b = new Block(partition);
        LineReader lines = new LineReader(text);
        LabelMapping read = mapping == LabelMapping.CLASSES ? LabelMapping.REAL : mapping;
        try (BufferedReader in = new BufferedReader(lines)) {
            LabeledData d = csv ? CsvReader.of(read).read(Path.of(file), in, partition == 0)
                    : LibsvmReader.of(read).read(Path.of(file), in);
            b.rows = d.rows();
            b.y = d.y();
            if (d.x() != null) {
                b.maxColumns = d.columns();
                b.rowStart = d.x().rowStart();
                b.columnIndex = d.x().columnIndex();
                b.values = d.x().values();
                int max = 0;
                for (int c : b.columnIndex) {
                    max = Math.max(max, c + 1);
                }
                b.maxColumns = max;
            } else {
                b.maxColumns = d.columns();
                b.dense = d.dense();
            }
            if (mapping == LabelMapping.CLASSES) {
                TreeSet<Double> seen = new TreeSet<>();
                for (double v : b.y) {
                    seen.add(v);
                }
                b.labels = seen.stream().mapToDouble(Double::doubleValue).toArray();
            }
        } catch (MalformedDataException e) {
            String message = e.getMessage();
            String prefix = file + (e.line() > 0 ? ":" + e.line() : "") + ": ";
            b.error = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
            b.errorLine = e.line();
            if (e.line() == 0 && message.contains("no examples")) {
                b.error = null; // an empty split (a small file in many partitions)
                b.rows = 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (text.hasNext()) {
            text.next();
            lines.count++;
        }
        b.lines = lines.count;
        return b;
    }

    /** The block as a batch of {@code columns} inputs, labels mapped to the {@code classes} (softmax) if given. */
    Batch batch(int columns, double[] classes) {
        double[] labels = y;
        if (classes != null) {
            labels = new double[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = Arrays.binarySearch(classes, y[i]);
            }
        }
        if (dense != null) {
            return Batch.wrap(dense, labels, rows, columns);
        }
        return Batch.of(CsrMatrix.of(rows, columns, rowStart, columnIndex, values), labels);
    }

    /** A reader over an iterator of lines (Spark's text partition), counting them. */
    private static final class LineReader extends Reader {
        private final Iterator<String> lines;
        private String current = "";
        private int pos;
        private boolean pendingNewline;
        long count;

        LineReader(Iterator<String> lines) {
            this.lines = lines;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            int written = 0;
            while (written < len) {
                if (pos < current.length()) {
                    int k = Math.min(len - written, current.length() - pos);
                    current.getChars(pos, pos + k, buf, off + written);
                    pos += k;
                    written += k;
                } else if (pendingNewline) {
                    buf[off + written++] = '\n';
                    pendingNewline = false;
                } else if (lines.hasNext()) {
                    current = lines.next();
                    pos = 0;
                    pendingNewline = true;
                    count++;
                } else {
                    break;
                }
            }
            return written == 0 ? -1 : written;
        }

        @Override
        public void close() {
        }
    }
}
