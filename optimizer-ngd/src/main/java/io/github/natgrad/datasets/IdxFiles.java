package io.github.natgrad.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (LeCun et al.; Xiao, Rasul and Vollgraf 2017), plain or
 * gzip-compressed (recognised by the gzip magic bytes): a big-endian int32 magic number (2051 for images,
 * 2049 for labels), the item count, for images the rows and columns, then one unsigned byte per pixel or
 * label. Every error names the file: wrong magic number, a truncated file, labels outside the class range.
 */
public final class IdxFiles {
    /** The magic number of an IDX file of unsigned-byte images (three dimensions). */
    public static final int IMAGES_MAGIC = 2051;
    /** The magic number of an IDX file of unsigned-byte labels (one dimension). */
    public static final int LABELS_MAGIC = 2049;

    private IdxFiles() {
    }

    /** Images as read: {@code count} images of {@code rows} × {@code columns} unsigned bytes, row-major. */
    public record Images(int count, int rows, int columns, byte[] pixels) {
        /** The pixels of image i scaled to [0, 1] (value / 255), row-major. */
        public double scaled(int image, int pixel) {
            return (pixels[image * rows * columns + pixel] & 0xff) / 255.0;
        }
    }

    /**
     * Reads an image file.
     *
     * @throws IOException naming the file when it cannot be read, has another magic number, implausible
     *                     dimensions, or ends before its header says
     */
    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(file + ": magic number " + magic + ", expected " + IMAGES_MAGIC
                        + " (an IDX image file); is it a label file or not an IDX file?");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            if (count < 0 || rows <= 0 || columns <= 0 || (long) count * rows * columns > Integer.MAX_VALUE) {
                throw new IOException(file + ": implausible header: " + count + " images of " + rows + " x " + columns);
            }
            byte[] pixels = new byte[count * rows * columns];
            readFully(in, pixels, file, "images");
            return new Images(count, rows, columns, pixels);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated: the file ends inside its header", e);
        }
    }

    /**
     * Reads a label file and checks every label is below {@code classes}.
     *
     * @throws IOException naming the file when it cannot be read, has another magic number, is truncated
     *                     or holds a label outside 0..classes−1 (the index of the first is given)
     */
    public static int[] readLabels(Path file, int classes) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + ": magic number " + magic + ", expected " + LABELS_MAGIC
                        + " (an IDX label file); is it an image file or not an IDX file?");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": implausible header: " + count + " labels");
            }
            byte[] raw = new byte[count];
            readFully(in, raw, file, "labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
                if (labels[i] >= classes) {
                    throw new IOException(file + ": label " + i + " is " + labels[i] + ", outside 0.." + (classes - 1));
                }
            }
            return labels;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated: the file ends inside its header", e);
        }
    }

    private static void readFully(DataInputStream in, byte[] target, Path file, String what) throws IOException {
        int done = 0;
        while (done < target.length) {
            int r = in.read(target, done, target.length - done);
            if (r < 0) {
                throw new IOException(file + ": truncated: the header announces " + target.length + " bytes of "
                        + what + ", the file holds " + done);
            }
            done += r;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
                : raw;
        return new DataInputStream(in);
    }
}
