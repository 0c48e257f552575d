package io.github.natgrad.bench.ablate;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The time estimate of {@code --dry-run}: runs a few tasks spread over the plan (of each kind of task,
 * grid group and single run; the first untimed, as a warm-up; then at most about 5 seconds), and scales their seconds per run to the whole
 * study, divided by the threads.
 */
public final class Calibration {
    private static final double BUDGET_SECONDS = 5;
    private final StudyRuntime runtime;
    private final PrintStream log;

    public Calibration(StudyRuntime runtime, PrintStream log) {
        this.runtime = runtime;
        this.log = log;
    }

    /** Prints the run count and the estimate; returns the estimated seconds. */
    public double estimate(int threads) {
        double total = 0;
        for (boolean grid : new boolean[] {true, false}) {
            List<Task> tasks = runtime.plan().tasks().stream().filter(t -> t.grid() == grid).toList();
            if (tasks.isEmpty()) {
                continue;
            }
            long runs = tasks.stream().mapToLong(t -> t.runs().length).sum();
            List<Task> sample = new ArrayList<>();
            int step = Math.max(1, tasks.size() / 8);
            for (int i = step / 2; i < tasks.size() && sample.size() < 8; i += step) {
                sample.add(tasks.get(i));
            }
            runtime.run(sample.get(0)); // warm-up: class loading, native libraries, JIT
            if (sample.size() > 1) {
                sample = sample.subList(1, sample.size());
            }
            long t0 = System.nanoTime();
            int sampledRuns = 0;
            for (Task t : sample) {
                runtime.run(t);
                sampledRuns += t.runs().length;
                if ((System.nanoTime() - t0) * 1e-9 > BUDGET_SECONDS / 2) {
                    break;
                }
            }
            double perRun = (System.nanoTime() - t0) * 1e-9 / sampledRuns;
            double seconds = perRun * runs / threads;
            log.printf(Locale.ROOT, "  %s: %d runs; calibration %d runs at %.3g ms per run -> about %s on %d threads%n",
                    grid ? "grid fast path" : "one run per task", runs, sampledRuns, perRun * 1e3, human(seconds), threads);
            total += seconds;
        }
        log.printf(Locale.ROOT, "dry run: %d runs, estimated %s (first runs include JIT warm-up; the estimate is rough)%n",
                runtime.plan().runs().size(), human(total));
        return total;
    }

    static String human(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
