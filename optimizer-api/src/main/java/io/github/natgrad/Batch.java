package io.github.natgrad;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An immutable batch of N examples: inputs {@code X} (N × p) and one label per example {@code y} (N).
 *
 * <p>Labels are real numbers for regression, 0/1 for Bernoulli likelihoods and a class index
 * 0…K−1 for categorical ones; the {@link Likelihood} checks their values. A batch is validated once,
 * when it is made (shapes, NaN and infinities, with the row and column of the first bad value), and
 * keeps a private row-major {@code double[]} copy of the data so that a step reads it without any
 * per-call ND4J overhead.
 *
 * <p>A batch is either dense ({@link #x()}) or sparse ({@link #csr()}, made by {@link #of(CsrMatrix, double[])}):
 * a sparse batch never holds an N × p array. Models that read sparse inputs (natgrad's generalised linear
 * and softmax models) check {@link #isSparse()}; a model that reads {@link #x()} of a sparse batch gets an
 * {@link IllegalStateException} saying so rather than a silent N × p copy.
 */
public final class Batch {
    private final double[] x;
    private final double[] y;
    private final int rows;
    private final int columns;
    private final CsrMatrix csr;

    private Batch(double[] x, double[] y, int rows, int columns) {
        this(x, y, rows, columns, null);
    }

    private Batch(double[] x, double[] y, int rows, int columns, CsrMatrix csr) {
        this.x = x;
        this.y = y;
        this.rows = rows;
        this.columns = columns;
        this.csr = csr;
    }

    /**
     * A sparse batch: the CSR matrix of inputs (N × p, already validated) and N labels, taken as they are.
     *
     * @throws IllegalArgumentException if the batch is empty, the label count differs or a label is not finite
     */
    public static Batch of(CsrMatrix x, double[] y) {
        Require.notNull(x, "x");
        Require.notNull(y, "y");
        int n = x.rows();
        if (n == 0) {
            throw new IllegalArgumentException("empty batch: N = 0 examples; a step needs at least one example");
        }
        if (y.length != n) {
            throw new IllegalArgumentException("dimension mismatch: x has " + n + " rows but y has "
                    + y.length + " labels");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y[i])) {
                throw new IllegalArgumentException("batch label y[" + i + "] is " + y[i] + "; labels must be finite");
            }
        }
        return new Batch(null, y, n, x.columns(), x);
    }

    /** Whether the inputs are held sparse ({@link #csr()}) rather than dense ({@link #x()}). */
    public boolean isSparse() {
        return csr != null;
    }

    /**
     * The sparse inputs of a sparse batch.
     *
     * @throws IllegalStateException if the batch is dense
     */
    public CsrMatrix csr() {
        if (csr == null) {
            throw new IllegalStateException("this batch is dense; read x(), or make a sparse batch with "
                    + "Batch.of(CsrMatrix.fromDense(...), y)");
        }
        return csr;
    }

    /** The number of stored input values: N·p for a dense batch, the non-zeros for a sparse one. */
    public long nonZeros() {
        return csr != null ? csr.nonZeros() : (long) rows * columns;
    }

    /**
     * A batch from an N × p matrix of inputs and a vector of N labels (row or column vector), of any
     * numeric data type: the values are converted to double locally (ND4J's default data type is neither
     * read nor changed).
     *
     * @throws IllegalArgumentException if the shapes disagree, the batch is empty or a value is NaN or infinite
     */
    public static Batch of(INDArray x, INDArray y) {
        Require.notNull(x, "x");
        Require.notNull(y, "y");
        if (x.rank() != 2) {
            throw new IllegalArgumentException("batch inputs must be a matrix (N x p), got shape "
                    + Arrays.toString(x.shape()));
        }
        if (!y.isVector() && !(y.isScalar() && x.rows() == 1) && y.length() != 0) {
            throw new IllegalArgumentException("batch labels must be a vector of N values, got shape "
                    + Arrays.toString(y.shape()));
        }
        int n = Math.toIntExact(x.rows());
        int p = Math.toIntExact(x.columns());
        return of(rowMajorCopy(x), rowMajorCopy(y), n, p);
    }

    /** The values of {@code a} in row-major order, as doubles, in one copy when {@code a} is its whole buffer. */
    private static double[] rowMajorCopy(INDArray a) {
        boolean whole = a.dataType() == DataType.DOUBLE && a.ordering() == 'c' && a.offset() == 0
                && a.elementWiseStride() == 1 && a.data().length() == a.length();
        return (whole ? a : a.castTo(DataType.DOUBLE).dup('c')).data().asDouble();
    }

    /** A batch from rows of inputs and their labels; the arrays are copied. */
    public static Batch of(double[][] x, double[] y) {
        Require.notNull(x, "x");
        Require.notNull(y, "y");
        if (x.length == 0) {
            throw new IllegalArgumentException("empty batch: x has no rows; a step needs at least one example");
        }
        int p = x[0].length;
        double[] flat = new double[Math.multiplyExact(x.length, p)];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != p) {
                throw new IllegalArgumentException("ragged inputs: row " + i + " has " + x[i].length
                        + " values, row 0 has " + p);
            }
            System.arraycopy(x[i], 0, flat, i * p, p);
        }
        return of(flat, y.clone(), x.length, p);
    }

    /**
     * A batch from a row-major array of N·p inputs and N labels. The arrays are taken as they are
     * (not copied): the caller must not change them afterwards.
     */
    public static Batch wrap(double[] xRowMajor, double[] y, int rows, int columns) {
        return of(xRowMajor, y, rows, columns);
    }

    private static Batch of(double[] x, double[] y, int n, int p) {
        if (n == 0) {
            throw new IllegalArgumentException("empty batch: N = 0 examples; a step needs at least one example");
        }
        if (p <= 0) {
            throw new IllegalArgumentException("batch inputs have " + p + " columns; need at least one");
        }
        if (x.length != (long) n * p) {
            throw new IllegalArgumentException("batch inputs hold " + x.length + " values, expected N*p = "
                    + n + "*" + p);
        }
        if (y.length != n) {
            throw new IllegalArgumentException("dimension mismatch: x has " + n + " rows but y has "
                    + y.length + " labels");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("batch input x[" + (i / p) + "][" + (i % p) + "] is " + x[i]
                        + "; inputs must be finite (remove or impute the value)");
            }
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y[i])) {
                throw new IllegalArgumentException("batch label y[" + i + "] is " + y[i]
                        + "; labels must be finite");
            }
        }
        return new Batch(x, y, n, p);
    }

    /** Number of examples N. */
    public int rows() {
        return rows;
    }

    /** Number of input columns p (before any bias a model may append). */
    public int columns() {
        return columns;
    }

    /**
     * The inputs, row-major N × p. This is the batch's own array: read it, never write it.
     *
     * @throws IllegalStateException if the batch is sparse (use {@link #csr()}, or a model that reads it)
     */
    public double[] x() {
        if (x == null) {
            throw new IllegalStateException("this batch is sparse (" + csr + "); a model that reads dense inputs "
                    + "cannot use it: use a model that reads Batch.csr() (GeneralizedLinearModel, "
                    + "SoftmaxRegression) or densify with Batch.wrap(csr().toDense(), ...)");
        }
        return x;
    }

    /** The labels (length N). This is the batch's own array: read it, never write it. */
    public double[] y() {
        return y;
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive), as a new batch. */
    public Batch slice(int from, int to) {
        if (from < 0 || to > rows || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") is outside the batch's "
                    + rows + " rows or empty");
        }
        if (csr != null) {
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            return select(idx);
        }
        return new Batch(Arrays.copyOfRange(x, from * columns, to * columns), Arrays.copyOfRange(y, from, to),
                to - from, columns);
    }

    /** The examples at the given row indices (repeats allowed), as a new batch. */
    public Batch select(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("empty selection: a batch needs at least one example");
        }
        if (csr != null) {
            double[] ys = new double[indices.length];
            CsrMatrix sub = csr.select(indices);
            for (int k = 0; k < indices.length; k++) {
                ys[k] = y[indices[k]];
            }
            return new Batch(null, ys, indices.length, columns, sub);
        }
        double[] xs = new double[indices.length * columns];
        double[] ys = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= rows) {
                throw new IllegalArgumentException("row index " + i + " is outside [0, " + rows + ")");
            }
            System.arraycopy(x, i * columns, xs, k * columns, columns);
            ys[k] = y[i];
        }
        return new Batch(xs, ys, indices.length, columns);
    }

    /** The inputs as a new N × p ND4J matrix (double). */
    public INDArray features() {
        return Nd4j.create(x != null ? x.clone() : csr.toDense(), new long[] {rows, columns}, DataType.DOUBLE);
    }

    /** The labels as a new ND4J vector (double). */
    public INDArray labels() {
        return Nd4j.create(y.clone(), new long[] {rows}, DataType.DOUBLE);
    }

    @Override
    public String toString() {
        return "Batch[" + rows + " x " + columns + (csr != null ? ", sparse, " + csr.nonZeros() + " non-zeros" : "")
                + "]";
    }
}
