package io.github.natgrad.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicFiles}: a write replaces the whole file and leaves nothing beside it; a failed write leaves the old
 * file as it was, no temporary file, and an error that names the file.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("sub"))) {
            return s.toList();
        }
    }

    @Test
    void aWriteReplacesTheFileAndLeavesNothingBeside() throws IOException {
        Path file = dir.resolve("sub").resolve("result.json");
        AtomicFiles.write(file, "first, and longer\n");
        AtomicFiles.write(file, "second\n");
        assertEquals("second\n", Files.readString(file));
        assertEquals(List.of(file), files());
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndNamesIt() throws IOException {
        Path file = dir.resolve("sub").resolve("trace.csv");
        AtomicFiles.write(file, "old\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(file, tmp -> {
            assertTrue(tmp.getFileName().toString().endsWith(".csv"), "the temporary file keeps the extension: " + tmp);
            Files.writeString(tmp, "half of the new");
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("old\n", Files.readString(file));
        assertEquals(List.of(file), files(), "no temporary file left");
    }
}
