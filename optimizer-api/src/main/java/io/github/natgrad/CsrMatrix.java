package io.github.natgrad;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An immutable sparse matrix in compressed sparse row (CSR) form: row i holds the entries
 * {@code values[k]} at columns {@code columnIndex[k]} for {@code rowStart[i] ≤ k < rowStart[i + 1]},
 * with column indices 0-based and strictly increasing within a row. Memory is O(nnz + rows).
 *
 * <p>Validated once when made (shapes, index order and range, NaN and infinities, naming the row and
 * entry of the first bad value). The arrays are the matrix's own: read them, never write them.
 */
public final class CsrMatrix {
    private final int rows;
    private final int columns;
    private final int[] rowStart;
    private final int[] columnIndex;
    private final double[] values;

    private CsrMatrix(int rows, int columns, int[] rowStart, int[] columnIndex, double[] values) {
        this.rows = rows;
        this.columns = columns;
        this.rowStart = rowStart;
        this.columnIndex = columnIndex;
        this.values = values;
    }

    /**
     * A CSR matrix from its three arrays, taken as they are (not copied): the caller must not change them.
     *
     * @throws IllegalArgumentException if the arrays are inconsistent, a column index is out of range or
     *                                  not strictly increasing within its row, or a value is not finite
     */
    public static CsrMatrix of(int rows, int columns, int[] rowStart, int[] columnIndex, double[] values) {
        Require.notNull(rowStart, "rowStart");
        Require.notNull(columnIndex, "columnIndex");
        Require.notNull(values, "values");
        if (rows < 0 || columns < 1) {
            throw new IllegalArgumentException("a CSR matrix needs rows >= 0 and columns >= 1, got " + rows + " x "
                    + columns);
        }
        if (rowStart.length != rows + 1 || rowStart[0] != 0) {
            throw new IllegalArgumentException("rowStart must have rows + 1 = " + (rows + 1)
                    + " entries starting at 0, got " + rowStart.length + " entries");
        }
        if (columnIndex.length != values.length || rowStart[rows] != values.length) {
            throw new IllegalArgumentException("CSR arrays disagree: rowStart[rows] = " + rowStart[rows] + ", "
                    + columnIndex.length + " column indices, " + values.length + " values");
        }
        for (int i = 0; i < rows; i++) {
            if (rowStart[i + 1] < rowStart[i]) {
                throw new IllegalArgumentException("rowStart decreases at row " + i);
            }
            int previous = -1;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                int c = columnIndex[k];
                if (c <= previous || c >= columns) {
                    throw new IllegalArgumentException("row " + i + " entry " + (k - rowStart[i]) + ": column index "
                            + c + (c >= columns ? " is outside [0, " + columns + ")"
                                    : " does not increase (previous " + previous + ")"));
                }
                if (!Double.isFinite(values[k])) {
                    throw new IllegalArgumentException("x[" + i + "][" + c + "] is " + values[k]
                            + "; inputs must be finite (remove or impute the value)");
                }
                previous = c;
            }
        }
        return new CsrMatrix(rows, columns, rowStart, columnIndex, values);
    }

    /** The non-zero entries of a dense row-major n × p array (zeros dropped). */
    public static CsrMatrix fromDense(double[] x, int n, int p) {
        if (x.length != (long) n * p) {
            throw new IllegalArgumentException("dense array holds " + x.length + " values, expected " + n + "*" + p);
        }
        int nnz = 0;
        for (double v : x) {
            if (v != 0) {
                nnz++;
            }
        }
        int[] start = new int[n + 1];
        int[] col = new int[nnz];
        double[] val = new double[nnz];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                double v = x[i * p + j];
                if (v != 0) {
                    col[k] = j;
                    val[k++] = v;
                }
            }
            start[i + 1] = k;
        }
        return of(n, p, start, col, val);
    }

    /** The non-zero entries of an N × p ND4J matrix (dense or sparse storage; read through doubles). */
    public static CsrMatrix fromNd4j(INDArray x) {
        Require.notNull(x, "x");
        if (x.rank() != 2) {
            throw new IllegalArgumentException("a CSR matrix is made from a matrix, got shape "
                    + Arrays.toString(x.shape()));
        }
        int n = Math.toIntExact(x.rows());
        int p = Math.toIntExact(x.columns());
        return fromDense(x.castTo(DataType.DOUBLE).dup('c').data().asDouble(), n, p);
    }

    /** The number of rows N. */
    public int rows() {
        return rows;
    }

    /** The number of columns p. */
    public int columns() {
        return columns;
    }

    /** The number of stored entries. */
    public long nonZeros() {
        return values.length;
    }

    /** Offsets of each row's first entry, length N + 1 (read only). */
    public int[] rowStart() {
        return rowStart;
    }

    /** Column index of each entry (read only). */
    public int[] columnIndex() {
        return columnIndex;
    }

    /** Value of each entry (read only). */
    public double[] values() {
        return values;
    }

    /** The same entries seen as a matrix of {@code newColumns} ≥ every stored column index + 1. */
    public CsrMatrix withColumns(int newColumns) {
        for (int c : columnIndex) {
            if (c >= newColumns) {
                throw new IllegalArgumentException("column index " + c + " does not fit in " + newColumns
                        + " columns");
            }
        }
        return new CsrMatrix(rows, newColumns, rowStart, columnIndex, values);
    }

    /** The rows at the given indices (repeats allowed), as a new matrix. */
    public CsrMatrix select(int[] indices) {
        int nnz = 0;
        for (int i : indices) {
            if (i < 0 || i >= rows) {
                throw new IllegalArgumentException("row index " + i + " is outside [0, " + rows + ")");
            }
            nnz += rowStart[i + 1] - rowStart[i];
        }
        int[] start = new int[indices.length + 1];
        int[] col = new int[nnz];
        double[] val = new double[nnz];
        int k = 0;
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            int len = rowStart[i + 1] - rowStart[i];
            System.arraycopy(columnIndex, rowStart[i], col, k, len);
            System.arraycopy(values, rowStart[i], val, k, len);
            k += len;
            start[r + 1] = k;
        }
        return new CsrMatrix(indices.length, columns, start, col, val);
    }

    /** A dense row-major copy, N × p (costs N·p memory). */
    public double[] toDense() {
        double[] x = new double[Math.multiplyExact(rows, columns)];
        for (int i = 0; i < rows; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                x[i * columns + columnIndex[k]] = values[k];
            }
        }
        return x;
    }

    /** Bytes held by the three arrays. */
    public long bytes() {
        return 4L * rowStart.length + 12L * values.length;
    }

    @Override
    public String toString() {
        return "CsrMatrix[" + rows + " x " + columns + ", " + values.length + " non-zeros]";
    }
}
