package io.github.natgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on the published Fashion-MNIST test files and on broken files. */
class IdxFilesTest {

    private static Path fashion() {
        String dir = System.getProperty("natgrad.data.dir");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir, "fashion-mnist")),
                "natgrad.data.dir does not hold fashion-mnist");
        return Path.of(dir, "fashion-mnist");
    }

    @Test
    void readsThePublishedTestSet() throws IOException {
        Path dir = fashion();
        int[] labels = IdxFiles.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        assertEquals(10000, labels.length);
        int[] counts = new int[10];
        for (int y : labels) {
            counts[y]++;
        }
        int[] expected = new int[10];
        Arrays.fill(expected, 1000); // 1000 per class, as the datasets README says
        assertEquals(Arrays.toString(expected), Arrays.toString(counts));
        IdxFiles.Images images = IdxFiles.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"));
        assertEquals(10000, images.count());
        assertEquals(28, images.rows());
        assertEquals(28, images.columns());
        double mean = 0;
        for (byte b : images.pixels()) {
            mean += (b & 0xff) / 255.0;
        }
        mean /= images.pixels().length;
        assertTrue(mean > 0.2 && mean < 0.4, "mean pixel " + mean); // Fashion-MNIST's mean is about 0.286
    }

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    @Test
    void brokenFilesAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path labels = dir.resolve("labels.idx");
        Files.write(labels, idx(IdxFiles.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3}));
        assertEquals(3, IdxFiles.readLabels(labels, 10).length);

        IOException e = assertThrows(IOException.class, () -> IdxFiles.readImages(labels));
        assertTrue(e.getMessage().contains("labels.idx") && e.getMessage().contains("magic"), e.getMessage());

        Path outside = dir.resolve("outside.idx");
        Files.write(outside, idx(IdxFiles.LABELS_MAGIC, new int[] {3}, new byte[] {1, 12, 3}));
        e = assertThrows(IOException.class, () -> IdxFiles.readLabels(outside, 10));
        assertTrue(e.getMessage().contains("outside.idx") && e.getMessage().contains("label 1 is 12"), e.getMessage());

        Path cut = dir.resolve("cut.idx");
        Files.write(cut, idx(IdxFiles.IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[] {1, 2, 3, 4, 5}));
        e = assertThrows(IOException.class, () -> IdxFiles.readImages(cut));
        assertTrue(e.getMessage().contains("cut.idx") && e.getMessage().contains("truncated"), e.getMessage());

        Path header = dir.resolve("header.idx");
        Files.write(header, new byte[] {0, 0, 8});
        e = assertThrows(IOException.class, () -> IdxFiles.readLabels(header, 10));
        assertTrue(e.getMessage().contains("header.idx"), e.getMessage());

        e = assertThrows(IOException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }
}
