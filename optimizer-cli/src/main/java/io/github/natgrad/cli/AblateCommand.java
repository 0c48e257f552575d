package io.github.natgrad.cli;

import io.github.natgrad.bench.ablate.AblationEngine;
import io.github.natgrad.bench.ablate.Calibration;
import io.github.natgrad.bench.ablate.Engines;
import io.github.natgrad.bench.ablate.ProblemSpec;
import io.github.natgrad.bench.ablate.RunRecord;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyPlan;
import io.github.natgrad.bench.ablate.StudyReport;
import io.github.natgrad.bench.ablate.StudyRunner;
import io.github.natgrad.bench.ablate.StudyRuntime;
import io.github.natgrad.bench.ablate.StudyStore;
import io.github.natgrad.bench.ablate.StudySummary;
import io.github.natgrad.bench.ablate.Task;

import io.github.natgrad.bench.HostRecord;
import io.github.natgrad.bench.options.DataDirOption;
import io.github.natgrad.bench.options.OutDirOption;
import io.github.natgrad.bench.options.ThreadsOption;
import io.github.natgrad.linalg.Blas;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code ablate} command: runs a study file (see the README, "Ablation studies") on the local
 * engine or an engine found on the classpath (spark), resumably, and writes the tables and figures; a
 * study of a {@link io.github.natgrad.bench.ablate.StudyKind} (a figure of the reproduction) writes the
 * kind's table and report. The task loop is {@link StudyRunner}'s, shared with {@code reproduce}.
 */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = {"Run an ablation study declared in a YAML (or JSON) study file.",
                "",
                "Writes OUT/runs.csv (one row per run, as runs finish; the same command continues after an "
                + "interruption), OUT/summary.csv, OUT/curves.csv, heat maps and curves (PNG + SVG) and OUT/README.md.",
                "A study file with experiment: vecfield|misspec|optim|damping|inspect runs a figure of the reproduction instead "
                + "(its table resumable in the same way; docs/ablation.md, \"Study kinds\")."})
public final class AblateCommand implements Callable<Integer> {

    @Option(names = "--study", required = true, paramLabel = "FILE", description = "the study file (.yaml, .yml or .json)")
    Path studyFile;

    @Mixin
    OutDirOption output;

    @Mixin
    ThreadsOption threadsOption;

    @Option(names = "--engine", description = "local or spark (default ${DEFAULT-VALUE}; spark needs the optimizer-spark jar)")
    String engine = "local";

    @Option(names = "--master", paramLabel = "URL", description = "the Spark master (default local[THREADS]), e.g. spark://host:7077")
    String master;

    @Option(names = "--dry-run", description = "print the number of runs, the data files it would read (and whether each "
            + "exists) and a time estimate from a short calibration; writes nothing, needs no --out")
    boolean dryRun;

    @Option(names = "--fresh", description = "start over when the study file changed since the first run (the old runs.csv is kept aside)")
    boolean fresh;

    @Mixin
    DataDirOption data;

    @Option(names = "--trace-runs", hidden = true, description = "print 'computed N' before each task's runs are stored (for the kill test)")
    boolean traceRuns;

    private final PrintStream log = System.out;

    @Override
    public Integer call() {
        try {
            return execute();
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("ablate: " + e.getMessage());
            return 2;
        }
    }

    private int execute() {
        threadsOption.checked();
        if (output.dir == null && !dryRun) {
            throw new IllegalArgumentException("--out DIR is required (the results folder); only --dry-run runs without it");
        }
        Study study = Study.read(studyFile);
        StudyPlan plan = StudyPlan.of(study);
        AblationEngine runner = Engines.byName(engine);
        long gridTasks = plan.tasks().stream().filter(Task::grid).count();
        if (study.kind() != null) {
            log.printf(Locale.ROOT, "study %s: experiment %s, %d units (tasks) on %d problems%n", study.name(),
                    study.kind().name(), plan.runs().size(), study.problems().size());
        } else {
            log.printf(Locale.ROOT, "study %s: %d runs on %d problems in %d tasks (%d on the grid fast path)%n",
                    study.name(), plan.runs().size(), study.problems().size(), plan.tasks().size(), gridTasks);
        }
        AblationEngine.Options options = new AblationEngine.Options(threadsOption.threads, master,
                data.dir == null ? null : data.dir.toAbsolutePath().toString());
        if (!dryRun) {
            runner.preflight(options);
        }
        if (dryRun && !listDataFiles(study)) {
            return 2;
        }
        Blas.setThreads(1);
        StudyRuntime runtime = new StudyRuntime(plan, data.dir);
        if (dryRun && study.kind() != null) {
            log.println("no time estimate for experiment " + study.kind().name() + " (calibration is for grids)");
            return 0;
        }
        if (dryRun) {
            new Calibration(runtime, log).estimate(threadsOption.threads);
            return 0;
        }
        try (StudyStore store = StudyStore.open(output.dir, plan, fresh)) {
            HostRecord.record(output.dir, "ablate", System.err);
            AtomicInteger computed = new AtomicInteger();
            StudyRunner.run(runtime, store, runner, options, log, !traceRuns ? null : records -> {
                synchronized (log) {
                    log.println("computed " + computed.addAndGet(records.size()));
                    log.flush();
                }
            });
            if (study.kind() != null) {
                study.kind().report(study, runtime.problems(), store.rows(), output.dir, log);
                log.println("wrote " + output.dir.toAbsolutePath().resolve(study.kind().storeFile()));
                return 0;
            }
            RunRecord[] records = store.records();
            StudySummary summary = new StudyReport(runtime, output.dir).write(records, commandLine());
            printSummary(summary, records);
            log.println("wrote " + output.dir.toAbsolutePath().resolve("README.md"));
        }
        return 0;
    }

    /** Prints each data file the study reads, resolved, and whether it exists; false when one is missing. */
    private boolean listDataFiles(Study study) {
        Path studyDir = Path.of(study.file()).toAbsolutePath().getParent();
        List<ProblemSpec.DataFile> files = new ArrayList<>();
        for (ProblemSpec p : study.problems()) {
            files.addAll(p.dataFiles(data.dir, studyDir));
        }
        if (files.isEmpty()) {
            log.println("data files: none (every problem is generated)");
            return true;
        }
        log.println("data files:");
        int missing = 0;
        for (ProblemSpec.DataFile f : files) {
            String state = f.path() == null ? "NOT RESOLVED: pass --data-dir DIR (or set NATGRAD_DATA)"
                    : f.exists() ? "exists" : "MISSING";
            missing += f.exists() ? 0 : 1;
            log.printf(Locale.ROOT, "  %s (%s): %s  %s%n", f.problem(), f.role(), f.path() == null ? "?" : f.path(),
                    state);
        }
        if (missing > 0) {
            System.err.printf(Locale.ROOT, "ablate: dry run: %d of %d data files missing; nothing was calibrated%n",
                    missing, files.size());
            return false;
        }
        return true;
    }

    private String commandLine() {
        return "natgrad ablate --study " + studyFile + " --out " + output.dir + " --threads " + threadsOption.threads + " --engine " + engine
                + (master == null ? "" : " --master " + master);
    }

    private void printSummary(StudySummary summary, RunRecord[] records) {
        for (StudySummary.Group g : summary.groups()) {
            String group = g.problem() + " " + String.join(" ", g.groupValues());
            if (g.best().isEmpty()) {
                log.printf(Locale.ROOT, "  %-40s every run diverged or failed (%d runs)%n", group, g.runs());
            } else {
                log.printf(Locale.ROOT, "  %-40s best %s = %s at %s (%d runs, %d diverged, %d failed)%n", group,
                        summary.tunedAxisNames(), String.format(Locale.ROOT, "%.6g", g.score()),
                        summary.tunedValues(g.best().get(0)).stream().map(v -> {
                            try {
                                return String.format(Locale.ROOT, "%.3g", Double.parseDouble(v));
                            } catch (NumberFormatException e) {
                                return v;
                            }
                        }).toList(), g.runs(), g.diverged(), g.failed());
            }
        }
    }
}
