package io.github.natgrad.bench.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpDampingExperimentTest {
    private static final MlpDampingExperiment SMALL = MlpDampingExperiment.defaults().withExamples(120).withSteps(8)
            .withGrid(new double[] {0.3, 1.0}, new double[] {1e-3, 1.0});

    private static List<CSVRecord> read(Path file) throws Exception {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    @Test
    void summaryHoldsTheBestUsableRunOfEachPolicyAndResumeSkipsFinishedRuns(@TempDir Path dir) throws Exception {
        var summaries = SMALL.run(dir, 5);
        List<CSVRecord> runs = read(dir.resolve("runs.csv"));
        assertEquals(MlpDampingExperiment.POLICIES.size() * 4, runs.size());
        // the best run, recomputed independently from runs.csv: lowest final loss among ok runs, first in grid order
        Map<String, CSVRecord> best = new HashMap<>();
        for (CSVRecord r : runs) {
            if (r.get("status").equals("ok") && (!best.containsKey(r.get("policy"))
                    || Double.parseDouble(r.get("final_loss")) < Double.parseDouble(best.get(r.get("policy")).get("final_loss")))) {
                best.put(r.get("policy"), r);
            }
        }
        List<CSVRecord> summary = read(dir.resolve("summary.csv"));
        assertEquals(MlpDampingExperiment.POLICIES.size(), summary.size());
        for (CSVRecord s : summary) {
            CSVRecord b = best.get(s.get("policy"));
            if (b == null) {
                assertEquals("", s.get("final_loss"));
                continue;
            }
            assertEquals(b.get("final_loss"), s.get("final_loss"), s.get("policy"));
            assertEquals(b.get("lr"), s.get("lr"));
            assertEquals(b.get("damping"), s.get("damping"));
        }
        // the fixed Tikhonov damping meets the indefinite Hessian at the start for small lambda and stops
        assertTrue(runs.stream().anyMatch(r -> r.get("policy").equals("fixed")
                && r.get("status").equals("not-positive-definite")));
        // the repairing policies never stop on it
        for (String p : List.of("shift-to-pd", "saddle-free", "levenberg-marquardt")) {
            assertTrue(runs.stream().noneMatch(r -> r.get("policy").equals(p)
                    && r.get("status").equals("not-positive-definite")), p);
        }
        assertTrue(Files.exists(dir.resolve("loss-curves.png")));
        List<CSVRecord> curves = read(dir.resolve("curves.csv"));
        assertTrue(curves.size() > 0);

        // simulate an interruption: keep the header and 5 runs plus half a line, then resume
        List<String> lines = Files.readAllLines(dir.resolve("runs.csv"));
        Files.writeString(dir.resolve("runs.csv"), String.join("\n", lines.subList(0, 6)) + "\n"
                + lines.get(6).substring(0, 10));
        var resumed = SMALL.run(dir, 5);
        List<CSVRecord> again = read(dir.resolve("runs.csv"));
        assertEquals(runs.size(), again.stream().filter(r -> r.size() == 7).count());
        assertEquals(Files.readString(dir.resolve("summary.csv")), Files.readString(dir.resolve("summary.csv")));
        for (int i = 0; i < summaries.size(); i++) {
            var a = summaries.get(i).best();
            var b = resumed.get(i).best();
            if (a == null) {
                assertNull(b);
            } else {
                assertEquals(a.finalLoss(), b.finalLoss(), 0.0, summaries.get(i).policy());
            }
        }
    }
}
