package io.github.natgrad.training;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * An adapter from ND4J's {@link DataSetIterator} (the data pipeline of a DL4J user) to natgrad's
 * {@link Batch}es, so the same pipeline feeds a natgrad optimizer unchanged. Features are taken as an
 * N × p matrix (higher-rank features, e.g. N × 1 × 28 × 28 images, are flattened per example); labels
 * either as one-hot rows N × K (each row must hold exactly one 1: the class index becomes the label) or as
 * one column N × 1 of values (regression, 0/1 labels).
 */
public final class DataSetIterators {
    private DataSetIterators() {
    }

    /** Each pass over the result resets the iterator and converts its data sets one by one. */
    public static Iterable<Batch> batches(DataSetIterator iterator) {
        Checks.notNull(iterator, "iterator");
        return () -> {
            if (iterator.resetSupported()) {
                iterator.reset();
            }
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return iterator.hasNext();
                }

                @Override
                public Batch next() {
                    if (!iterator.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return toBatch(iterator.next());
                }
            };
        };
    }

    /** One ND4J data set as a batch (of any data type; ND4J's default data type is neither read nor changed). */
    public static Batch toBatch(DataSet data) {
        Checks.notNull(data, "data set");
        INDArray features = data.getFeatures();
        INDArray labels = data.getLabels();
        if (features == null || labels == null) {
            throw new IllegalArgumentException("the data set has no " + (features == null ? "features" : "labels"));
        }
        long n = features.size(0);
        INDArray x = features.rank() == 2 ? features : features.reshape('c', n, features.length() / n);
        if (labels.size(0) != n) {
            throw new IllegalArgumentException("dimension mismatch: " + n + " feature rows but " + labels.size(0)
                    + " label rows");
        }
        return Batch.of(x, org.nd4j.linalg.factory.Nd4j.createFromArray(labels(labels)));
    }

    /**
     * The labels of a data set as natgrad takes them, one value per row: the class index of each one-hot row
     * (N × K, K ≥ 2, exactly one 1 per row), or the values of one column (N × 1). One bulk copy.
     *
     * @throws IllegalArgumentException naming the row that is not one-hot
     */
    public static double[] labels(INDArray labels) {
        Checks.notNull(labels, "labels");
        long n = labels.size(0);
        int rows = Math.toIntExact(n);
        int k = Math.toIntExact(labels.length() / Math.max(1, n));
        // one bulk copy, row-major (INDArray.toDoubleMatrix goes row by row: ~0.3 s for 1000 x 10)
        double[] flat = labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = new double[rows];
        if (k > 1) {
            for (int i = 0; i < rows; i++) {
                int hot = -1;
                for (int c = 0; c < k; c++) {
                    double v = flat[i * k + c];
                    if (v == 1.0 && hot < 0) {
                        hot = c;
                    } else if (v != 0.0) {
                        throw new IllegalArgumentException("label row " + i + " is not one-hot (entry " + c + " is " + v
                                + "); natgrad's categorical likelihood takes one class per example");
                    }
                }
                if (hot < 0) {
                    throw new IllegalArgumentException("label row " + i + " has no 1: not one-hot");
                }
                y[i] = hot;
            }
        } else {
            System.arraycopy(flat, 0, y, 0, rows);
        }
        return y;
    }
}
