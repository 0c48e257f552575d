package io.github.natgrad.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes charts (xchart) and text files atomically: each goes to a temporary file in the same directory
 * and is then moved over the target, so an interrupted run never leaves a half-written file.
 */
public final class ChartFiles {
    private ChartFiles() {
    }

    /**
     * Saves {@code chart} as {@code base.png}, and as {@code base.svg} when the optional VectorGraphics2D
     * library xchart uses for SVG is on the class path. Returns the PNG path.
     */
    public static Path save(Chart<?, ?> chart, Path base) {
        Path png = base.resolveSibling(base.getFileName() + ".png");
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(png.toAbsolutePath().getParent(), ".chart", ".png");
            BitmapEncoder.saveBitmapWithDPI(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG, 150);
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the chart " + png, e);
        }
        try {
            Path svg = base.resolveSibling(base.getFileName() + ".svg");
            Path tmp = Files.createTempFile(svg.toAbsolutePath().getParent(), ".chart", ".svg");
            VectorGraphicsEncoder.saveVectorGraphic(chart, tmp.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            Files.move(tmp, svg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (LinkageError | IOException e) {
            // SVG needs de.erichseifert.vectorgraphics2d, an optional dependency of xchart: PNG only
            deleteTemporarySvgs(png.toAbsolutePath().getParent());
        }
        return png;
    }

    private static void deleteTemporarySvgs(Path dir) {
        try (var files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith(".chart")).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Writes {@code text} to {@code file} atomically (temporary file, then move). */
    public static void writeAtomically(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
