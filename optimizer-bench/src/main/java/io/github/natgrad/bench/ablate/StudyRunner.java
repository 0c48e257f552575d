package io.github.natgrad.bench.ablate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one way a study runs, for {@code ablate} and for {@code reproduce}: the tasks not yet in the store
 * go to the engine, each finished task's records are appended to the store at once (so a kill loses only
 * the tasks in flight), with a progress bar, and the store is rewritten in order at the end.
 */
public final class StudyRunner {
    private StudyRunner() {
    }

    /**
     * Runs the tasks of {@code runtime} that {@code store} does not hold yet.
     *
     * @param trace  called with each finished task's records before they are stored (may be null)
     * @return the number of runs (units, for a kind) computed now
     * @throws IllegalStateException for a kind whose unit failed: the kind's table must be whole, so its
     *                               failures stop the study (each named with its message); finished units stay stored
     */
    public static int run(StudyRuntime runtime, StudyStore store, AblationEngine engine, AblationEngine.Options options,
            PrintStream log, Consumer<List<RunRecord>> trace) {
        StudyPlan plan = runtime.plan();
        Study study = plan.study();
        List<Task> pending = new ArrayList<>();
        for (Task t : plan.tasks()) {
            for (int r : t.runs()) {
                if (!store.has(r)) {
                    pending.add(t);
                    break;
                }
            }
        }
        int total = plan.runs().size();
        int done = store.size();
        String unit = study.kind() == null ? " runs" : " units";
        if (done > 0) {
            log.printf(Locale.ROOT, "%s: %d of %d%s already done, continuing%n", store.directory().resolve(
                    study.kind() == null ? Path.of("runs.csv") : Path.of(study.kind().storeFile())), done, total, unit);
        }
        if (pending.isEmpty()) {
            store.finish();
            return 0;
        }
        Map<Integer, String> failures = new TreeMap<>();
        long t0 = System.nanoTime();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName((study.kind() == null ? "ablate " : "")
                + study.name()).setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
                .continuousUpdate().showSpeed().setUnit(unit, 1).setMaxRenderedLength(110)
                .startsFrom(done, Duration.ZERO).build()) {
            engine.run(runtime, pending, options, records -> {
                if (trace != null) {
                    trace.accept(records);
                }
                if (study.kind() != null) {
                    synchronized (failures) {
                        for (RunRecord r : records) {
                            if (r.rows().isEmpty()) {
                                failures.put(r.run(), r.error());
                            }
                        }
                    }
                }
                bar.stepBy(store.append(records));
            });
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        int computed = store.size() - done;
        if (study.kind() == null) {
            log.printf(Locale.ROOT, "%d runs in %.2f s (%.0f runs/s) on the %s engine, %d threads%n", computed, seconds,
                    computed / seconds, engine.name(), options.threads());
        }
        store.finish();
        if (!failures.isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (Map.Entry<Integer, String> f : failures.entrySet()) {
                lines.add(store.units().get(f.getKey()).name() + ": " + f.getValue());
            }
            throw new IllegalStateException(study.name() + ": " + failures.size() + " of " + total + " units failed "
                    + "(the finished ones are stored; fix the cause and run again): " + String.join("; ", lines));
        }
        return computed;
    }
}
