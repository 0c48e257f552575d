package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.options.DataDirOption;
import io.github.natgrad.bench.options.OutDirOption;
import io.github.natgrad.bench.options.SeedOption;
import io.github.natgrad.bench.options.ThreadsOption;
import io.github.natgrad.datasets.NamedDataset;
import io.github.natgrad.bench.problems.PaperProblems;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.bench.HostRecord;
import io.github.natgrad.linalg.Blas;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code natgrad reproduce vecfield|misspec|optim|damping|all}: the experiments of Kunstner, Balles and Hennig,
 * "Limitations of the Empirical Fisher Approximation for Natural Gradient Descent" (NeurIPS 2019), with
 * the conventions of their public code, writing CSV files, PNG/SVG figures and a README into {@code --out}.
 * Without a data directory it runs everything that needs no file (the vector field, the
 * misspecification figure and the optimisation grid on the synthetic problems) and says which dataset
 * files it looked for. {@code damping} adds natgrad's own experiment beyond the paper,
 * {@link MlpDampingExperiment}.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Reproduce Kunstner, Balles & Hennig (NeurIPS 2019): vecfield (Fig. 1), misspec (Fig. 2), "
                + "optim (Fig. 3), damping (beyond the paper: damping policies for an indefinite MLP Hessian), "
                + "or all. Outputs CSV, PNG/SVG figures and OUT/README.md.",
            "The optim grid is resumable: rerun with the same --out to skip finished runs."})
public final class ReproduceCommand implements Callable<Integer> {
    static final List<NamedDataset> MAIN = List.of(NamedDataset.BREAST_CANCER, NamedDataset.WINE, NamedDataset.A1A);
    static final List<NamedDataset> APPENDIX = List.of(NamedDataset.WINE, NamedDataset.ENERGY,
            NamedDataset.POWER_PLANT, NamedDataset.YACHT);

    @Parameters(index = "0", arity = "0..1", defaultValue = "all",
            description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Experiment experiment;

    @Option(names = "--datasets", split = ",", paramLabel = "NAME",
            description = "problems of the optim grid (default: the synthetic ones, plus breast-cancer, wine, a1a "
                    + "when a data directory is given, plus energy, power-plant, yacht with --appendix). Names: "
                    + "breast-cancer, wine, a1a, australian, diabetes, energy, power-plant, yacht, "
                    + "logistic-well-specified, logistic-misspecified-noise, logistic-misspecified-model, "
                    + "linear-well-specified, linear-misspecified-noise, linear-misspecified-model, vecfield")
    List<String> datasets;

    @Option(names = "--appendix", description = "also the appendix experiments (linear misspecification problems; "
            + "wine, energy, power-plant, yacht in the optim grid)")
    boolean appendix;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    OutDirOption.Defaulted out = new OutDirOption.Defaulted("results");

    @Mixin
    ThreadsOption threadsOption;

    @Option(names = "--lrs", paramLabel = "START:STOP:COUNT", defaultValue = "-20:10:241",
            description = "step sizes, log10 start:stop:count (default ${DEFAULT-VALUE})")
    String lrs;

    @Option(names = "--dampings", paramLabel = "START:STOP:COUNT", defaultValue = "-10:10:41",
            description = "dampings, log10 start:stop:count (default ${DEFAULT-VALUE})")
    String dampings;

    @Option(names = "--iterations", defaultValue = "100", description = "iterations per run (default ${DEFAULT-VALUE})")
    int iterations;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--stream", paramLabel = "numpy|natgrad", defaultValue = "numpy", converter = StreamName.class,
            description = "random stream of the synthetic problems: numpy (the authors' numpy RandomState, the paper's "
                    + "samples; default) or natgrad (natgrad's own generator)")
    PaperProblems.Stream stream;

    /** Parses {@code --stream}. */
    static final class StreamName implements picocli.CommandLine.ITypeConverter<PaperProblems.Stream> {
        @Override
        public PaperProblems.Stream convert(String value) {
            return PaperProblems.Stream.byName(value);
        }
    }

    @Option(names = "--vecfield-rows", defaultValue = "50000",
            description = "rows of each Euler trajectory of the vector-field figure (default ${DEFAULT-VALUE}, the authors')")
    int vecfieldRows;

    @Option(names = "--fresh", description = "discard the finished runs in OUT/optim/runs.csv and run the whole grid "
            + "(e.g. to time it)")
    boolean fresh;

    @Option(names = "--figures", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "write the optim grid's PNG/SVG figures (default: yes; --no-figures skips them, e.g. to "
                    + "time the grid)")
    boolean figures = true;

    @Override
    public Integer call() throws Exception {
        try {
            return reproduce();
        } catch (IllegalArgumentException e) {
            System.err.println("reproduce: " + e.getMessage());
            return 2;
        }
    }

    private int reproduce() throws Exception {
        PrintStream log = System.out;
        if (dataDir.dir != null && dataDir.dir.toString().isEmpty()) {
            dataDir.dir = null;
        }
        int threads = threadsOption.checked();
        Blas.setThreads(1);
        Grid grid = new Grid(Grid.parseLogspace(lrs, "--lrs"), Grid.parseLogspace(dampings, "--dampings"), iterations);
        Files.createDirectories(out.dir);
        HostRecord.record(out.dir, "reproduce", System.err);
        if (experiment.includes(Experiment.VECFIELD)) {
            new VecfieldExperiment(out.dir, log, vecfieldRows, threads).run(PaperProblems.vecfield(stream, seedOption.seed));
        }
        if (experiment.includes(Experiment.MISSPEC)) {
            List<Problem> problems = new ArrayList<>(PaperProblems.misspecLogistic(stream, seedOption.seed));
            if (appendix) {
                problems.addAll(PaperProblems.misspecLinear(stream, seedOption.seed));
            }
            new MisspecExperiment(out.dir, log).run(problems);
        }
        if (experiment.includes(Experiment.OPTIM)) {
            List<Problem> problems = optimProblems(log);
            if (fresh) {
                Files.deleteIfExists(out.dir.resolve("optim").resolve("runs.csv"));
            }
            long t0 = System.nanoTime();
            OptimExperiment optim = new OptimExperiment(out.dir, grid, threads, log, figures);
            List<OptimExperiment.Timing> timings = optim.run(problems);
            double total = (System.nanoTime() - t0) * 1e-9;
            printTiming(log, timings, total);
            if (!optim.disagreements().isEmpty()) {
                ResultsReadme.write(out.dir, this.toString(), grid);
                System.err.println("reproduce: the library's one-step-at-a-time re-run of these best runs disagrees with "
                        + "the grid beyond the stated rule (OptimExperiment.AGREEMENT, relative "
                        + OptimExperiment.AGREEMENT + ", or the spread of its final loss under perturbed step sizes):");
                for (String d : optim.disagreements()) {
                    System.err.println("  " + d);
                }
                return 3;
            }
        }
        if (experiment.includes(Experiment.DAMPING)) {
            MlpDampingExperiment.defaults().withSteps(iterations).run(out.dir.resolve("damping"), seedOption.seed);
        }
        ResultsReadme.write(out.dir, this.toString(), grid);
        log.println("wrote " + out.dir.toAbsolutePath().resolve("README.md"));
        return 0;
    }

    private List<Problem> optimProblems(PrintStream log) {
        Map<String, Problem> synthetic = new LinkedHashMap<>();
        for (Problem p : PaperProblems.misspecLogistic(stream, seedOption.seed)) {
            synthetic.put(p.name(), p);
        }
        for (Problem p : PaperProblems.misspecLinear(stream, seedOption.seed)) {
            synthetic.put(p.name(), p);
        }
        Problem vec = PaperProblems.vecfield(stream, seedOption.seed);
        synthetic.put(vec.name(), vec);
        List<Problem> problems = new ArrayList<>();
        if (datasets != null) {
            for (String name : datasets) {
                if (synthetic.containsKey(name)) {
                    problems.add(synthetic.get(name));
                } else {
                    problems.add(PaperProblems.named(NamedDataset.byId(name), dataDir.dir));
                }
            }
            return problems;
        }
        problems.addAll(PaperProblems.misspecLogistic(stream, seedOption.seed));
        if (appendix) {
            problems.addAll(PaperProblems.misspecLinear(stream, seedOption.seed));
        }
        List<NamedDataset> wanted = new ArrayList<>(MAIN);
        if (appendix) {
            for (NamedDataset d : APPENDIX) {
                if (!wanted.contains(d)) {
                    wanted.add(d);
                }
            }
        }
        if (dataDir.dir == null) {
            log.println("No data directory (--data-dir or NATGRAD_DATA): the optim grid runs on the synthetic problems "
                    + "only. For the real-data experiments, put these files in one directory (copies with the "
                    + "checksums below are in ../shared/datasets of the natgrad checkout) and pass --data-dir DIR:");
            for (NamedDataset d : wanted) {
                log.println("  " + d.describe());
            }
            return problems;
        }
        for (NamedDataset d : wanted) {
            problems.add(PaperProblems.named(d, dataDir.dir));
        }
        return problems;
    }

    private void printTiming(PrintStream log, List<OptimExperiment.Timing> timings, double total) {
        log.printf(Locale.ROOT, "%nTiming (threads %d)%n", threadsOption.threads);
        log.printf(Locale.ROOT, "%-30s %8s %12s %9s %9s %10s %14s%n", "dataset", "runs", "run-iters", "seconds", "CPU-s",
                "runs/s", "CPU-µs/run-it");
        double sum = 0;
        for (OptimExperiment.Timing t : timings) {
            sum += t.seconds();
            log.printf(Locale.ROOT, "%-30s %8d %12d %9.2f %9.2f %10.0f %14.2f%n", t.dataset(), t.runsComputed(),
                    t.runIterations(), t.seconds(), t.cpuSeconds(), t.runsComputed() / Math.max(t.seconds(), 1e-9),
                    t.cpuSeconds() * 1e6 / Math.max(t.runIterations(), 1));
        }
        log.printf(Locale.ROOT, "grid total %.2f s (optim experiment including best-run checks, summary and figures "
                + "%.2f s)%n", sum, total);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("reproduce ").append(experiment);
        if (datasets != null) {
            sb.append(" --datasets ").append(String.join(",", datasets));
        }
        if (appendix) {
            sb.append(" --appendix");
        }
        if (dataDir.dir != null) {
            sb.append(" --data-dir ").append(dataDir.dir);
        }
        sb.append(" --out ").append(out.dir).append(" --lrs ").append(lrs).append(" --dampings ").append(dampings)
                .append(" --iterations ").append(iterations).append(" --seed ").append(seedOption.seed)
                .append(" --stream ").append(stream.label());
        return sb.toString();
    }
}
