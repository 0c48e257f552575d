package io.github.natgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.linalg.Numerics;
import io.github.natgrad.linalg.Simd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** numerics.txt: written once per distinct host, and a warning naming what differs when the folder has another. */
class HostRecordTest {

    private static String record(Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        HostRecord.record(dir, "ablate", new PrintStream(err, true, StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSameHostIsRecordedOnceAndAnotherIsNamedInAWarning(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("results");
        assertEquals("", record(out));
        assertEquals("", record(out), "resuming on the same host: no warning");
        Path file = out.resolve(HostRecord.FILE);
        assertEquals(List.of(Numerics.host()), Files.readAllLines(file));

        String other = Numerics.host().replaceFirst("^lanes=\\d", "lanes=" + (Simd.lanes() == 4 ? 2 : 4));
        Files.writeString(file, other + "\n");
        String warning = record(out);
        assertTrue(warning.startsWith("ablate: warning: earlier runs in " + out), warning);
        assertTrue(warning.contains("lanes=" + (Simd.lanes() == 4 ? 2 : 4) + " then, lanes=" + Simd.lanes() + " now"),
                warning);
        assertTrue(!warning.contains("OpenBLAS"), "only the part that differs is named: " + warning);
        assertEquals(List.of(other, Numerics.host()), Files.readAllLines(file), "both hosts are on record");
    }
}
