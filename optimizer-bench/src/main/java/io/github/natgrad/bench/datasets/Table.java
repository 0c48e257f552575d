package io.github.natgrad.bench.datasets;

import io.github.natgrad.Batch;

/**
 * A data file as read: N rows of p features (row-major) and one target per row, exactly as written in
 * the file (no label mapping, no normalisation).
 *
 * @param x       the features, row-major N × p
 * @param y       the targets (N)
 * @param rows    N
 * @param columns p
 */
public record Table(double[] x, double[] y, int rows, int columns) {

    /** The table as a batch (the arrays are shared, not copied). */
    public Batch batch() {
        return Batch.wrap(x, y, rows, columns);
    }
}
