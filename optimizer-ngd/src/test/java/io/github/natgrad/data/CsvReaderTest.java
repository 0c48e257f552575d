package io.github.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The library's table reader in its three layouts (comma-separated with an optional header, scikit-learn's
 * count header, whitespace-separated UCI text): contents, and file:line errors for each malformation. The
 * count-header and whitespace cases are those of the bench's former {@code DataReaders}.
 */
class CsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void assertNamesFileAndLine(MalformedDataException e, Path f, long line, String what) {
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(f, e.file());
        assertTrue(e.getMessage().startsWith(f + (line > 0 ? ":" + line : "") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void readsDenseRowsWithHeaderAndReportsBadLines() throws IOException {
        LabeledData d = CsvReader.of(LabelMapping.REAL).read(write("ok.csv", "a,b,y\n1,2,0.5\n3,4,1.5\n"));
        assertEquals(2, d.rows());
        assertEquals(2, d.columns());
        assertArrayEquals(new double[] {1, 2, 3, 4}, d.dense());
        Path bad = write("bad.csv", "1,2,3\n1,x,3\n");
        assertNamesFileAndLine(assertThrows(MalformedDataException.class, () -> CsvReader.of(LabelMapping.REAL).read(bad)),
                bad, 2, "column 2 'x' is not a number");
        Path rag = write("rag.csv", "1,2,3\n1,3\n");
        assertNamesFileAndLine(assertThrows(MalformedDataException.class, () -> CsvReader.of(LabelMapping.REAL).read(rag)),
                rag, 2, "2 columns, expected 3");
    }

    @Test
    void countHeaderReadsItsRows() throws IOException {
        Path f = write("c.csv", "2,3,no,yes\n1,2,3,0\n4,5.5,1001,1\n");
        LabeledData d = CsvReader.of(LabelMapping.REAL).withCountHeader().read(f);
        assertEquals(2, d.rows());
        assertEquals(3, d.columns());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5.5, 1001}, d.dense());
        assertArrayEquals(new double[] {0, 1}, d.y());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x,3,a\\n1,2,3,0\\n | 1 | n_samples 'x' in the header is not an integer",
        "2,0,a\\n1,2,3,0\\n | 1 | n_features 0 in the header must be positive",
        "2\\n1,2,3,0\\n | 1 | should be 'n_samples,n_features",
        "2,3,a\\n1,2,3,0\\n1,2,0\\n | 3 | 3 columns, expected 4",
        "2,3,a\\n1,2,3,0\\n1,b,3,0\\n | 3 | column 2 'b' is not a number",
        "2,3,a\\n1,2,3,x\\n1,2,3,0\\n | 2 | column 4 'x' is not a number",
        "3,2,a\\n1,2,0\\n3,4,1\\n | 0 | the header says 3 rows but the file has 2"})
    void countHeaderMalformedFilesNameFileAndLine(String text, long line, String what) throws IOException {
        Path f = write("bad.csv", text.replace("\\n", "\n"));
        assertNamesFileAndLine(assertThrows(MalformedDataException.class,
                () -> CsvReader.of(LabelMapping.REAL).withCountHeader().read(f)), f, line, what);
    }

    @Test
    void whitespaceSkipsEmptyLinesAndTakesTheTargetLast() throws IOException {
        Path f = write("u.txt", "0.0  0.565 1\t2\n\n  1 2 3 4 \n\n");
        LabeledData d = CsvReader.whitespace(LabelMapping.REAL).read(f);
        assertEquals(2, d.rows());
        assertEquals(3, d.columns());
        assertArrayEquals(new double[] {0, 0.565, 1, 1, 2, 3}, d.dense());
        assertArrayEquals(new double[] {2, 4}, d.y());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 2 3\\n1 2\\n | 2 | 2 columns, expected 3",
        "1 2 3\\n\\n1 x 3\\n | 3 | column 2 'x' is not a number",
        "7\\n | 1 | a line needs at least one input and the label",
        "1 2 3\\n1 2 Infinity\\n | 2 | column 3 is Infinity; values must be finite",
        "\\n\\n | 0 | no examples"})
    void whitespaceMalformedFilesNameFileAndLine(String text, long line, String what) throws IOException {
        Path f = write("bad.txt", text.replace("\\n", "\n"));
        assertNamesFileAndLine(assertThrows(MalformedDataException.class,
                () -> CsvReader.whitespace(LabelMapping.REAL).read(f)), f, line, what);
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("none.csv");
        assertNamesFileAndLine(assertThrows(MalformedDataException.class, () -> CsvReader.of(LabelMapping.REAL).read(f)),
                f, 0, "no such file");
    }
}
