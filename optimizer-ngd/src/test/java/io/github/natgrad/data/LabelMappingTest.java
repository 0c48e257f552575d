package io.github.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LabelMapping#apply} is the one label mapping of the readers: the same labels in a CSV and a LIBSVM
 * file map to the same values and classes, and a label that cannot be used is refused with the same message
 * and its own line.
 */
class LabelMappingTest {
    @TempDir
    Path dir;

    private LabeledData csv(LabelMapping labels, String... rows) throws IOException {
        Path file = dir.resolve("d.csv");
        Files.writeString(file, String.join("\n", rows) + "\n");
        return CsvReader.of(labels).read(file);
    }

    private LabeledData libsvm(LabelMapping labels, String... rows) throws IOException {
        Path file = dir.resolve("d.libsvm");
        Files.writeString(file, String.join("\n", rows) + "\n");
        return LibsvmReader.of(labels).withColumns(1).read(file);
    }

    @Test
    void bothReadersMapTheSameLabelsTheSameWay() throws IOException {
        LabeledData a = csv(LabelMapping.CLASSES, "1,7", "2,3", "3,5", "4,3");
        LabeledData b = libsvm(LabelMapping.CLASSES, "7 1:1", "3 1:2", "5 1:3", "3 1:4");
        assertArrayEquals(new double[] {2, 0, 1, 0}, a.y());
        assertArrayEquals(a.y(), b.y());
        assertArrayEquals(new double[] {3, 5, 7}, a.classValues());
        assertArrayEquals(a.classValues(), b.classValues());
        LabeledData c = csv(LabelMapping.BINARY, "1,-1", "2,1", "3,0");
        LabeledData d = libsvm(LabelMapping.BINARY, "-1 1:1", "+1 1:2", "0 1:3");
        assertArrayEquals(new double[] {0, 1, 0}, c.y());
        assertArrayEquals(c.y(), d.y());
    }

    @Test
    void aLabelThatCannotBeUsedIsRefusedAlikeWithItsLine() {
        MalformedDataException a = assertThrows(MalformedDataException.class,
                () -> csv(LabelMapping.BINARY, "1,1", "2,2"));
        MalformedDataException b = assertThrows(MalformedDataException.class,
                () -> libsvm(LabelMapping.BINARY, "1 1:1", "2 1:2"));
        assertEquals(2, a.line());
        assertEquals(2, b.line());
        assertEquals(a.getMessage().replace("d.csv", "F"), b.getMessage().replace("d.libsvm", "F"));
        MalformedDataException c = assertThrows(MalformedDataException.class,
                () -> csv(LabelMapping.CLASSES, "1,1", "2,2.5"));
        assertEquals(2, c.line());
        assertEquals(true, c.getMessage().contains("label 2.5 is not an integer class label"), c.getMessage());
    }
}
