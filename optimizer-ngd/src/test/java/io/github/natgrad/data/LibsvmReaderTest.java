package io.github.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Optimizer;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.ArmijoLineSearch;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's LIBSVM reader: contents, label mapping, and file:line errors for each malformation. */
class LibsvmReaderTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsSparseRowsAndMapsBinaryLabels() throws IOException {
        Path f = write("ok.libsvm", "+1 1:0.5 3:2\n-1 2:1.5 # a comment\n\n1 1:1 2:0 4:-3\n");
        LabeledData d = LibsvmReader.of(LabelMapping.BINARY).read(f);
        assertEquals(3, d.rows());
        assertEquals(4, d.columns());
        assertEquals(5, d.nonZeros(), "the explicit zero 2:0 is not stored");
        assertArrayEquals(new double[] {1, 0, 1}, d.y());
        assertArrayEquals(new double[] {0.5, 0, 2, 0, 0, 1.5, 0, 0, 1, 0, 0, -3}, d.x().toDense());
        Batch b = d.batch();
        assertTrue(b.isSparse());
        assertEquals(3, b.rows());
        LabeledData zeroOne = LibsvmReader.of(LabelMapping.BINARY).read(write("01.libsvm", "1 1:1\n0 2:1\n"));
        assertArrayEquals(new double[] {1, 0}, zeroOne.y());
    }

    @Test
    void mapsClassesInAscendingOrderAndTestFilesWithTheTrainingClasses() throws IOException {
        LabeledData train = LibsvmReader.of(LabelMapping.CLASSES).read(write("c.libsvm", "3 1:1\n1 1:2\n7 2:1\n3 2:2\n"));
        assertArrayEquals(new double[] {1, 0, 2, 1}, train.y());
        assertArrayEquals(new double[] {1, 3, 7}, train.classValues());
        LabeledData test = LibsvmReader.of(LabelMapping.CLASSES).withClasses(train.classValues())
                .read(write("ct.libsvm", "7 1:1\n1 2:1\n"));
        assertArrayEquals(new double[] {2, 0}, test.y());
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> LibsvmReader
                .of(LabelMapping.CLASSES).withClasses(train.classValues()).read(write("cx.libsvm", "7 1:1\n5 1:1\n")));
        assertEquals(2, e.line());
    }

    void assertError(String text, long line, String fragment) throws IOException {
        Path f = write("bad" + Math.abs(text.hashCode()) + ".libsvm", text);
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> LibsvmReader.of(LabelMapping.BINARY).read(f));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void malformedEntriesNameFileAndLine() throws IOException {
        assertError("1 1:1\n-1 0:1\n", 2, "indices start at 1");
        assertError("1 1:1\n1 3:1 2:1\n", 2, "strictly increasing");
        assertError("1 1:1\n1 2:1 2:3\n", 2, "strictly increasing");
        assertError("1 1:abc\n", 1, "is not a number");
        assertError("1 1:1\n\n1 1:NaN\n", 3, "must be finite");
        assertError("1 1:1\n1 x:1\n", 2, "not an integer");
        assertError("1 1:1\n1 2\n", 2, "<index>:<value>");
        assertError("1 1:1\n2 1:1\n", 2, "not usable for a two-class likelihood");
        assertError("yes 1:1\n", 1, "label 'yes' is not a number");
    }

    @Test
    void readsIrregularWhitespaceAndEmptyRowsAsTheSharedFilesHaveThem() throws IOException {
        // two spaces after the label (diabetes), a trailing space (a1a), a tab, a row with no features
        Path f = write("ws.libsvm", "+1  1:0.5 3:2 \n-1\t2:1\n+1 \n");
        LabeledData d = LibsvmReader.of(LabelMapping.REAL).withColumns(4).read(f);
        assertEquals(3, d.rows());
        assertEquals(4, d.columns());
        assertArrayEquals(new double[] {0.5, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0}, d.denseInputs());
        assertArrayEquals(new double[] {1, -1, 1}, d.y(), "REAL keeps the labels as written");
    }

    @Test
    void malformedEntriesOfTheBenchReaderCasesNameFileAndLine() throws IOException {
        // the cases the bench's former DataReaders.libsvm tested, now asserted on the one reader
        assertError("+1 1:1\n-1 a:1\n", 2, "feature index 'a' is not an integer");
        assertError("+1 1:1\n-1 2-1\n", 2, "'2-1' is not <index>:<value>");
        assertError("+1 1:\n", 1, "'1:' is not <index>:<value>");
        assertError("+1 1:abc\n", 1, "value of feature 1 'abc' is not a number");
        assertError("+1 1:NaN\n", 1, "value of feature 1 is NaN; values must be finite");
        assertError("+1 3:1 2:3\n", 1, "feature index 2 after 3");
        MalformedDataException wide = assertThrows(MalformedDataException.class,
                () -> LibsvmReader.of(LabelMapping.REAL).withColumns(4).read(write("wide.libsvm", "+1 1:1\n+1 5:1\n")));
        assertTrue(wide.getMessage().startsWith(dir.resolve("wide.libsvm") + ":2: feature index 5 but the data has 4 "
                + "columns"), wide.getMessage());
        MalformedDataException empty = assertThrows(MalformedDataException.class,
                () -> LibsvmReader.of(LabelMapping.REAL).read(write("empty.libsvm", "")));
        assertTrue(empty.getMessage().contains("empty.libsvm: no examples"), empty.getMessage());
    }

    @Test
    void columnCountsOfTrainAndTestMustAgree() throws IOException {
        LabeledData train = LibsvmReader.of(LabelMapping.BINARY).read(write("tr.libsvm", "1 1:1 3:1\n-1 2:1\n"));
        LabeledData test = LibsvmReader.of(LabelMapping.BINARY).read(write("te.libsvm", "1 5:1\n"));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> train.requireSameColumns(test));
        assertTrue(e.getMessage().contains("5 input columns") && e.getMessage().contains("3"), e.getMessage());
        Path te = dir.resolve("te.libsvm");
        MalformedDataException fixed = assertThrows(MalformedDataException.class,
                () -> LibsvmReader.of(LabelMapping.BINARY).withColumns(3).read(te));
        assertEquals(1, fixed.line());
        assertEquals(5, LibsvmReader.of(LabelMapping.BINARY).withColumns(5).read(dir.resolve("tr.libsvm")).columns());
    }

    @Test
    void a1aTrainsByNewtonCgToTheDenseNewtonOptimum() {
        String property = System.getProperty("natgrad.data.dir");
        assumeTrue(property != null && Files.isRegularFile(Path.of(property, "a1a.libsvm")),
                "natgrad.data.dir does not hold a1a.libsvm; skipping");
        LabeledData a1a = LibsvmReader.of(LabelMapping.BINARY).read(Path.of(property, "a1a.libsvm"));
        assertTrue(a1a.rows() > 1000 && a1a.columns() >= 119 && a1a.columns() <= 123, a1a.rows() + " x " + a1a.columns());
        assertEquals(14 * a1a.rows(), a1a.nonZeros(), 0.02 * 14 * a1a.rows(), "a1a has about 14 features per example");
        Batch sparse = a1a.batch();
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(a1a.columns()).withBias();
        NaturalGradient newton = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(1.0))
                .withDamping(Damping.none());
        Optimizer dense = newton.build(model);
        Optimizer cg = newton.withSolver(Solvers.conjugateGradient()).withLineSearch(ArmijoLineSearch.liblinear())
                .build(model);
        double[] a = new double[model.parameterCount()];
        double[] b = new double[model.parameterCount()];
        for (int s = 0; s < 12; s++) {
            dense.step(a, sparse);
            cg.step(b, sparse);
        }
        double fa = dense.loss(a, sparse);
        double fb = cg.loss(b, sparse);
        assertEquals(fa, fb, 1e-10 * fa);
    }

    /** The fast decimal path gives the same double as Double.parseDouble (the reference) for every token form. */
    @Test
    void numbersParseToTheSameDoubleAsTheJdk() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        String[] fixed = {"0", "-0", "+1", "1.", ".5", "0.1", "0.05", "1e5", "1E-5", "-2.5e+3", "123456789012345",
            "1234567890123456789", "0.000000000000000000000001", "1e22", "1e23", "1e-22", "1e-23", "9007199254740993",
            "4.35", "2.2250738585072014E-308", "1.0d", "0x1p3", "00012.3400", "1e0400", "7e-0010"};
        java.util.List<String> tokens = new java.util.ArrayList<>(java.util.Arrays.asList(fixed));
        for (int t = 0; t < 20000; t++) {
            double v = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-30, 30));
            tokens.add(switch (t % 4) {
                case 0 -> Double.toString(v);
                case 1 -> String.format(java.util.Locale.ROOT, "%." + random.nextInt(0, 18) + "f", v);
                case 2 -> String.format(java.util.Locale.ROOT, "%." + random.nextInt(0, 18) + "e", v);
                default -> Long.toString(random.nextLong(-1_000_000_000_000_000L, 1_000_000_000_000_000L));
            });
        }
        for (String token : tokens) {
            byte[] b = (" " + token + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            double expected = Double.parseDouble(token);
            double got = LibsvmReader.parseNumber(b, 1, b.length - 1);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), token);
        }
        for (String bad : new String[] {".", "-", "1e", "1.2.3", "e5", "1x"}) {
            byte[] b = bad.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertThrows(NumberFormatException.class, () -> LibsvmReader.parseNumber(b, 0, b.length), bad);
        }
    }

    /** A line longer than the reader's buffer, a last line without a newline, CRLF endings. */
    @Test
    void readsLongLinesAndCrlf() throws IOException {
        StringBuilder s = new StringBuilder("+1");
        for (int j = 1; j <= 200_000; j++) {
            s.append(' ').append(j).append(":0.25");
        }
        s.append("\r\n-1 3:1.5");
        LabeledData d = LibsvmReader.of(LabelMapping.BINARY).read(write("long.libsvm", s.toString()));
        assertEquals(2, d.rows());
        assertEquals(200_000, d.columns());
        assertEquals(200_001, d.batch().nonZeros());
        assertEquals(1.5, d.batch().csr().values()[200_000]);
        assertEquals(2, d.batch().csr().columnIndex()[200_000]);
    }

    /**
     * A file read in parts by several threads gives exactly the single-threaded result — blank lines, comments,
     * zero values, CRLF, a long line and a last line without its newline included, wherever the cuts fall — and an
     * error names the same (earliest) line.
     */
    @Test
    void partsOnThreadsReadExactlyWhatOneThreadReads() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        StringBuilder s = new StringBuilder("# a header comment\n");
        for (int i = 0; i < 3000; i++) {
            if (i % 97 == 0) {
                s.append(i % 2 == 0 ? "\n" : "   # only a comment\n");
            }
            s.append(random.nextBoolean() ? "+1" : "-1");
            int j = 0;
            int entries = i == 1500 ? 5000 : random.nextInt(0, 12);
            for (int e = 0; e < entries; e++) {
                j += random.nextInt(1, 40);
                double v = random.nextInt(0, 5) == 0 ? 0 : Math.round(random.nextGaussian() * 1000) / 1000.0;
                s.append(random.nextInt(0, 3) == 0 ? "\t" : " ").append(j).append(':').append(v);
            }
            s.append(i % 13 == 0 ? "  # trailing\r\n" : i % 7 == 0 ? "\r\n" : "\n");
        }
        s.append("-1 2:0.5");
        Path file = write("parts.libsvm", s.toString());
        LabeledData one = LibsvmReader.of(LabelMapping.BINARY).withThreads(1).read(file);
        assertEquals(3001, one.rows());
        for (int threads : new int[] {2, 3, 8}) {
            LabeledData many = LibsvmReader.of(LabelMapping.BINARY).withThreads(threads).withParallelFrom(1).read(file);
            assertEquals(one.rows(), many.rows(), threads + " threads");
            assertEquals(one.columns(), many.columns(), threads + " threads");
            assertArrayEquals(one.y(), many.y(), threads + " threads");
            assertArrayEquals(one.x().rowStart(), many.x().rowStart(), threads + " threads");
            assertArrayEquals(one.x().columnIndex(), many.x().columnIndex(), threads + " threads");
            assertArrayEquals(one.x().values(), many.x().values(), threads + " threads");
        }
        // malformed lines in the first and the last third: the error names the first one for every thread count
        String[] lines = s.toString().split("\n", -1);
        lines[2600] = "+1 3:1 2:1";
        lines[200] = "+1 4:x";
        Path bad = write("bad-parts.libsvm", String.join("\n", lines));
        for (int threads : new int[] {1, 2, 3}) {
            MalformedDataException e = assertThrows(MalformedDataException.class, () -> LibsvmReader
                    .of(LabelMapping.BINARY).withThreads(threads).withParallelFrom(1).read(bad));
            assertTrue(e.getMessage().contains(bad + ":201:"), threads + " threads: " + e.getMessage());
        }
        lines[200] = "+1 4:1";
        Path late = write("late-parts.libsvm", String.join("\n", lines));
        for (int threads : new int[] {1, 2, 3}) {
            MalformedDataException e = assertThrows(MalformedDataException.class, () -> LibsvmReader
                    .of(LabelMapping.BINARY).withThreads(threads).withParallelFrom(1).read(late));
            assertTrue(e.getMessage().contains(late + ":2601:"), threads + " threads: " + e.getMessage());
        }
    }
}
