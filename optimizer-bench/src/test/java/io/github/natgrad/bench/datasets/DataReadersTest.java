package io.github.natgrad.bench.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The three readers on hand-made files (well-formed and each malformed case), and the real files. */
class DataReadersTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void libsvmReadsSparseRowsWithIrregularWhitespace() throws IOException {
        Path f = write("a.libsvm", "+1  1:0.5 3:2 \n-1\t2:1\n+1 \n");
        Table t = DataReaders.libsvm(f, 4);
        assertEquals(3, t.rows());
        assertEquals(4, t.columns());
        assertArrayEquals(new double[] {0.5, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0}, t.x());
        assertArrayEquals(new double[] {1, -1, 1}, t.y());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "+1 1:1\\nx 2:1\\n | line 2 | label 'x' is not a number",
        "+1 1:1\\n-1 2-1\\n | line 2 | token '2-1' is not <index>:<value>",
        "+1 1:1\\n-1 a:1\\n | line 2 | index 'a' is not an integer",
        "+1 0:1\\n | line 1 | index 0 is outside 1..4",
        "+1 5:1\\n | line 1 | index 5 is outside 1..4",
        "+1 2:1 2:3\\n | line 1 | index 2 does not increase",
        "+1 3:1 2:3\\n | line 1 | index 2 does not increase",
        "+1 1:abc\\n | line 1 | value of index 1 'abc' is not a number",
        "+1 1:NaN\\n | line 1 | is not finite",
        "+1 1:1\\n\\n-1 2:1\\n | line 2 | empty line",
        "+1 1:\\n | line 1 | is not <index>:<value>"})
    void libsvmMalformedLinesNameFileAndLine(String text, String line, String what) throws IOException {
        Path f = write("bad.libsvm", text.replace("\\n", "\n"));
        DatasetException e = assertThrows(DatasetException.class, () -> DataReaders.libsvm(f, 4));
        assertTrue(e.getMessage().contains(f.toString() + ", " + line), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void countedCsvReadsHeaderAndRows() throws IOException {
        Path f = write("c.csv", "2,3,no,yes\n1,2,3,0\n4,5.5,1001,1\n");
        Table t = DataReaders.countedCsv(f);
        assertEquals(2, t.rows());
        assertEquals(3, t.columns());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5.5, 1001}, t.x());
        assertArrayEquals(new double[] {0, 1}, t.y());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x,3,a\\n1,2,3,0\\n | line 1 | n_samples 'x' in the header is not an integer",
        "2\\n1,2,3,0\\n | line 1 | should be 'n_samples,n_features",
        "2,3,a\\n1,2,3,0\\n1,2,0\\n | line 3 | 3 fields, expected 4",
        "2,3,a\\n1,2,3,0\\n1,b,3,0\\n | line 3 | feature 2 'b' is not a number",
        "2,3,a\\n1,2,3,0\\n\\n1,2,3,0\\n | line 3 | empty line",
        "2,3,a\\n1,2,3,x\\n1,2,3,0\\n | line 2 | target 'x' is not a number"})
    void countedCsvMalformedLinesNameFileAndLine(String text, String line, String what) throws IOException {
        Path f = write("bad.csv", text.replace("\\n", "\n"));
        DatasetException e = assertThrows(DatasetException.class, () -> DataReaders.countedCsv(f));
        assertTrue(e.getMessage().contains(f.toString() + ", " + line), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void countedCsvRowCountMustMatchHeader() throws IOException {
        Path f = write("short.csv", "3,2,a\n1,2,0\n3,4,1\n");
        DatasetException e = assertThrows(DatasetException.class, () -> DataReaders.countedCsv(f));
        assertTrue(e.getMessage().contains("the header says 3 rows but the file has 2"), e.getMessage());
    }

    @Test
    void whitespaceTextSkipsEmptyLinesAndTakesTheTargetLast() throws IOException {
        Path f = write("u.txt", "0.0  0.565 1\t2\n\n  1 2 3 4 \n\n");
        Table t = DataReaders.whitespaceText(f);
        assertEquals(2, t.rows());
        assertEquals(3, t.columns());
        assertArrayEquals(new double[] {0, 0.565, 1, 1, 2, 3}, t.x());
        assertArrayEquals(new double[] {2, 4}, t.y());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 2 3\\n1 2\\n | line 2 | 2 fields, but the first line has 3",
        "1 2 3\\n\\n1 x 3\\n | line 3 | field 2 'x' is not a number",
        "7\\n | line 1 | one field",
        "1 2 3\\n1 2 Infinity\\n | line 2 | is not finite"})
    void whitespaceTextMalformedLinesNameFileAndLine(String text, String line, String what) throws IOException {
        Path f = write("bad.txt", text.replace("\\n", "\n"));
        DatasetException e = assertThrows(DatasetException.class, () -> DataReaders.whitespaceText(f));
        assertTrue(e.getMessage().contains(f.toString() + ", " + line), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void emptyFilesAreErrors() throws IOException {
        Path f = write("empty.txt", "\n\n");
        assertTrue(assertThrows(DatasetException.class, () -> DataReaders.whitespaceText(f)).getMessage()
                .contains("no data lines"));
        Path g = write("empty.libsvm", "");
        assertTrue(assertThrows(DatasetException.class, () -> DataReaders.libsvm(g, 3)).getMessage()
                .contains("no data lines"));
    }

    @Test
    void missingFileNamesThePathAndTheExpectedFile() {
        DatasetException e = assertThrows(DatasetException.class, () -> NamedDataset.A1A.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("a1a.libsvm").toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("1605 x 123"), e.getMessage());
        DatasetException none = assertThrows(DatasetException.class, () -> NamedDataset.WINE.load(null));
        assertTrue(none.getMessage().contains("--data-dir") && none.getMessage().contains("wine_data.csv"));
    }

    @Test
    void checksumMismatchSaysSo() throws IOException {
        write("wine_data.csv", "1,1,a\n1,0\n");
        DatasetException e = assertThrows(DatasetException.class, () -> NamedDataset.WINE.load(dir));
        assertTrue(e.getMessage().contains("has sha256") && e.getMessage().contains(NamedDataset.WINE.sha256()),
                e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(NamedDataset.class)
    void realFilesHaveTheirShapeAndLabels(NamedDataset dataset) {
        Table t = dataset.load(TestData.dataDir("the real-file checks"));
        assertEquals(dataset.rows(), t.rows());
        assertEquals(dataset.columns(), t.columns());
        if (dataset.binary()) {
            for (double v : t.y()) {
                assertTrue(v == 0 || v == 1, dataset + " label " + v);
            }
        }
        switch (dataset) {
            case A1A -> {
                double ones = 0;
                for (double v : t.y()) {
                    ones += v;
                }
                assertEquals(395, ones); // +1 (395), -1 (1210) in the README
                double nonZeros = 0;
                for (double v : t.x()) {
                    nonZeros += v != 0 ? 1 : 0;
                }
                assertEquals(22249, nonZeros);
            }
            case BREAST_CANCER -> assertEquals(357, java.util.Arrays.stream(t.y()).sum());
            case WINE -> assertEquals(71 + 2 * 48, java.util.Arrays.stream(t.y()).sum());
            case DIABETES -> assertEquals(500, java.util.Arrays.stream(t.y()).sum());
            case AUSTRALIAN -> assertEquals(307, java.util.Arrays.stream(t.y()).sum());
            case YACHT -> assertEquals(0.01, java.util.Arrays.stream(t.y()).min().orElseThrow());
            case POWER_PLANT -> assertEquals(420.26, java.util.Arrays.stream(t.y()).min().orElseThrow());
            case ENERGY -> assertEquals(6.01, java.util.Arrays.stream(t.y()).min().orElseThrow());
            default -> {
            }
        }
    }
}
