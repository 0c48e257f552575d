package io.github.natgrad.data;

import io.github.natgrad.Batch;
import io.github.natgrad.CsrMatrix;
import java.nio.file.Path;

/**
 * Examples read from a file: sparse inputs (CSR) or dense ones, the mapped labels, and for
 * {@link LabelMapping#CLASSES} the original label of each class index.
 *
 * @param file        where they came from
 * @param x           the inputs as CSR (null when dense)
 * @param dense       the inputs row-major (null when sparse)
 * @param columns     the input columns p
 * @param y           the labels as the likelihood reads them
 * @param classValues the file's label of class 0…K−1 (for CLASSES; empty otherwise)
 */
public record LabeledData(Path file, CsrMatrix x, double[] dense, int columns, double[] y, double[] classValues) {

    /** The number of examples. */
    public int rows() {
        return y.length;
    }

    /** Stored input values (nnz for sparse, N·p for dense). */
    public long nonZeros() {
        return x != null ? x.nonZeros() : (long) y.length * columns;
    }

    /**
     * The inputs row-major N × p: {@link #dense()} as it is, or the CSR matrix spread out (entries not stored
     * are 0). For small files; a large sparse file stays CSR.
     */
    public double[] denseInputs() {
        return dense != null ? dense : x.toDense();
    }

    /** The examples as a batch (sparse when read sparse). */
    public Batch batch() {
        return x != null ? Batch.of(x, y) : Batch.wrap(dense, y, y.length, columns);
    }

    /**
     * Fails unless {@code test} has the same input columns as this (training) data, naming both files.
     *
     * @throws MalformedDataException when they differ
     */
    public void requireSameColumns(LabeledData test) {
        if (test.columns != columns) {
            throw new MalformedDataException(test.file, 0, "the test data has " + test.columns
                    + " input columns but the training data " + file + " has " + columns
                    + "; a model trained on one cannot read the other. Give both the same column count "
                    + "(for LIBSVM files: read both with the larger count, e.g. train --columns "
                    + Math.max(columns, test.columns) + ")");
        }
    }
}
