package io.github.natgrad.bench.jmh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of the markdown report ({@code --markdown}, {@code --plots}, {@code --notes}): a picocli mixin of
 * {@code bench-report}, which writes the report, and of {@code jmh-suite}, which passes them on to it
 * ({@link #arguments()}).
 */
public final class ReportOptions {

    /** The report file, or null (bench-report: print it; jmh-suite: OUT/report.md). */
    @Option(names = "--markdown", paramLabel = "FILE",
            description = "the report file (default: bench-report prints it to standard output; jmh-suite writes "
                    + "OUT/report.md)")
    Path markdown;

    /** The folder of the plots and the CSV, or null (beside the report). */
    @Option(names = "--plots", paramLabel = "DIR", description = "directory for the PNG plots and CSV (default: "
            + "bench-plots/ beside the report, or results/bench-plots when printing)")
    Path plots;

    /** Hand-written notes to include, or null. */
    @Option(names = "--notes", paramLabel = "FILE", description = "a markdown file of hand-written notes "
            + "(explanations of the figures) to include after the tables")
    Path notes;

    /** The options given, as bench-report's arguments: {@code --markdown FILE}, {@code --plots DIR}, {@code --notes FILE}. */
    List<String> arguments() {
        List<String> args = new ArrayList<>();
        for (Object[] option : new Object[][] {{"--markdown", markdown}, {"--plots", plots}, {"--notes", notes}}) {
            if (option[1] != null) {
                args.add((String) option[0]);
                args.add(option[1].toString());
            }
        }
        return args;
    }
}
