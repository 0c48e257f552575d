package io.github.natgrad.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's arithmetic against closed forms: exponent fits, units, shapes. */
class ReportCommandTest {

    private static BenchResult timed(String shape, double micros) {
        return new BenchResult("PartsBenchmark.curvatureBuild", Map.of("shape", shape), micros, micros, 0, 1, 1, "", false);
    }

    @Test
    void fitRecoversTheExponentsOfAnExactPowerLaw() {
        List<BenchResult> rs = new ArrayList<>();
        for (String shape : Workload.SHAPES) {
            int[] nd = Workload.parseShape(shape);
            rs.add(timed(shape, 3e-5 * Math.pow(nd[0], 1.0) * Math.pow(nd[1], 2.0)));
        }
        double[] fit = ReportCommand.fit(rs, r -> true);
        assertArrayEquals(new double[] {1.0, 2.0, Workload.SHAPES.length}, fit, 1e-9);
    }

    @Test
    void fitNeedsFourShapes() {
        List<BenchResult> rs = List.of(timed("10x2", 1), timed("20x2", 2), timed("40x4", 9));
        assertNull(ReportCommand.fit(rs, r -> true));
    }

    @Test
    void unitsAndShapes() {
        assertEquals(1e3, BenchResult.toMicros("ms/op"));
        assertEquals(1e-3, BenchResult.toMicros("ns/op"));
        assertThrows(IllegalArgumentException.class, () -> BenchResult.toMicros("ops/s"));
        assertArrayEquals(new int[] {569, 31}, Workload.parseShape("569x31"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.parseShape("569by31"));
        assertEquals("shape '569by31' is not NxD with N >= 1 and D >= 2, e.g. 569x31", e.getMessage());
        assertEquals("1.50 ms", ReportCommand.time(1500));
    }

    @Test
    void aReportInADocsFolderLinksItsPlotsRelativeToItself(@TempDir Path dir) throws Exception {
        // bench-report ... --markdown docs/benchmarks/jmh-report.md --plots docs/benchmarks: the page and its
        // plots share a folder, so the links are bare file names that resolve from the page
        Path plots = dir.resolve("docs").resolve("benchmarks");
        Path markdown = plots.resolve("jmh-report.md");
        List<BenchResult> rs = new ArrayList<>();
        for (String shape : Workload.SHAPES) {
            int[] nd = Workload.parseShape(shape);
            rs.add(new BenchResult("StepBenchmark.step", Map.of("shape", shape, "model", "logistic", "kind", "fisher",
                    "threads", "1"), 1e-3 * nd[0] * nd[1], 1e-3 * nd[0] * nd[1], 0, 1, 1, "", false));
        }
        String text = ReportMarkdown.render(rs, java.util.Optional.empty(), plots, markdown.getParent(), "report", null);
        assertTrue(text.startsWith("# natgrad JMH report\n"), text);
        assertTrue(text.contains("![step-vs-N-logistic](step-vs-N-logistic.png)"), text);
        assertTrue(text.contains("![step-vs-D-logistic](step-vs-D-logistic.png)"), text);
        assertTrue(Files.size(plots.resolve("step-vs-N-logistic.png")) > 0);
    }
}
