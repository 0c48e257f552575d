package io.github.natgrad.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.natgrad.linalg.Blas;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
                + "tables, the issue's targets, fitted cost exponents, log-log plots (PNG) and a CSV.",
            "Example: bench-report results/jmh-full --markdown BENCHMARKS.md --plots docs/benchmarks"})
public final class ReportCommand implements Callable<Integer> {

    /** The curvature kinds in table order. */
    static final List<String> KINDS =
            List.of("identity", "fisher", "mc-fisher", "empirical-fisher", "gauss-newton", "hessian");

    @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "JMH JSON files or directories with jmh.json")
    List<Path> inputs;

    @Option(names = "--markdown", description = "the report file (default: print to standard output)")
    Path markdown;

    @Option(names = "--plots", description = "directory for the PNG plots and CSV (default: bench-plots/ beside "
            + "the report, or results/bench-plots when printing)")
    Path plots;

    @Option(names = "--notes", description = "a markdown file of hand-written notes (explanations of the figures) "
            + "to include after the tables")
    Path notes;

    @Override
    public Integer call() throws IOException {
        List<BenchResult> results = new ArrayList<>();
        Optional<RunInfo> run = Optional.empty();
        for (Path input : inputs) {
            Path file = Files.isDirectory(input) ? input.resolve("jmh.json") : input;
            List<BenchResult> read = read(file);
            Optional<RunInfo> info = runInfo(file);
            Map<String, Double> loads = partLoads(absoluteParent(file).resolve("parts"));
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
        Path plotDir = plots != null ? plots
                : markdown != null ? absoluteParent(markdown).resolve("bench-plots") : Path.of("results", "bench-plots");
        Files.createDirectories(plotDir);
        writeCsv(results, plotDir.resolve("bench-results.csv"));
        StringBuilder reportCommand = new StringBuilder("java -jar optimizer-bench/target/natgrad-bench.jar bench-report");
        inputs.forEach(p -> reportCommand.append(' ').append(p));
        if (markdown != null) {
            reportCommand.append(" --markdown ").append(markdown);
        }
        if (plots != null) {
            reportCommand.append(" --plots ").append(plots);
        }
        if (notes != null) {
            reportCommand.append(" --notes ").append(notes);
        }
        String notesText = null;
        if (notes != null) {
            if (!Files.isRegularFile(notes)) {
                throw new IllegalArgumentException("no notes file at " + notes + "; give an existing markdown file or "
                        + "leave out --notes");
            }
            notesText = Files.readString(notes);
        }
        String text = render(results, run, plotDir, markdown == null ? null : absoluteParent(markdown),
                reportCommand.toString(), notesText);
        if (markdown == null) {
            System.out.print(text);
        } else {
            writeAtomically(markdown, text);
            System.out.println("report: " + markdown + " (plots and CSV in " + plotDir + ")");
        }
        return 0;
    }

    private static Path absoluteParent(Path file) {
        return file.toAbsolutePath().getParent();
    }

    /** Reads a JMH JSON result array. */
    static List<BenchResult> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no JMH results at " + file + "; give a file written with "
                    + "-rf json -rff FILE, or a jmh-suite results directory");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON (" + e.getMessage() + "); was the run "
                    + "interrupted? Re-run it or give the parts' files", e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + " is not a JMH JSON result file (expected an array)");
        }
        List<BenchResult> results = new ArrayList<>();
        for (JsonNode node : root) {
            results.add(BenchResult.of(node));
        }
        return results;
    }

    /** The highest 1-minute load average recorded for each {@code jmh-suite} part (start or end). */
    private static Map<String, Double> partLoads(Path partsDir) throws IOException {
        Map<String, Double> loads = new LinkedHashMap<>();
        if (!Files.isDirectory(partsDir)) {
            return loads;
        }
        try (java.util.stream.Stream<Path> files = Files.list(partsDir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(SuiteCommand.LOAD_SUFFIX))::iterator) {
                String name = f.getFileName().toString();
                double max = Double.NaN;
                for (String v : Files.readString(f).trim().split("\\s+")) {
                    try {
                        double x = Double.parseDouble(v);
                        max = Double.isNaN(max) ? x : Math.max(max, x);
                    } catch (NumberFormatException e) {
                        // an unreadable value says nothing about the load
                    }
                }
                if (!Double.isNaN(max)) {
                    loads.put(name.substring(0, name.length() - SuiteCommand.LOAD_SUFFIX.length()), max);
                }
            }
        }
        return loads;
    }

    private static Optional<RunInfo> runInfo(Path results) throws IOException {
        Path sidecar = Path.of(results + "." + RunInfo.FILE);
        Path beside = absoluteParent(results).resolve(RunInfo.FILE);
        for (Path p : List.of(sidecar, beside)) {
            if (Files.isRegularFile(p)) {
                return Optional.of(RunInfo.read(p));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------- rendering

    /** The markdown report; plots go to {@code plotDir}, linked relative to {@code base} (or absolute). */
    static String render(List<BenchResult> results, Optional<RunInfo> run, Path plotDir, Path base,
            String reportCommand, String notesText) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# natgrad benchmarks\n\n");
        md.append("Generated by `bench-report` from JMH results; do not edit by hand — regenerate it (see the "
                + "command below). Times are medians over every measured iteration; GFLOP/s are flop counts "
                + "(the algorithm's, see `Workload`) over the median time.\n\n");
        md.append("## Machine and command\n\n");
        if (run.isPresent()) {
            RunInfo r = run.get();
            md.append("- CPU: ").append(r.cpu()).append(", ").append(r.cores()).append(" cores available to the JVM\n");
            md.append("- Load average at the start (1/5/15 min): ").append(r.loadAverage()).append('\n');
            md.append("- JVM: ").append(r.jvm()).append('\n');
            md.append("- BLAS: ").append(r.blas()).append('\n');
            md.append("- Thread environment: ").append(r.environment()).append('\n');
            md.append("- Started: ").append(r.started()).append('\n');
            md.append("- Command: `").append(r.command()).append("`\n");
            md.append("- Report: `").append(reportCommand).append("`\n");
            String[] load = r.loadAverage().split("\\s+");
            try {
                double load1 = Double.parseDouble(load[0]);
                if (load1 >= 0.5) {
                    md.insert(md.indexOf("## Machine and command"), String.format(Locale.ROOT, "> **Preliminary:** the "
                            + "machine was busy when this run started (load average %.2f on %d cores), so other "
                            + "processes shared the cores; regenerate on a quiet machine before quoting the "
                            + "figures.%n%n", load1, r.cores()));
                }
            } catch (NumberFormatException e) {
                // unknown load: no warning
            }
        } else {
            md.append("- (no run.json beside the results: machine of the report instead) CPU: ")
                    .append(RunInfo.cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                    .append(" cores\n");
        }
        Set<String> settings = results.stream().map(BenchResult::settings).collect(Collectors.toCollection(LinkedHashSet::new));
        md.append("- JMH settings: ").append(String.join("; ", settings)).append("\n\n");

        renderSteps(md, results);
        renderParts(md, results);
        renderTargets(md, results);
        renderExponents(md, results);
        if (notesText != null) {
            md.append("## Notes\n\n").append(notesText.strip()).append("\n\n");
        }
        renderPlots(md, results, plotDir, base);
        return md.toString();
    }

    private static void renderSteps(StringBuilder md, List<BenchResult> results) {
        List<BenchResult> steps = select(results, r -> r.benchmark().equals("StepBenchmark.step"));
        if (steps.isEmpty()) {
            return;
        }
        md.append("## One optimizer step (question a)\n\n");
        md.append("`StepBenchmark.step`: one `Optimizer.step` from θ₀ (forward pass, loss, gradient, curvature "
                + "build, Cholesky of C + λI, solve), λ = 1e-4. Cells: median time, and in brackets the flop rate; "
                + "† marks a result whose slowest iteration took more than " + NOISY_SPREAD + "× its fastest "
                + "(the cores were shared during the run: treat it with care); ‡ marks a result of a jmh-suite part "
                + "during which the load average exceeded the core count (other processes took CPU time from it, "
                + "possibly throughout: such a figure can be several times too slow).\n\n");
        for (String model : values(steps, "model")) {
            for (String threads : values(steps, "threads")) {
                List<BenchResult> sub = select(steps, r -> r.param("model", "").equals(model)
                        && r.param("threads", "1").equals(threads));
                if (sub.isEmpty()) {
                    continue;
                }
                md.append("**").append(model).append(" regression, ").append(threads).append(" BLAS thread(s)**\n\n");
                List<String> kinds = KINDS.stream().filter(k -> sub.stream().anyMatch(r -> r.param("kind", "").equals(k)))
                        .collect(Collectors.toList());
                md.append("| N | D | flops (fisher) |");
                kinds.forEach(k -> md.append(' ').append(k).append(" |"));
                md.append("\n|---:|---:|---:|");
                kinds.forEach(k -> md.append("---:|"));
                md.append('\n');
                for (String shape : shapes(sub)) {
                    int[] nd = Workload.parseShape(shape);
                    md.append("| ").append(nd[0]).append(" | ").append(nd[1]).append(" | ")
                            .append(flops(Workload.stepFlops("fisher", nd[0], nd[1], 1))).append(" |");
                    for (String k : kinds) {
                        Optional<BenchResult> r = first(sub, x -> x.param("shape", "").equals(shape)
                                && x.param("kind", "").equals(k));
                        md.append(' ').append(r.map(x -> time(x.medianMicros()) + noisy(x) + " (" + rate(x.gflops()) + ")")
                                .orElse("–")).append(" |");
                    }
                    md.append('\n');
                }
                md.append('\n');
            }
        }
    }

    private static void renderParts(StringBuilder md, List<BenchResult> results) {
        List<BenchResult> parts = select(results, r -> r.benchmark().startsWith("PartsBenchmark."));
        List<BenchResult> blas = select(results, r -> r.benchmark().startsWith("BlasBenchmark."));
        if (parts.isEmpty() && blas.isEmpty()) {
            return;
        }
        md.append("## The parts of a step and the machine's limit (questions b, c)\n\n");
        md.append("`PartsBenchmark` times the gradient (forward, loss, Jᵀr), the curvature build (`Curvature.build`) "
                + "and the Cholesky factorisation + solve, each alone. `BlasBenchmark` times, on the same N × D "
                + "matrix and in the same run, OpenBLAS `dsyrk` (upper triangle of XᵀX, the call the build makes), "
                + "OpenBLAS `dgemm` and ND4J `Nd4j.gemm` of the full XᵀX, and LAPACK `dpotrf` of a D × D matrix. "
                + "*build/dsyrk* is the build's flop rate as a fraction of `dsyrk`'s at the same thread count "
                + "(for `auto`, at the threads the build used). † and ‡ as above.\n\n");
        Set<String> models = new LinkedHashSet<>(values(parts, "model"));
        if (models.isEmpty()) {
            models.add("logistic");
        }
        for (String model : models) {
            md.append("**").append(model).append(" regression, curvature kind ")
                    .append(String.join(", ", values(parts, "kind"))).append("**\n\n");
            md.append("| N | D | threads | gradient | build | factor + solve | dsyrk | build/dsyrk | dgemm | "
                    + "ND4J gemm | dpotrf |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            Set<String> shapes = new LinkedHashSet<>(shapes(parts));
            shapes.addAll(shapes(blas));
            for (String shape : sortShapes(shapes)) {
                Set<String> threadValues = new LinkedHashSet<>();
                parts.stream().filter(r -> r.param("shape", "").equals(shape)).forEach(r -> threadValues.add(r.param("threads", "1")));
                blas.stream().filter(r -> r.param("shape", "").equals(shape)).forEach(r -> threadValues.add(r.param("threads", "1")));
                for (String threads : new java.util.TreeSet<>(threadValues)) {
                    Predicate<BenchResult> at = r -> r.param("shape", "").equals(shape)
                            && r.param("threads", "1").equals(blasThreads(threads, shape, blas))
                            && r.param("model", model).equals(model);
                    Predicate<BenchResult> atParts = r -> r.param("shape", "").equals(shape)
                            && r.param("threads", "1").equals(threads) && r.param("model", model).equals(model);
                    int[] nd = Workload.parseShape(shape);
                    Optional<BenchResult> build = first(parts, atParts.and(r -> r.benchmark().endsWith(".curvatureBuild")));
                    Optional<BenchResult> syrk = first(blas, at.and(r -> r.benchmark().endsWith(".dsyrk")));
                    md.append("| ").append(nd[0]).append(" | ").append(nd[1]).append(" | ").append(threads).append(" | ")
                            .append(cell(parts, atParts, ".gradient")).append(" | ")
                            .append(cell(parts, atParts, ".curvatureBuild")).append(" | ")
                            .append(cell(parts, atParts, ".factorSolve")).append(" | ")
                            .append(cell(blas, at, ".dsyrk")).append(" | ")
                            .append(build.isPresent() && syrk.isPresent()
                                    ? percent(build.get().gflops() / syrk.get().gflops()) : "–").append(" | ")
                            .append(cell(blas, at, ".dgemm")).append(" | ")
                            .append(cell(blas, at, ".nd4jGemm")).append(" | ")
                            .append(cell(blas, at, ".dpotrf")).append(" |\n");
                }
            }
            md.append('\n');
        }
    }

    private static void renderTargets(StringBuilder md, List<BenchResult> results) {
        md.append("## The issue's targets\n\n");
        String shape = SuiteProfile.BUILD_TARGET_SHAPE;
        List<BenchResult> builds = select(results, r -> r.benchmark().equals("PartsBenchmark.curvatureBuild")
                && r.param("shape", "").equals(shape) && r.param("kind", "").equals("fisher"));
        if (builds.isEmpty()) {
            md.append("- Build at ").append(shape).append(" vs dsyrk: not measured in these results.\n");
        }
        List<BenchResult> blas = select(results, r -> r.benchmark().startsWith("BlasBenchmark."));
        for (BenchResult build : builds) {
            String threads = blasThreads(build.param("threads", "1"), shape, blas);
            Optional<BenchResult> syrk = first(results, r -> r.benchmark().equals("BlasBenchmark.dsyrk")
                    && r.param("shape", "").equals(shape) && r.param("threads", "1").equals(threads));
            md.append("- Curvature build (fisher, ").append(build.param("model", "")).append(") at N × D = ")
                    .append(shape.replace("x", " × ")).append(", threads ").append(build.param("threads", "1"))
                    .append(": ")
                    .append(time(build.medianMicros())).append(", ").append(rate(build.gflops()));
            if (syrk.isPresent()) {
                double fraction = build.gflops() / syrk.get().gflops();
                md.append(" vs dsyrk (").append(threads).append(" thread(s)) ").append(time(syrk.get().medianMicros())).append(", ")
                        .append(rate(syrk.get().gflops())).append(": **").append(percent(fraction))
                        .append(" of the dsyrk rate** (target ≥ 60%: ").append(fraction >= 0.6 ? "met" : "NOT met")
                        .append(")\n");
            } else {
                md.append(" (no dsyrk at this shape and thread count in these results)\n");
            }
        }
        List<BenchResult> small = select(results, r -> r.benchmark().equals("StepBenchmark.step")
                && r.param("shape", "").equals("569x31") && r.param("kind", "").equals("fisher"));
        if (small.isEmpty()) {
            md.append("- True-Fisher step at 569 × 31: not measured in these results.\n");
        }
        for (BenchResult r : small) {
            md.append("- True-Fisher NGD step, ").append(r.param("model", "")).append(" regression at N × D = 569 × 31: **")
                    .append(time(r.medianMicros())).append("** for ").append(flops(r.flopsPerOp())).append(" flops (")
                    .append(rate(r.gflops())).append("); target ≤ 25 µs: ")
                    .append(r.medianMicros() <= 25 ? "met" : "NOT met, " + time(r.medianMicros() - 25) + " over")
                    .append('\n');
            Predicate<BenchResult> at = x -> x.param("shape", "").equals("569x31") && x.param("threads", "1").equals("1")
                    && x.param("model", r.param("model", "")).equals(r.param("model", ""))
                    && x.param("kind", "fisher").equals("fisher");
            Optional<BenchResult> gradient = first(results, at.and(x -> x.benchmark().equals("PartsBenchmark.gradient")));
            Optional<BenchResult> build = first(results, at.and(x -> x.benchmark().equals("PartsBenchmark.curvatureBuild")));
            Optional<BenchResult> factor = first(results, at.and(x -> x.benchmark().equals("PartsBenchmark.factorSolve")));
            Optional<BenchResult> syrk = first(results, at.and(x -> x.benchmark().equals("BlasBenchmark.dsyrk")));
            Optional<BenchResult> gram = first(results, at.and(x -> x.benchmark().equals("BlasBenchmark.natgradGram")));
            if (gradient.isPresent() && build.isPresent() && factor.isPresent() && syrk.isPresent()) {
                double sum = gradient.get().medianMicros() + build.get().medianMicros() + factor.get().medianMicros();
                md.append("  - where it goes (each part timed alone): gradient ").append(time(gradient.get().medianMicros()))
                        .append(", curvature build ").append(time(build.get().medianMicros()));
                gram.ifPresent(g -> md.append(" of which natgrad's Gram product takes ").append(time(g.medianMicros()))
                        .append(" (").append(rate(g.gflops())).append(")"));
                md.append(", factorisation + solve ").append(time(factor.get().medianMicros())).append("; sum ")
                        .append(time(sum)).append(". OpenBLAS dsyrk of the same rows alone takes ")
                        .append(time(syrk.get().medianMicros())).append(" (").append(rate(syrk.get().gflops()))
                        .append("), ").append(percent(syrk.get().medianMicros() / 25.0))
                        .append(" of the 25 µs budget: OpenBLAS reaches only a fraction of its large-matrix rate on a "
                                + "31-column product.\n");
            }
        }
        md.append('\n');
    }

    private static void renderExponents(StringBuilder md, List<BenchResult> results) {
        md.append("## Cost exponents\n\n");
        md.append("Least-squares fit of log t = c + a·log N + b·log D over the shapes measured (one thread). "
                + "The algorithm: build ∝ N·D², factorisation ∝ D³, gradient ∝ N·D; a dense step is their sum, "
                + "so its single power law is a compromise between N·D² (tall shapes) and D³ (wide ones). Small "
                + "shapes are dominated by per-call overhead and pull the exponents down; the second fit keeps only "
                + "the shapes whose median is at least 1 ms.\n\n");
        md.append("| benchmark | model | expected | a (N), all | b (D), all | shapes | a (N), ≥ 1 ms | b (D), ≥ 1 ms | shapes |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        Map<String, List<BenchResult>> groups = new LinkedHashMap<>();
        for (BenchResult r : results) {
            if (!r.param("threads", "1").equals("1") || !r.params().containsKey("shape")) {
                continue;
            }
            String label = r.benchmark().equals("StepBenchmark.step") ? "step " + r.param("kind", "")
                    : r.benchmark().replace("Benchmark.", " ");
            groups.computeIfAbsent(label + "\u0000" + r.param("model", "–"), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<BenchResult>> g : groups.entrySet()) {
            String[] key = g.getKey().split("\u0000");
            double[] all = fit(g.getValue(), r -> true);
            double[] slow = fit(g.getValue(), r -> r.medianMicros() >= 1000);
            md.append("| ").append(key[0]).append(" | ").append(key[1]).append(" | ").append(expected(key[0]))
                    .append(" | ").append(exponent(all, 0)).append(" | ").append(exponent(all, 1)).append(" | ")
                    .append(all == null ? countOf(g.getValue(), r -> true) : (int) all[2]).append(" | ")
                    .append(exponent(slow, 0)).append(" | ").append(exponent(slow, 1)).append(" | ")
                    .append(slow == null ? countOf(g.getValue(), r -> r.medianMicros() >= 1000) : (int) slow[2])
                    .append(" |\n");
        }
        md.append("\n(– : fewer than 4 shapes, too few to fit three coefficients.)\n\n");
    }

    /**
     * The dsyrk thread count to compare a build run with {@code threads} against: the same number, or for
     * {@code auto} what {@code Blas.gramUpper} uses at that shape (every core, i.e. the most threads
     * measured, for a large product; one thread otherwise).
     */
    static String blasThreads(String threads, String shape, List<BenchResult> blas) {
        if (!threads.equals("auto")) {
            return threads;
        }
        int[] nd = Workload.parseShape(shape);
        boolean parallel = nd[1] >= Blas.PARALLEL_GRAM_MIN_DIMENSION && (double) nd[0] * nd[1] * nd[1] >= Blas.PARALLEL_GRAM_FLOPS;
        if (!parallel) {
            return "1";
        }
        return blas.stream().filter(r -> r.param("shape", "").equals(shape)).map(r -> r.param("threads", "1"))
                .max(Comparator.comparingInt(Integer::parseInt)).orElse("1");
    }

    private static String expected(String label) {
        if (label.startsWith("step identity") || label.endsWith("gradient")) {
            return "N·D";
        }
        if (label.startsWith("step")) {
            return "N·D² + D³";
        }
        if (label.endsWith("factorSolve") || label.endsWith("dpotrf")) {
            return "D³";
        }
        return "N·D²";
    }

    private static int countOf(List<BenchResult> rs, Predicate<BenchResult> keep) {
        return (int) rs.stream().filter(keep).count();
    }

    /** {a, b, count} of log t = c + a log N + b log D over the kept results, or null if fewer than 4. */
    static double[] fit(List<BenchResult> rs, Predicate<BenchResult> keep) {
        List<BenchResult> kept = rs.stream().filter(keep).collect(Collectors.toList());
        if (kept.size() < 4) {
            return null;
        }
        double[] y = new double[kept.size()];
        double[][] x = new double[kept.size()][2];
        for (int i = 0; i < kept.size(); i++) {
            int[] nd = Workload.parseShape(kept.get(i).param("shape", ""));
            x[i][0] = Math.log(nd[0]);
            x[i][1] = Math.log(nd[1]);
            y[i] = Math.log(kept.get(i).medianMicros());
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, x);
        try {
            double[] beta = ols.estimateRegressionParameters();
            return new double[] {beta[1], beta[2], kept.size()};
        } catch (RuntimeException singular) {
            return null; // e.g. every kept shape has the same N: the exponents are not identifiable
        }
    }

    private static String exponent(double[] fit, int i) {
        return fit == null ? "–" : String.format(Locale.ROOT, "%.2f", fit[i]);
    }

    // -------------------------------------------------------------------------------------------------- plots

    private static void renderPlots(StringBuilder md, List<BenchResult> results, Path plotDir, Path base)
            throws IOException {
        List<BenchResult> steps = select(results, r -> r.benchmark().equals("StepBenchmark.step")
                && r.param("threads", "1").equals("1"));
        if (steps.isEmpty()) {
            return;
        }
        md.append("## Plots\n\n");
        for (String model : values(steps, "model")) {
            List<BenchResult> sub = select(steps, r -> r.param("model", "").equals(model));
            for (int axis = 0; axis < 2; axis++) {
                String name = "step-vs-" + (axis == 0 ? "N" : "D") + "-" + model;
                XYChart chart = new XYChartBuilder().width(800).height(560)
                        .title("One step, " + model + " regression: time vs " + (axis == 0 ? "N" : "D"))
                        .xAxisTitle(axis == 0 ? "N (examples)" : "D (parameters)").yAxisTitle("median time per step (µs)")
                        .build();
                chart.getStyler().setXAxisLogarithmic(true);
                chart.getStyler().setYAxisLogarithmic(true);
                chart.getStyler().setMarkerSize(8);
                chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                for (String kind : KINDS) {
                    List<BenchResult> series = select(sub, r -> r.param("kind", "").equals(kind));
                    if (series.isEmpty()) {
                        continue;
                    }
                    final int ax = axis;
                    series.sort(Comparator.comparingInt(r -> Workload.parseShape(r.param("shape", ""))[ax]));
                    double[] xs = series.stream().mapToDouble(r -> Workload.parseShape(r.param("shape", ""))[ax]).toArray();
                    double[] ys = series.stream().mapToDouble(BenchResult::medianMicros).toArray();
                    double[] f = fit(series, r -> true);
                    String label = kind + (f == null ? "" : String.format(Locale.ROOT, " (t ~ N^%.2f D^%.2f)", f[0], f[1]));
                    chart.addSeries(label, xs, ys).setMarker(SeriesMarkers.CIRCLE);
                }
                Path png = plotDir.resolve(name + ".png");
                Path tmp = plotDir.resolve(name + ".tmp.png");
                BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
                Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                String link = base == null ? png.toAbsolutePath().toString() : base.relativize(png.toAbsolutePath()).toString();
                md.append("![").append(name).append("](").append(link).append(")\n\n");
            }
        }
        md.append("The shapes are not a factorial grid (N and D change together), so the points against N alone "
                + "mix in the change of D (and the other way round); the legend's exponents come from the joint fit "
                + "above.\n");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void writeCsv(List<BenchResult> results, Path file) throws IOException {
        Set<String> paramNames = new LinkedHashSet<>();
        results.forEach(r -> paramNames.addAll(r.params().keySet()));
        Path tmp = Files.createTempFile(absoluteParent(file), "bench-results", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp); CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            List<String> header = new ArrayList<>(List.of("benchmark"));
            header.addAll(paramNames);
            header.addAll(List.of("median_us", "mean_us", "error_us", "flops_per_op", "gflops"));
            csv.printRecord(header);
            for (BenchResult r : results) {
                List<Object> row = new ArrayList<>(List.of(r.benchmark()));
                paramNames.forEach(p -> row.add(r.param(p, "")));
                row.addAll(List.of(r.medianMicros(), r.meanMicros(), r.errorMicros(), r.flopsPerOp(), r.gflops()));
                csv.printRecord(row);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path parent = absoluteParent(file);
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<BenchResult> select(List<BenchResult> rs, Predicate<BenchResult> keep) {
        return rs.stream().filter(keep).collect(Collectors.toCollection(ArrayList::new));
    }

    private static Optional<BenchResult> first(List<BenchResult> rs, Predicate<BenchResult> keep) {
        return rs.stream().filter(keep).findFirst();
    }

    private static List<String> values(List<BenchResult> rs, String param) {
        return rs.stream().map(r -> r.params().get(param)).filter(v -> v != null).distinct().collect(Collectors.toList());
    }

    private static List<String> shapes(List<BenchResult> rs) {
        return sortShapes(values(rs, "shape"));
    }

    private static List<String> sortShapes(Iterable<String> shapes) {
        List<String> list = new ArrayList<>();
        shapes.forEach(list::add);
        list.sort(Comparator.comparingDouble((String s) -> {
            int[] nd = Workload.parseShape(s);
            return (double) nd[0] * nd[1] * nd[1];
        }));
        return list;
    }

    private static String cell(List<BenchResult> rs, Predicate<BenchResult> at, String method) {
        return first(rs, at.and(r -> r.benchmark().endsWith(method)))
                .map(r -> time(r.medianMicros()) + noisy(r) + (Double.isNaN(r.gflops()) ? "" : " (" + rate(r.gflops()) + ")"))
                .orElse("–");
    }

    /** The spread above which a result is marked as disturbed. */
    static final double NOISY_SPREAD = 1.3;

    /** A mark for a result whose iterations differ by more than {@link #NOISY_SPREAD}. */
    private static String noisy(BenchResult r) {
        return (r.spread() > NOISY_SPREAD ? " †" : "") + (r.overloaded() ? " ‡" : "");
    }

    /** A time in µs, ms or s with three significant digits. */
    static String time(double micros) {
        if (micros < 1000) {
            return String.format(Locale.ROOT, "%.3g µs", micros);
        }
        if (micros < 1e6) {
            return String.format(Locale.ROOT, "%.3g ms", micros / 1e3);
        }
        return String.format(Locale.ROOT, "%.3g s", micros / 1e6);
    }

    private static String rate(double gflops) {
        return Double.isNaN(gflops) ? "–" : String.format(Locale.ROOT, "%.1f GFLOP/s", gflops);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    private static String flops(double flops) {
        if (Double.isNaN(flops)) {
            return "–";
        }
        return flops >= 1e9 ? String.format(Locale.ROOT, "%.3g G", flops / 1e9)
                : flops >= 1e6 ? String.format(Locale.ROOT, "%.3g M", flops / 1e6)
                : String.format(Locale.ROOT, "%.3g k", flops / 1e3);
    }
}
