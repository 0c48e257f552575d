package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.GridValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.ResumableCsv;
import io.github.natgrad.bench.problems.PaperProblems;
import io.github.natgrad.bench.problems.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproduction's CSV files as files: written with commons-csv (a name holding a comma or a quote is
 * quoted as RFC 4180 says), lines ended by {@code \n}, and read back by commons-csv with the documented
 * header and one record per row.
 */
class ExperimentCsvTest {
    /** A problem name a hand-written join would split into three fields. */
    private static final String ODD = "odd, \"name\"";
    /** {@link #ODD} as RFC 4180 writes it. */
    private static final String ODD_QUOTED = "\"odd, \"\"name\"\"\"";

    @TempDir
    Path tmp;

    private static Problem renamed(Problem p, String name) {
        return new Problem(name, p.batch(), p.logistic(), p.bias(), p.priorVariance());
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** The header and records of a CSV file, read by commons-csv; the file holds no carriage return. */
    private static CSVParser parse(Path file, String header) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), file + " has a \\r line end");
        assertTrue(text.endsWith("\n"), file + " does not end with a line end");
        Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader);
        assertEquals(List.of(header.split(",")), parser.getHeaderNames(), file.toString());
        return parser;
    }

    @Test
    void misspecQuotesANameWithACommaAndAQuote() throws IOException {
        Problem p = renamed(PaperProblems.misspecLogistic(PaperProblems.Variant.MISSPECIFIED_MODEL, 0), ODD);
        new MisspecExperiment(tmp, quiet()).run(List.of(p));
        Path file = tmp.resolve("misspec/misspec.csv");
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith(ODD_QUOTED + ","), lines.get(1));
        try (CSVParser parser = parse(file, "problem,theta1,theta2,fisher11,fisher12,fisher22,ef11,ef12,ef22,grad_norm")) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(1, records.size());
            assertEquals(ODD, records.get(0).get("problem"));
            assertEquals(10, records.get(0).size());
            MisspecExperiment.Fit fit = MisspecExperiment.fit(p);
            // %.17g reads back to the same double
            assertEquals(fit.theta()[0], Double.parseDouble(records.get(0).get("theta1")));
            assertEquals(fit.empirical()[3], Double.parseDouble(records.get(0).get("ef22")));
        }
    }

    @Test
    void optimFilesParseBackWithTheirHeadersAndQuotedNames() throws IOException {
        Grid grid = new Grid(GridValues.logspace(-2, 0, 2), GridValues.logspace(-2, 0, 2), 4);
        Problem p = renamed(PaperProblems.misspecLogistic(PaperProblems.Variant.WELL_SPECIFIED, 1), ODD);
        new OptimExperiment(tmp, grid, 1, quiet(), false).run(List.of(p));
        Path dir = tmp.resolve("optim");

        List<String> summaryLines = Files.readAllLines(dir.resolve("summary.csv"));
        assertTrue(summaryLines.get(1).startsWith(ODD_QUOTED + ",GD,"), summaryLines.get(1));
        try (CSVParser parser = parse(dir.resolve("summary.csv"),
                "dataset,optimizer,lr,damping,initial_loss,final_loss,runs,diverged_runs")) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(3, records.size());
            for (int k = 0; k < 3; k++) {
                CSVRecord r = records.get(k);
                assertEquals(ODD, r.get("dataset"));
                assertEquals(Method.values()[k].name(), r.get("optimizer"));
                assertEquals(Method.values()[k].damped() ? "4" : "2", r.get("runs"));
                assertEquals(Method.values()[k].damped(), !r.get("damping").isEmpty(), r.toString());
            }
        }
        try (CSVParser parser = parse(dir.resolve("curves.csv"), "dataset,optimizer,iteration,loss")) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(3 * (grid.iterations() + 1), records.size());
            assertTrue(records.stream().allMatch(r -> r.get("dataset").equals(ODD) && r.size() == 4));
            assertEquals("0", records.get(0).get("iteration"));
            assertEquals(Integer.toString(grid.iterations()), records.get(grid.iterations()).get("iteration"));
        }
        try (CSVParser parser = parse(dir.resolve("cosine.csv"), "dataset,iteration,cosine")) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(grid.iterations(), records.size());
            for (CSVRecord r : records) {
                assertEquals(ODD, r.get("dataset"));
                double c = Double.parseDouble(r.get("cosine"));
                assertTrue(c >= -1 - 1e-12 && c <= 1 + 1e-12, r.toString());
            }
        }
        try (CSVParser parser = parse(dir.resolve("timing.csv"), "dataset,runs_computed,run_iterations,seconds,"
                + "cpu_seconds,runs_per_second,cpu_microseconds_per_run_iteration,threads")) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(1, records.size());
            assertEquals(ODD, records.get(0).get("dataset"));
            assertEquals(Integer.toString(grid.runsPerDataset()), records.get(0).get("runs_computed"));
            assertTrue(records.get(0).get("seconds").matches("\\d+\\.\\d{3}"), records.get(0).get("seconds"));
            assertEquals("1", records.get(0).get("threads"));
        }
        // runs.csv (the resumable store) reads the quoted name back: a second run has nothing to do
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new OptimExperiment(tmp, grid, 1, new PrintStream(log, true, StandardCharsets.UTF_8), false).run(List.of(p));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("all " + grid.runsPerDataset() + " runs already in"),
                log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSummaryRowWithoutABestRunLeavesItsFieldsEmpty() throws IOException {
        OptimRuns.Row ngd = new OptimRuns.Row("p", "NGD", GridValues.format(0.5), GridValues.format(1e-3), 4, 0.25, false);
        List<OptimExperiment.Best> rows = List.of(
                new OptimExperiment.Best("p", Method.GD, -1, -1, 0.75, null, 3, 3),
                new OptimExperiment.Best("p", Method.NGD, 1, 0, 0.75, ngd, 6, 1));
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, ResumableCsv.FORMAT)) {
            OptimExperiment.printSummary(csv, rows);
        }
        assertEquals("dataset,optimizer,lr,damping,initial_loss,final_loss,runs,diverged_runs\n"
                + "p,GD,,," + GridValues.format(0.75) + ",,3,3\n"
                + "p,NGD," + GridValues.format(0.5) + "," + GridValues.format(1e-3) + "," + GridValues.format(0.75) + ","
                + GridValues.format(0.25) + ",6,1\n", text.toString());
    }

    @Test
    void vecfieldFilesParseBack() throws IOException {
        new VecfieldExperiment(tmp, quiet(), 21, 1).run(PaperProblems.vecfield(0));
        Path dir = tmp.resolve("vecfield");
        try (CSVParser parser = parse(dir.resolve("trajectories.csv"), "field,start,step,theta1,theta2")) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(3 * 4 * 3, records.size()); // rows 0, 10 and 20 of 4 starts x 3 fields
            CSVRecord last = records.get(records.size() - 1);
            assertEquals(List.of("ef", "3", "20"), last.toList().subList(0, 3));
            assertEquals("gd", records.get(0).get("field"));
            assertEquals(2.0, Double.parseDouble(records.get(0).get("theta1")));
            assertEquals(4.5, Double.parseDouble(records.get(0).get("theta2")));
        }
        try (CSVParser parser = parse(dir.resolve("fields.csv"), "field,start,theta1,theta2,v1,v2")) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(12, records.size());
            VectorFields f = new VectorFields(PaperProblems.vecfield(0));
            double[] v = f.at(VectorFields.Kind.NGD, VecfieldExperiment.STARTS[1]);
            CSVRecord ngd1 = records.stream().filter(r -> r.get("field").equals("ngd") && r.get("start").equals("1"))
                    .findFirst().orElseThrow();
            assertEquals(v[0], Double.parseDouble(ngd1.get("v1")));
            assertEquals(v[1], Double.parseDouble(ngd1.get("v2")));
        }
        try (CSVParser parser = parse(dir.resolve("optimum.csv"), "theta1,theta2,grad_norm,h11,h12,h22,ef11,ef12,ef22")) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(1, records.size());
            assertEquals(9, records.get(0).size());
        }
    }
}
