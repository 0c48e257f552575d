package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.GridValues;
import io.github.natgrad.bench.CsvFiles;
import io.github.natgrad.bench.ResumableCsv;
import io.github.natgrad.Optimizer;
import io.github.natgrad.bench.ablate.AblationEngine;
import io.github.natgrad.bench.ablate.GridPath;
import io.github.natgrad.bench.ablate.LocalEngine;
import io.github.natgrad.bench.ablate.RunRecord;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyPlan;
import io.github.natgrad.bench.ablate.StudyRuntime;
import io.github.natgrad.bench.ablate.StudyKind;
import io.github.natgrad.bench.ablate.StudyStore;
import io.github.natgrad.bench.ablate.Task;
import io.github.natgrad.bench.plots.Charts;
import io.github.natgrad.bench.problems.Problem;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.commons.csv.CSVPrinter;
import org.knowm.xchart.XYChart;

/**
 * The optimisation experiment of Kunstner, Balles and Hennig (2019, Fig. 3): on each problem, every step
 * size × damping of the {@link Grid} for GD, NGD and EFGD, from θ₀ = 0; the best run of each optimizer
 * (lowest final loss among the runs that did not diverge; ties go to the first in grid order, step size
 * major); its full loss curve; and the cosine between the NGD and EF directions along the best EF run.
 *
 * <p>Writes, under {@code OUT/optim}: {@code runs.csv} (every run, resumable, see {@link OptimRuns}),
 * {@code summary.csv} ({@code dataset,optimizer,lr,damping,initial_loss,final_loss,runs,diverged_runs}),
 * {@code curves.csv} ({@code dataset,optimizer,iteration,loss}), {@code cosine.csv}
 * ({@code dataset,iteration,cosine}), {@code timing.csv}, and two figures per problem; each CSV written
 * atomically with commons-csv ({@link ResumableCsv#FORMAT}), numbers as {@code %.17g}.
 * The grid is a study of kind {@code optim} ({@link #study}, {@link OptimKind}) run by the study engine of
 * {@code ablate} ({@link StudyRuntime} on the {@link LocalEngine}, {@link StudyStore}): a unit is one sweep,
 * the runs of one optimizer on a fixed block of step sizes ({@link GridPath#STEP_SIZES_PER_SWEEP}) × every
 * damping advanced together by {@code ablate.GridPath} (the library's {@code DampingSweep}); blocks run in
 * parallel, and runs.csv keeps this experiment's columns ({@link OptimRuns}). Each best run is
 * re-run one step at a time by the library's optimizer and
 * must agree by the {@linkplain #AGREEMENT stated rule}; {@link #disagreements()} names those that do not.
 */
public final class OptimExperiment {
    private static final java.lang.management.OperatingSystemMXBean OS =
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private final Path out;
    private final Grid grid;
    private final int threads;
    private final PrintStream log;
    private final boolean figures;

    /** One summary row: the best run of an optimizer on a problem. */
    record Best(String dataset, Method method, int lrIndex, int dampingIndex, double initialLoss, OptimRuns.Row row,
            int runs, int divergedRuns) {
    }

    /** Timing of one problem's grid. */
    public record Timing(String dataset, int runsComputed, int runIterations, double seconds, double cpuSeconds) {
    }

    /**
     * The agreement rule for a best run re-run by the library one step at a time: the relative difference
     * of the final losses must be at most max({@value #AGREEMENT}, the run's spread). The spread is measured
     * only when the first bound fails: the library's own run is repeated with its step size perturbed by 24
     * relative amounts from ±1e-8 to ±1e-12 ({@link #PERTURBATIONS}), and the spread is the range (largest
     * minus smallest) of the 25 final losses, relative to the unperturbed one. The grid and the optimizer sum in other orders
     * (the grid's batched products), ~1e-16 per operation, but a solve with C + λI amplifies such
     * differences of C by its condition number κ: with the empirical Fisher and λ = 1e-10 κ reaches ~1e8, so
     * one step's direction may differ by a relative ~1e-8 between the two, and the perturbations are of that
     * size. A run whose final loss is determined by the problem agrees within 1e-9; a chaotic run's final
     * loss wanders over a range that the perturbations sample, and the grid's must lie within that range's
     * width of the re-run's. Such a run is reported as chaotic, with its measured spread, not exempted
     * silently. With 25 samples the range covers most of a chaotic run's distribution of final losses, so
     * two draws from it (the grid's and the re-run's) are rarely farther apart than the range; with four
     * samples, the rule before, the chaotic breast-cancer EF run on the scalar path differed by 5.2e-2
     * where the samples spanned 4.7e-2.
     */
    public static final double AGREEMENT = 1e-9;

    /**
     * The relative perturbations of the step size that measure a run's spread (see {@link #AGREEMENT}):
     * ±10^(−8 − 4j/11) for j = 0 … 11, 24 values from ±1e-8 to ±1e-12.
     */
    static final double[] PERTURBATIONS = perturbations();

    private static double[] perturbations() {
        double[] out = new double[24];
        for (int j = 0; j < 12; j++) {
            double delta = Math.pow(10, -8 - 4.0 * j / 11);
            out[2 * j] = delta;
            out[2 * j + 1] = -delta;
        }
        return out;
    }

    private final List<String> disagreements = new ArrayList<>();

    /**
     * An experiment writing into {@code out}/optim.
     *
     * @param out     the output directory
     * @param grid    the grid
     * @param threads worker threads (each runs single-threaded BLAS)
     * @param log     where progress and tables go
     */
    public OptimExperiment(Path out, Grid grid, int threads, PrintStream log) {
        this(out, grid, threads, log, true);
    }

    /** As {@link #OptimExperiment(Path, Grid, int, PrintStream)}, with or without the PNG/SVG figures. */
    public OptimExperiment(Path out, Grid grid, int threads, PrintStream log, boolean figures) {
        this(grid, out.resolve("optim"), threads, log, figures);
    }

    private OptimExperiment(Grid grid, Path dir, int threads, PrintStream log, boolean figures) {
        this.out = dir;
        this.grid = grid;
        this.threads = threads;
        this.log = log;
        this.figures = figures;
    }

    /**
     * The best runs whose library re-run disagreed with the grid beyond the {@linkplain #AGREEMENT rule},
     * one line each naming the run, after {@link #run}; empty when all agreed.
     */
    public List<String> disagreements() {
        return List.copyOf(disagreements);
    }

    /** An experiment writing into {@code dir} itself (the study kind {@code optim}'s report). */
    static OptimExperiment inDirectory(Path dir, Grid grid, int threads, PrintStream log, boolean figures) {
        return new OptimExperiment(grid, dir, threads, log, figures);
    }

    /** Where a best run's loss curve comes from: its sweep, re-run with curves recorded. */
    @FunctionalInterface
    interface CurveSource {
        /**
         * The objective at every iteration of the run of {@code method} with step size {@code lrIndex} and
         * damping {@code dampingIndex} (ignored for GD) on problem {@code dataset}.
         */
        double[] curve(String dataset, Method method, int lrIndex, int dampingIndex);
    }

    /** The optim output directory. */
    public Path directory() {
        return out;
    }

    /**
     * Runs (or resumes) the grid on every problem, then writes the summary, curves and figures: the study of
     * kind {@code optim} ({@link #study}) on the problems built here, run by the study engine into
     * {@code OUT/optim} ({@link StudyStore#openAdopting}: a runs.csv written before the grid was a study is
     * continued; a study that changed starts over, its old table kept aside), one problem at a time for the
     * timing, and reported by {@link OptimKind}.
     */
    public List<Timing> run(List<Problem> problems) {
        List<Timing> timings = new ArrayList<>();
        StudyRuntime runtime = StudyRuntime.of(StudyPlan.of(study(problems, grid)), GeneratedStudies.built(problems));
        List<List<String>> rows;
        try (StudyStore store = StudyStore.openAdopting(out, runtime, System.err)) {
            for (int p = 0; p < problems.size(); p++) {
                timings.add(runGrid(runtime, p, store));
            }
            store.finish();
            rows = store.rows();
        }
        disagreements.clear();
        disagreements.addAll(OptimKind.report(runtime.plan().study(), runtime.problems(), rows, out, log, threads,
                figures));
        List<List<String>> timing = new ArrayList<>();
        for (Timing t : timings) {
            timing.add(List.of(t.dataset(), Integer.toString(t.runsComputed()), Integer.toString(t.runIterations()),
                    String.format(Locale.ROOT, "%.3f", t.seconds()), String.format(Locale.ROOT, "%.3f", t.cpuSeconds()),
                    String.format(Locale.ROOT, "%.1f", t.runsComputed() / Math.max(t.seconds(), 1e-9)),
                    String.format(Locale.ROOT, "%.2f", t.cpuSeconds() * 1e6 / Math.max(t.runIterations(), 1)),
                    Integer.toString(threads)));
        }
        writeCsv("timing.csv", List.of("dataset", "runs_computed", "run_iterations", "seconds", "cpu_seconds",
                "runs_per_second", "cpu_microseconds_per_run_iteration", "threads"), timing);
        return timings;
    }

    /**
     * Writes {@code summary.csv}, {@code curves.csv}, {@code cosine.csv} and the figures from a finished grid:
     * the best run of each optimizer on each problem (its curve from {@code curves}, checked against its
     * stored final loss, and its library re-run by the {@linkplain #AGREEMENT rule}) and the cosines along
     * the best EF run; {@link #disagreements()} then names the re-runs that disagreed.
     *
     * @param rowOf the stored row of runs.csv under a key ({@link OptimRuns#key}), null when missing
     */
    void report(List<Problem> problems, java.util.function.Function<String, List<String>> rowOf, CurveSource curves) {
        List<Best> summary = new ArrayList<>();
        List<List<String>> curveRows = new ArrayList<>();
        List<List<String>> cosines = new ArrayList<>();
        disagreements.clear();
        checkBestRuns(problems, curves, rowOf, summary, curveRows, cosines);
        CsvFiles.write(out.resolve("summary.csv"), ResumableCsv.FORMAT, csv -> printSummary(csv, summary));
        writeCsv("curves.csv", List.of("dataset", "optimizer", "iteration", "loss"), curveRows);
        writeCsv("cosine.csv", List.of("dataset", "iteration", "cosine"), cosines);
    }

    /**
     * After the grids: each problem's best run per optimizer (its curve re-run by the study engine, its
     * library re-run and agreement check) and the cosines along the best EF run, as independent jobs on
     * {@code threads} workers (the longest problems first), each logging into its own buffer; then, in
     * problem and optimizer order, the logs, the summary, curve and cosine rows, the disagreements and the
     * figures: the same outputs and log, in the same order, as one thread doing it all.
     */
    private void checkBestRuns(List<Problem> problems, CurveSource source,
            java.util.function.Function<String, List<String>> rowOf, List<Best> summary, List<List<String>> curves, List<List<String>> cosines) {
        int methods = Method.values().length;
        int count = problems.size();
        Best[][] bests = new Best[count][methods];
        RunResult[][] bestCurves = new RunResult[count][methods];
        double[][] cosineOf = new double[count][];
        java.io.ByteArrayOutputStream[][] buffers = new java.io.ByteArrayOutputStream[count][methods + 1];
        PrintStream[][] logs = new PrintStream[count][methods + 1];
        List<List<String>> found = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            for (int m = 0; m <= methods; m++) {
                buffers[p][m] = new java.io.ByteArrayOutputStream();
                logs[p][m] = new PrintStream(buffers[p][m], true, java.nio.charset.StandardCharsets.UTF_8);
                found.add(new ArrayList<>());
            }
        }
        for (int p = 0; p < count; p++) {
            Problem problem = problems.get(p);
            double initial = ReferenceRunner.loss(problem, new double[problem.parameters()]);
            for (int m = 0; m < methods; m++) {
                bests[p][m] = best(rowOf, problem.name(), Method.values()[m], initial, logs[p][m]);
            }
        }
        List<java.util.concurrent.Callable<Void>> jobs = new ArrayList<>();
        for (int p = count - 1; p >= 0; p--) {
            Problem problem = problems.get(p);
            int pp = p;
            for (int m = 0; m < methods; m++) {
                int mm = m;
                jobs.add(() -> {
                    Best b = bests[pp][mm];
                    RunResult r = b == null ? null : bestCurve(source, b);
                    bestCurves[pp][mm] = r;
                    if (r != null) {
                        check(problem, Method.values()[mm], b, r, logs[pp][mm], found.get(pp * (methods + 1) + mm));
                    }
                    return null;
                });
            }
            jobs.add(() -> {
                cosineOf[pp] = bests[pp][2] == null ? new double[0] : cosines(problem, bests[pp][2], logs[pp][methods]);
                return null;
            });
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(threads, jobs.size())), r -> {
                    Thread t = new Thread(r, "optim-check");
                    t.setDaemon(true);
                    return t;
                });
        try {
            for (java.util.concurrent.Future<Void> f : pool.invokeAll(jobs)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (int p = 0; p < count; p++) {
            Problem problem = problems.get(p);
            for (int m = 0; m < methods; m++) {
                log.print(buffers[p][m].toString(java.nio.charset.StandardCharsets.UTF_8));
                summary.add(bests[p][m]);
                RunResult r = bestCurves[p][m];
                if (r != null) {
                    for (int t = 0; t < r.curve().length; t++) {
                        curves.add(List.of(problem.name(), Method.values()[m].name(), Integer.toString(t),
                                GridValues.format(r.curve()[t])));
                    }
                }
                disagreements.addAll(found.get(p * (methods + 1) + m));
            }
            log.print(buffers[p][methods].toString(java.nio.charset.StandardCharsets.UTF_8));
            double[] cosine = cosineOf[p];
            for (int t = 0; t < cosine.length; t++) {
                cosines.add(List.of(problem.name(), Integer.toString(t), GridValues.format(cosine[t])));
            }
            if (figures) {
                figures(problem.name(), Arrays.asList(bestCurves[p]), cosine);
            }
        }
    }

    /** Replaces {@code OUT/optim/name} by the header and rows, atomically, in {@link ResumableCsv#FORMAT}. */
    private void writeCsv(String name, List<String> header, List<List<String>> rows) {
        CsvFiles.write(out.resolve(name), ResumableCsv.FORMAT, csv -> {
            csv.printRecord(header);
            csv.printRecords(rows);
        });
    }

    /**
     * The study of this grid on these problems: {@code experiment: optim} ({@link OptimKind}) with the grid's
     * step sizes, dampings (as {@code %.17g}, so they read back to the grid's doubles) and iterations; the
     * problems as {@link GeneratedStudies#problems} names them (with the sha256 of each one's data, so that a
     * results folder of other data is never continued). The experiment hands the runtime the problems it
     * built itself, and runs.csv names them as they are named.
     */
    public static Study study(List<Problem> problems, Grid grid) {
        String text = "# Kunstner, Balles & Hennig (NeurIPS 2019), Fig. 3 (natgrad reproduce optim)\n"
                + "name: reproduce-optim\nexperiment: optim\n" + GeneratedStudies.problems(problems)
                + "settings:\n  step-sizes: " + list(grid.stepSizes()) + "\n  dampings: " + list(grid.dampings())
                + "\n  iterations: " + grid.iterations() + "\n";
        return Study.parse("reproduce-optim.yaml", text);
    }

    private static String list(double[] values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            out.add(GridValues.format(v));
        }
        return "[" + String.join(", ", out) + "]";
    }

    /**
     * Runs the units of problem {@code problem} that {@code store} does not hold yet on the local engine
     * (NGD and EFGD first, the longest), each unit's rows stored as it finishes, with a progress bar.
     */
    private Timing runGrid(StudyRuntime runtime, int problem, StudyStore store) {
        StudyPlan plan = runtime.plan();
        Problem engineProblem = runtime.problems().get(problem).glm();
        String name = runtime.problems().get(problem).name();
        List<Task> tasks = new ArrayList<>();
        List<Task> gd = new ArrayList<>();
        int pending = 0;
        String prefix = name + ",";
        for (Task t : plan.tasks()) {
            StudyKind.Unit u = store.units().get(t.runs()[0]);
            if (!u.doneKey().startsWith(prefix) || store.has(t.runs()[0])) {
                continue;
            }
            for (String key : u.rowKeys()) {
                pending += store.has(key) ? 0 : 1;
            }
            (u.doneKey().startsWith(prefix + Method.GD.name() + ",") ? gd : tasks).add(t);
        }
        tasks.addAll(gd);
        int total = grid.runsPerDataset();
        if (tasks.isEmpty()) {
            log.printf(Locale.ROOT, "optim %s: all %d runs already in %s%n", name, total, out.resolve("runs.csv"));
            return new Timing(name, 0, 0, 0, 0);
        }
        log.printf(Locale.ROOT, "optim %s: N = %d, D = %d, %s curvature path; %d of %d runs to do (%s), %d threads%n",
                name, engineProblem.batch().rows(), engineProblem.parameters(),
                OptimKind.path(engineProblem).sparse() ? "sparse" : "dense", pending, total, grid, threads);
        java.util.concurrent.atomic.LongAdder runIterations = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.LongAdder computed = new java.util.concurrent.atomic.LongAdder();
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("optim " + name).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(2000).continuousUpdate().showSpeed()
                .setUnit(" runs", 1).setMaxRenderedLength(110).startsFrom(total - pending, java.time.Duration.ZERO)
                .build()) {
            new LocalEngine().run(runtime, tasks, new AblationEngine.Options(threads, null, null), records -> {
                int fresh = 0;
                for (RunRecord r : records) {
                    if (r.rows().isEmpty()) {
                        throw new IllegalStateException("a run of " + name + " failed: " + r.error());
                    }
                    for (List<String> row : r.rows()) {
                        runIterations.add(Integer.parseInt(row.get(4)) + 1L);
                        fresh += store.has(OptimRuns.TABLE.rowKey(row)) ? 0 : 1;
                    }
                }
                store.append(records);
                computed.add(fresh);
                bar.stepBy(fresh);
            });
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; finished runs are in " + out.resolve("runs.csv"), e);
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        Timing t = new Timing(name, pending, (int) runIterations.sum(), seconds, (processCpuNanos() - cpu0) * 1e-9);
        log.printf(Locale.ROOT, "optim %s: %d runs in %.2f s = %.0f runs/s (%.2f CPU-s, %.1f CPU-µs per run-iteration)%n",
                name, pending, seconds, pending / seconds, t.cpuSeconds(),
                t.cpuSeconds() * 1e6 / Math.max(t.runIterations(), 1));
        return t;
    }

    /** The CPU time of this process (every thread, the JVM's included), or 0 where the JVM does not say. */
    private static long processCpuNanos() {
        return OS instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(os.getProcessCpuTime(), 0) : 0;
    }

    /** The best run: lowest final loss among runs that did not diverge, ties to the first in grid order. */
    private Best best(java.util.function.Function<String, List<String>> rowOf, String dataset, Method m, double initial, PrintStream log) {
        Best best = null;
        int runs = 0;
        int diverged = 0;
        for (int i = 0; i < grid.stepSizes().length; i++) {
            int dampings = m.damped() ? grid.dampings().length : 1;
            for (int s = 0; s < dampings; s++) {
                List<String> stored = rowOf.apply(OptimRuns.key(dataset, m.name(), GridValues.format(grid.stepSizes()[i]),
                        m.damped() ? GridValues.format(grid.dampings()[s]) : ""));
                if (stored == null) {
                    throw new IllegalStateException("run missing from runs.csv: " + dataset + " " + m);
                }
                OptimRuns.Row row = OptimRuns.Row.of(stored);
                runs++;
                if (row.diverged()) {
                    diverged++;
                } else if (best == null || row.finalLoss() < best.row().finalLoss()) {
                    best = new Best(dataset, m, i, s, initial, row, 0, 0);
                }
            }
        }
        if (best == null) {
            log.printf("  %s %s: every run diverged%n", dataset, m);
            return new Best(dataset, m, -1, -1, initial, null, runs, diverged);
        }
        return new Best(dataset, m, best.lrIndex(), best.dampingIndex(), initial, best.row(), runs, diverged);
    }

    /**
     * The best run's curve: its task (every run of its sweep) re-run by the study engine with curves
     * recorded. The sweep advances a block with batched products whose summation order depends on the rows
     * they hold, so a run alone agrees with its block only up to rounding; the same block gives the same
     * bits, so the curve must end at the final loss in runs.csv exactly, and a difference is an error.
     */
    private static RunResult bestCurve(CurveSource source, Best b) {
        if (b.row() == null) {
            return null;
        }
        double[] curve = source.curve(b.dataset(), b.method(), b.lrIndex(), b.dampingIndex());
        RunResult r = new RunResult(b.row().iterations(), curve[curve.length - 1], b.row().diverged(), curve);
        if (Double.compare(r.finalLoss(), b.row().finalLoss()) != 0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s %s best run (lr %s, damping %s) re-ran "
                    + "to %.17g but runs.csv has %.17g: was runs.csv written by another version? Rerun with --fresh",
                    b.dataset(), b.method(), b.row().lr(), b.row().damping(), r.finalLoss(), b.row().finalLoss()));
        }
        return r;
    }

    /**
     * Re-runs a best run one step at a time with the library's optimizer and applies the
     * {@linkplain #AGREEMENT agreement rule}; a disagreement is printed and remembered.
     */
    private void check(Problem problem, Method m, Best b, RunResult fast, PrintStream log, List<String> disagreements) {
        double lr = grid.stepSizes()[b.lrIndex()];
        double damping = m.damped() ? grid.dampings()[b.dampingIndex()] : 0.0;
        RunResult ref = ReferenceRunner.run(problem, m, lr, damping, grid.iterations());
        double diff = relative(ref.finalLoss(), fast.finalLoss());
        String run = String.format(Locale.ROOT, "%s %s lr %.3g%s", problem.name(), m, lr,
                m.damped() ? String.format(Locale.ROOT, " damping %.3g", damping) : "");
        String verdict;
        boolean ok = diff <= AGREEMENT && ref.diverged() == fast.diverged() && ref.iterations() == fast.iterations();
        if (ok) {
            verdict = String.format(Locale.ROOT, "agrees within %.0e", AGREEMENT);
        } else {
            double lowest = ref.finalLoss();
            double highest = ref.finalLoss();
            for (double delta : PERTURBATIONS) {
                RunResult perturbed = ReferenceRunner.run(problem, m, lr * (1 + delta), damping, grid.iterations());
                lowest = Math.min(lowest, perturbed.finalLoss());
                highest = Math.max(highest, perturbed.finalLoss());
            }
            double spread = (highest - lowest) / Math.abs(ref.finalLoss());
            if (Double.isNaN(spread)) {
                spread = Double.POSITIVE_INFINITY;
            }
            ok = diff <= Math.max(AGREEMENT, spread) && ref.diverged() == fast.diverged()
                    && ref.iterations() == fast.iterations();
            verdict = String.format(Locale.ROOT, "spread %.1e (range of the final losses for relative changes of "
                    + "the step size from ±1e-8 to ±1e-12, %d runs): %s", spread, PERTURBATIONS.length + 1,
                    ok ? "agrees within it (a chaotic run: its final loss is not determined to more digits)"
                            : "DISAGREES");
        }
        log.printf(Locale.ROOT, "  %s best: final loss %.10g (library re-run: %.10g, relative difference %.1e; %s)%n",
                run, fast.finalLoss(), ref.finalLoss(), diff, verdict);
        if (!ok) {
            disagreements.add(String.format(Locale.ROOT, "%s: grid %.17g (%d iterations%s), library re-run %.17g "
                    + "(%d iterations%s), relative difference %.1e", run, fast.finalLoss(), fast.iterations(),
                    fast.diverged() ? ", diverged" : "", ref.finalLoss(), ref.iterations(),
                    ref.diverged() ? ", diverged" : "", diff));
        }
    }

    private static double relative(double a, double b) {
        if (a == b) {
            return 0.0;
        }
        return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    }

    /**
     * cos∠(d_NGD, d_EF) at each iterate θ_t of the best EF run, both directions (C + λI)⁻¹ g with the EF
     * run's damping λ, from the library's optimizers (each direction is the step of a fresh copy of θ_t).
     */
    private double[] cosines(Problem problem, Best ef, PrintStream log) {
        if (ef.row() == null) {
            return new double[0];
        }
        double lr = grid.stepSizes()[ef.lrIndex()];
        double damping = grid.dampings()[ef.dampingIndex()];
        Optimizer efOpt = ReferenceRunner.optimizer(problem, Method.EFGD, lr, damping);
        Optimizer ngdOpt = ReferenceRunner.optimizer(problem, Method.NGD, 1.0, damping);
        Optimizer efDir = ReferenceRunner.optimizer(problem, Method.EFGD, 1.0, damping);
        int d = problem.parameters();
        double[] theta = new double[d];
        double[] out = new double[ef.row().iterations()];
        for (int t = 0; t < out.length; t++) {
            double[] a = theta.clone();
            double[] b = theta.clone();
            try {
                ngdOpt.step(a, problem.batch());
                efDir.step(b, problem.batch());
            } catch (io.github.natgrad.CurvatureNotPositiveDefiniteException e) {
                // reported, and the rest of the curve marked NaN (cosine.csv keeps every iteration)
                log.printf(Locale.ROOT, "  %s cosine: no direction at iteration %d and after (%s); written as NaN%n",
                        problem.name(), t, e.getMessage());
                java.util.Arrays.fill(out, t, out.length, Double.NaN);
                return out;
            }
            double ab = 0;
            double aa = 0;
            double bb = 0;
            for (int j = 0; j < d; j++) {
                double u = theta[j] - a[j];
                double v = theta[j] - b[j];
                ab += u * v;
                aa += u * u;
                bb += v * v;
            }
            out[t] = ab / Math.sqrt(aa * bb);
            efOpt.step(theta, problem.batch());
        }
        return out;
    }

    /** summary.csv: the best run of each optimizer on each problem; lr, damping and final loss empty if none. */
    static void printSummary(CSVPrinter csv, List<Best> rows) throws java.io.IOException {
        csv.printRecord("dataset", "optimizer", "lr", "damping", "initial_loss", "final_loss", "runs", "diverged_runs");
        for (Best b : rows) {
            boolean none = b.row() == null;
            csv.printRecord(b.dataset(), b.method().name(), none ? "" : b.row().lr(), none ? "" : b.row().damping(),
                    GridValues.format(b.initialLoss()), none ? "" : GridValues.format(b.row().finalLoss()),
                    Integer.toString(b.runs()), Integer.toString(b.divergedRuns()));
        }
    }

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};

    private void figures(String name, List<RunResult> curves, double[] cosine) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (RunResult r : curves) {
            for (double v : r == null ? new double[0] : r.curve()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        XYChart loss = Charts.lines(name + ": best run of each optimizer", "iteration", "loss", lo > 0 && hi > 10 * lo);
        for (int k = 0; k < 3; k++) {
            RunResult r = curves.get(k);
            if (r == null) {
                continue;
            }
            double[] it = new double[r.curve().length];
            double[] y = r.curve().clone();
            for (int t = 0; t < it.length; t++) {
                it[t] = t;
                y[t] = Math.max(y[t], 1e-300);
            }
            Charts.addLine(loss, Method.values()[k].name(), it, y, COLORS[k], 2f, true);
        }
        Charts.save(loss, out.resolve("optim-" + name + "-loss"));
        XYChart cos = Charts.lines(name + ": cos(NGD direction, EF direction) along the best EF run", "iteration",
                "cosine", false);
        double[] it = new double[Math.max(cosine.length, 1)];
        double[] c = cosine.length == 0 ? new double[] {Double.NaN} : cosine.clone();
        for (int t = 0; t < it.length; t++) {
            it[t] = t;
        }
        Charts.addLine(cos, "cosine", it, c, COLORS[2], 2f, false);
        cos.getStyler().setLegendVisible(false);
        Charts.save(cos, out.resolve("optim-" + name + "-cosine"));
    }
}
