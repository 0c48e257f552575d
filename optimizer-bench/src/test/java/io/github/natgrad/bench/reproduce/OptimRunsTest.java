package io.github.natgrad.bench.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.ResumableCsv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optim grid's runs.csv as the study engine's store reads it (the {@link OptimRuns} layout's
 * {@code StudyTable.schema()} over {@link ResumableCsv}): a cut last line is reported and repaired, a malformed row is an error with file and line.
 */
class OptimRunsTest {
    private static final String A = "wine,NGD,0.12500000000000000,0.0078125000000000000,100,0.25000000000000000,false";
    private static final String B = "wine,GD,1.0000000000000000,,37,1024.0000000000000,true";

    @TempDir
    Path dir;

    private static ResumableCsv<List<String>> open(Path file) {
        return ResumableCsv.open(file, OptimRuns.TABLE.schema(), System.err);
    }

    @Test
    void aCutLastLineIsReportedRemovedAndTheCompleteRowsKept() throws Exception {
        Path file = dir.resolve("runs.csv");
        Files.writeString(file, OptimRuns.HEADER + "\n" + A + "\n" + B.substring(0, 20));
        ByteArrayOutputStream notices = new ByteArrayOutputStream();
        try (ResumableCsv<List<String>> store = ResumableCsv.open(file, OptimRuns.TABLE.schema(),
                new PrintStream(notices, true, StandardCharsets.UTF_8))) {
            assertEquals(1, store.size());
            OptimRuns.Row a = OptimRuns.Row.of(store.get("wine,NGD,0.12500000000000000,0.0078125000000000000"));
            assertEquals(100, a.iterations());
            assertEquals(0.25, a.finalLoss(), 0.0);
            assertTrue(!a.diverged());
            store.append(List.of(new OptimRuns.Row("wine", "GD", "1.0000000000000000", "", 37, 1024.0, true).fields()));
        }
        String log = notices.toString(StandardCharsets.UTF_8);
        assertTrue(log.startsWith(file + ":3: removed an incomplete last line"), log);
        assertEquals(OptimRuns.HEADER + "\n" + A + "\n" + B + "\n", Files.readString(file));
    }

    @Test
    void aMalformedRowIsAnErrorNamingTheFileAndLineAndTheFileIsLeftAlone() throws Exception {
        Path file = dir.resolve("runs.csv");
        for (String bad : List.of(A.replace(",false", ",fals"), A.replace(",100,", ",1e2,"), A.replace(",NGD,", ",NGD,,"),
                A.replace("0.25000000000000000", "zero"))) {
            String text = OptimRuns.HEADER + "\n" + B + "\n" + bad + "\n" + A.replace("wine", "a1a") + "\n";
            Files.writeString(file, text);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(file));
            assertTrue(e.getMessage().startsWith(file + ":3: malformed run record"), e.getMessage());
            assertEquals(text, Files.readString(file));
        }
        Files.writeString(file, "policy,lr\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(file));
        assertTrue(e.getMessage().contains(file + ":1: the header is 'policy,lr'"), e.getMessage());
    }
}
