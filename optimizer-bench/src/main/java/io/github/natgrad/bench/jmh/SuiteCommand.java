package io.github.natgrad.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import io.github.natgrad.training.AtomicFiles;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jmh-suite}: runs the whole JMH suite in one of two {@link SuiteProfile profiles}, merges the
 * results into one JMH JSON file and writes the report ({@code bench-report}). Resumable: each part
 * (benchmark class × shape) goes to its own file under {@code OUT/parts}, written atomically, and a
 * part whose file exists is not run again (use {@code --force} to redo them all).
 */
@Command(name = "jmh-suite", mixinStandardHelpOptions = true,
        description = "Run the JMH suite (quick: a few minutes on 2 cores; full: every shape and preconditioner), "
                + "merge the results into OUT/jmh.json and write the markdown report and plots. Resumable: parts "
                + "already in OUT/parts are kept unless --force.")
public final class SuiteCommand implements Callable<Integer> {

    /**
     * The suffix of a part's load record: the 1-minute load average when the part started and ended, which
     * {@code bench-report} uses to mark results measured while the machine was overloaded.
     */
    static final String LOAD_SUFFIX = ".load";

    @Option(names = "--profile", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})",
            defaultValue = "quick")
    SuiteProfile profile;

    @Option(names = "--out", description = "results directory (default results/jmh-PROFILE)")
    Path out;

    @Mixin
    ReportOptions report;

    @Option(names = "--force", description = "run every part again even if its results exist")
    boolean force;

    @Option(names = "--only", description = "run only the parts whose name (e.g. StepBenchmark-569x31) matches this regex")
    String only;

    @Override
    public Integer call() throws Exception {
        SuiteProfile p = profile;
        Path dir = out != null ? out : Path.of("results", "jmh-" + p.name().toLowerCase(Locale.ROOT));
        Path partsDir = dir.resolve("parts");
        Files.createDirectories(partsDir);
        List<String> command = new ArrayList<>(List.of("jmh-suite", "--profile", p.name().toLowerCase(Locale.ROOT)));
        if (out != null) {
            command.addAll(List.of("--out", out.toString()));
        }
        if (only != null) {
            command.addAll(List.of("--only", only));
        }
        RunInfo.current(command).write(dir.resolve(RunInfo.FILE));

        List<SuiteProfile.Part> parts = p.parts();
        List<Path> files = new ArrayList<>();
        Pattern filter = only == null ? null : Pattern.compile(only);
        int index = 0;
        for (SuiteProfile.Part part : parts) {
            index++;
            Path file = partsDir.resolve(part.name() + ".json");
            if (filter != null && !filter.matcher(part.name()).find()) {
                continue;
            }
            files.add(file);
            if (Files.exists(file) && !force) {
                System.out.printf("[%d/%d] %s: done before, kept (%s)%n", index, parts.size(), part.name(), file);
                continue;
            }
            System.out.printf("[%d/%d] %s%n", index, parts.size(), part.name());
            double loadBefore = RunInfo.load1();
            run(p, part, file);
            AtomicFiles.write(partsDir.resolve(part.name() + LOAD_SUFFIX),
                    String.format(java.util.Locale.ROOT, "%.2f %.2f%n", loadBefore, RunInfo.load1()));
        }
        Path merged = dir.resolve("jmh.json");
        merge(files, merged);
        System.out.println("results: " + merged);

        List<String> reportArgs = new ArrayList<>(List.of(merged.toString()));
        reportArgs.addAll(report.arguments());
        if (report.markdown == null) {
            reportArgs.addAll(List.of("--markdown", dir.resolve("report.md").toString()));
        }
        return new picocli.CommandLine(new ReportCommand()).execute(reportArgs.toArray(String[]::new));
    }

    /** Runs one part and moves its results into place. */
    private static void run(SuiteProfile profile, SuiteProfile.Part part, Path file) throws Exception {
        AtomicFiles.write(file, tmp -> runPart(profile, part, tmp));
    }

    private static void runPart(SuiteProfile profile, SuiteProfile.Part part, Path tmp) throws IOException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(part.benchmark().getName() + ".") + "\\w+$")
                .param("shape", part.shape())
                .resultFormat(ResultFormatType.JSON)
                .result(tmp.toString())
                .shouldFailOnError(true);
        for (Map.Entry<String, String[]> e : part.params().entrySet()) {
            options.param(e.getKey(), e.getValue());
        }
        if (profile.warmupIterations >= 0) {
            options.forks(1)
                    .warmupIterations(profile.warmupIterations)
                    .warmupTime(TimeValue.milliseconds(profile.warmupMillis))
                    .measurementIterations(profile.measurementIterations)
                    .measurementTime(TimeValue.milliseconds(profile.measurementMillis));
        }
        try {
            new Runner(options.build()).run(); // a failed part leaves no half-written file; finished parts stay
        } catch (RunnerException e) {
            throw new IOException("benchmark part " + part.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** Concatenates the parts' JSON arrays into one JMH result file, atomically. */
    static void merge(List<Path> files, Path merged) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode all = json.createArrayNode();
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue;
            }
            JsonNode node = json.readTree(f.toFile());
            if (node == null || !node.isArray()) {
                throw new IOException(f + " is not a JMH JSON result file (expected an array); delete it and "
                        + "run the suite again to redo that part");
            }
            all.addAll((ArrayNode) node);
        }
        AtomicFiles.write(merged, tmp -> json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all));
    }
}
