package io.github.natgrad.bench.jmh;

import io.github.natgrad.training.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code bench-report}: turns JMH JSON results of the natgrad suite into a markdown report — the machine
 * and the exact command, the step time per preconditioner and shape, the parts of a step beside the
 * machine's own {@code dsyrk}/{@code dgemm}/{@code dpotrf} rates, the targets (build ≥ 60% of the
 * {@code dsyrk} rate at 20 000 × 500; true-Fisher step ≤ 25 µs at 569 × 31), and the cost exponents
 * fitted by least squares to log t = c + a·log N + b·log D — plus log-log PNG plots of step time vs N
 * and vs D per preconditioner, and a CSV of every result. Every file is written atomically.
 */
@Command(name = "bench-report", mixinStandardHelpOptions = true,
        description = {"Turn JMH JSON results (files, or directories holding jmh.json) into a markdown report with "
                + "tables, the performance targets, fitted cost exponents, log-log plots (PNG) and a CSV.",
            "Example: bench-report results/jmh-full --markdown docs/benchmarks/jmh-report.md --plots docs/benchmarks "
                + "--notes docs/benchmark-notes.md"})
public final class ReportCommand implements Callable<Integer> {

    /** The curvature kinds in table order. */
    static final List<String> KINDS = ReportText.KINDS;

    @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "JMH JSON files or directories with jmh.json")
    List<Path> inputs;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() throws IOException {
        List<BenchResult> results = new ArrayList<>();
        Optional<RunInfo> run = Optional.empty();
        for (Path input : inputs) {
            Path file = Files.isDirectory(input) ? input.resolve("jmh.json") : input;
            List<BenchResult> read = ResultReader.read(file);
            Optional<RunInfo> info = ResultReader.runInfo(file);
            Map<String, Double> loads = ResultReader.partLoads(ResultReader.absoluteParent(file).resolve("parts"));
            int cores = info.map(RunInfo::cores).orElse(Runtime.getRuntime().availableProcessors());
            for (BenchResult r : read) {
                Double load = loads.get(r.part());
                results.add(load != null && load > cores ? r.markedOverloaded() : r);
            }
            if (run.isEmpty()) {
                run = info;
            }
        }
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no benchmark results in " + inputs + "; run jmh-suite or "
                    + "jmh -rf json -rff FILE first");
        }
        Path markdown = report.markdown;
        Path notes = report.notes;
        Path plotDir = report.plots != null ? report.plots : markdown != null
                ? ResultReader.absoluteParent(markdown).resolve("bench-plots") : Path.of("results", "bench-plots");
        ResultsCsv.write(results, plotDir.resolve("bench-results.csv"));
        String notesText = null;
        if (notes != null) {
            if (!Files.isRegularFile(notes)) {
                throw new IllegalArgumentException("no notes file at " + notes + "; give an existing markdown file or "
                        + "leave out --notes");
            }
            notesText = Files.readString(notes);
        }
        String text = ReportMarkdown.render(results, run, plotDir,
                markdown == null ? null : ResultReader.absoluteParent(markdown), command(), notesText);
        if (markdown == null) {
            System.out.print(text);
        } else {
            AtomicFiles.write(markdown, text);
            System.out.println("report: " + markdown + " (plots and CSV in " + plotDir + ")");
        }
        return 0;
    }

    /** The command that regenerates this report, for the report itself. */
    private String command() {
        StringBuilder command = new StringBuilder("bin/natgrad bench-report");
        inputs.forEach(p -> command.append(' ').append(p));
        report.arguments().forEach(a -> command.append(' ').append(a));
        return command.toString();
    }

    /** Reads a JMH JSON result array (see {@link ResultReader#read}). */
    static List<BenchResult> read(Path file) throws IOException {
        return ResultReader.read(file);
    }

    /** {a, b, count} of log t = c + a log N + b log D (see {@link CostExponents#fit}). */
    static double[] fit(List<BenchResult> rs, java.util.function.Predicate<BenchResult> keep) {
        return CostExponents.fit(rs, keep);
    }

    /** A time in µs, ms or s with three significant digits. */
    static String time(double micros) {
        return ReportText.time(micros);
    }
}
