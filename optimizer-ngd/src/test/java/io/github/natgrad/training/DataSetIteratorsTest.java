package io.github.natgrad.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Nd4jDefaults;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J's DataSetIterator pipeline feeds natgrad batches unchanged. */
class DataSetIteratorsTest {

    @Test
    void oneHotMinibatchesBecomeClassIndexBatches() {
        Nd4jDefaults.useDoublePrecision();
        double[][] x = new double[10][3];
        double[][] oneHot = new double[10][4];
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = i * 10 + j;
            }
            oneHot[i][i % 4] = 1.0;
        }
        ViewIterator it = new ViewIterator(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(oneHot)), 4);
        for (int pass = 0; pass < 2; pass++) { // each pass resets the iterator
            List<Batch> batches = new ArrayList<>();
            DataSetIterators.batches(it).forEach(batches::add);
            assertEquals(3, batches.size());
            assertEquals(4, batches.get(0).rows());
            assertEquals(2, batches.get(2).rows());
            int row = 0;
            for (Batch b : batches) {
                for (int i = 0; i < b.rows(); i++, row++) {
                    assertEquals(row % 4, b.y()[i], 0.0);
                    assertArrayEquals(x[row], java.util.Arrays.copyOfRange(b.x(), i * 3, i * 3 + 3), 0.0);
                }
            }
        }
    }

    @Test
    void imagesAreFlattenedAndBadLabelsRefused() {
        Nd4jDefaults.useDoublePrecision();
        INDArray images = Nd4j.rand(DataType.FLOAT, 5, 1, 2, 2);
        INDArray values = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {1}, {0}});
        Batch b = DataSetIterators.toBatch(new DataSet(images, values));
        assertEquals(4, b.columns());
        assertEquals(images.getDouble(3, 0, 1, 0), b.x()[3 * 4 + 2], 1e-7);
        assertArrayEquals(new double[] {1, 0, 1, 1, 0}, b.y(), 0.0);
        INDArray notOneHot = Nd4j.createFromArray(new double[][] {{1, 0}, {0.5, 0.5}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSetIterators.toBatch(new DataSet(Nd4j.rand(DataType.DOUBLE, 2, 3), notOneHot)));
        assertTrue(e.getMessage().contains("label row 1"), e.getMessage());
    }

    @Test
    void viewsAndColumnMajorArraysAreReadInRowOrder() {
        double[][] x = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}};
        double[][] oneHot = {{0, 1}, {1, 0}, {0, 1}, {0, 1}};
        INDArray features = Nd4j.createFromArray(x);
        INDArray labels = Nd4j.createFromArray(oneHot);
        // rows 1..2 as views into the larger arrays, then the same in Fortran order
        INDArray rowsX = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray rowsY = labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        for (Batch b : new Batch[] {DataSetIterators.toBatch(new DataSet(rowsX, rowsY)),
                DataSetIterators.toBatch(new DataSet(rowsX.dup('f'), rowsY.dup('f')))}) {
            assertArrayEquals(new double[] {4, 5, 6, 7, 8, 9}, b.x(), 0.0);
            assertArrayEquals(new double[] {0, 1}, b.y(), 0.0);
        }
    }
}
