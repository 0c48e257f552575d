package io.github.natgrad.bench.reproduce;

import io.github.natgrad.training.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Writes {@code OUT/README.md}: the command, every figure found under OUT (vecfield, misspec, optim, damping) and the
 * optim summary table, so that a results directory explains itself.
 */
final class ResultsReadme {
    private ResultsReadme() {
    }

    static void write(Path out, String command, Grid grid) {
        StringBuilder md = new StringBuilder("# Reproduction of Kunstner, Balles & Hennig (NeurIPS 2019)\n\n");
        md.append("\"Limitations of the Empirical Fisher Approximation for Natural Gradient Descent\", reproduced by ")
                .append("natgrad with the conventions of the authors' public code.\n\nCommand: `").append(command)
                .append("`\n\n");
        section(md, out, "vecfield", "Fig. 1: vector fields of GD, NGD and EF on a 2-D linear regression",
                "Fields over the loss contours, Euler trajectories from four starts (red). Data: `vecfield/trajectories.csv`; "
                        + "theta*, H and EF at theta*: `vecfield/optimum.csv`; the fields at the starts: `vecfield/fields.csv`.");
        section(md, out, "misspec", "Fig. 2: Fisher vs empirical Fisher at the optimum",
                "Ellipses θ* + 3·M^(−1/2)u with M = N·F (blue) or N·EF (red), over the loss contours. "
                        + "Data: `misspec/misspec.csv`.");
        section(md, out, "optim", "Fig. 3: optimisation with GD, NGD and EF preconditioning",
                "Best run of each optimizer over the grid (" + grid + "), loss per iteration, and the cosine between the "
                        + "NGD and EF directions along the best EF run. Data: `optim/runs.csv`, `optim/summary.csv`, "
                        + "`optim/curves.csv`, `optim/cosine.csv`.");
        section(md, out, "damping", "Beyond the paper: damping an indefinite Hessian (MLP)",
                "Damped-Hessian steps on a small MLP whose Hessian is indefinite: the best run of each damping "
                        + "policy (fixed, shift to positive definite, saddle-free, Levenberg-Marquardt) and of "
                        + "Gauss-Newton. Details and the summary table: [damping/README.md](damping/README.md).");
        Path summary = out.resolve("optim").resolve("summary.csv");
        if (Files.exists(summary)) {
            md.append("### Summary (best run per dataset and optimizer)\n\n");
            table(md, summary);
        }
        Path timing = out.resolve("optim").resolve("timing.csv");
        if (Files.exists(timing)) {
            md.append("\n### Timing of the last grid run (preliminary, machine-dependent)\n\n");
            table(md, timing);
        }
        AtomicFiles.write(out.resolve("README.md"), md.toString());
    }

    private static void section(StringBuilder md, Path out, String dir, String title, String text) {
        Path d = out.resolve(dir);
        if (!Files.isDirectory(d)) {
            return;
        }
        try (Stream<Path> files = Files.list(d)) {
            List<String> pngs = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".png"))
                    .sorted(java.util.Comparator.comparing(ResultsReadme::figureOrder)).toList();
            if (pngs.isEmpty()) {
                return;
            }
            md.append("## ").append(title).append("\n\n").append(text).append("\n\n");
            for (String png : pngs) {
                md.append("![").append(png, 0, png.length() - 4).append("](").append(dir).append('/').append(png)
                        .append(")\n");
            }
            md.append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sorts GD, NGD, EF panels in that order, and each dataset's loss figure before its cosine figure. */
    private static String figureOrder(String file) {
        return file.replace("-gd.", "-0.").replace("-ngd.", "-1.").replace("-ef.", "-2.").replace("-loss.", "-0.")
                .replace("-cosine.", "-1.");
    }

    /** A CSV file (read with commons-csv) as a markdown table; a '|' in a field is escaped. */
    private static void table(StringBuilder md, Path csv) {
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(reader, CSVFormat.DEFAULT)) {
            boolean header = true;
            for (CSVRecord record : parser) {
                md.append("| ").append(String.join(" | ", record.toList().stream().map(f -> f.replace("|", "\\|"))
                        .toList())).append(" |\n");
                if (header) {
                    md.append("|").append(" --- |".repeat(record.size())).append('\n');
                    header = false;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(),
                    e instanceof IOException ? (IOException) e : ((UncheckedIOException) e).getCause());
        }
    }
}
