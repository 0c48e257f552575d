package io.github.natgrad.datasets;

import io.github.natgrad.Batch;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv:1708.07747): 60 000 training and 10 000 test
 * images of 28 × 28 grey pixels in 10 classes of clothing, from the four IDX files as published
 * ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz},
 * {@code t10k-labels-idx1-ubyte.gz}). Pixels are scaled to [0, 1]; labels are the class indices 0–9.
 *
 * @param train the training set, 60 000 × 784
 * @param test  the test set, 10 000 × 784
 */
public record FashionMnist(Batch train, Batch test) {
    /** The number of classes. */
    public static final int CLASSES = 10;

    /**
     * Reads the four files from {@code dir} (gzip-compressed as published, or uncompressed under the same
     * names without {@code .gz}).
     *
     * @throws IOException naming the file that is missing, truncated, of the wrong kind, or whose image and
     *                     label counts disagree
     */
    public static FashionMnist load(Path dir) throws IOException {
        return new FashionMnist(read(dir, "train"), read(dir, "t10k"));
    }

    private static Batch read(Path dir, String prefix) throws IOException {
        Path images = file(dir, prefix + "-images-idx3-ubyte");
        Path labels = file(dir, prefix + "-labels-idx1-ubyte");
        IdxFiles.Images im = IdxFiles.readImages(images);
        int[] y = IdxFiles.readLabels(labels, CLASSES);
        if (y.length != im.count()) {
            throw new IOException(labels + " holds " + y.length + " labels but " + images + " holds " + im.count()
                    + " images");
        }
        int p = im.rows() * im.columns();
        double[] x = new double[im.count() * p];
        byte[] px = im.pixels();
        for (int i = 0; i < x.length; i++) {
            x[i] = (px[i] & 0xff) / 255.0;
        }
        double[] yy = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            yy[i] = y[i];
        }
        return Batch.wrap(x, yy, im.count(), p);
    }

    private static Path file(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        Path plain = dir.resolve(name);
        return java.nio.file.Files.exists(gz) || !java.nio.file.Files.exists(plain) ? gz : plain;
    }
}
