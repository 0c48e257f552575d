package io.github.natgrad.bench.ablate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of a study in grid order — problems major, then the axes in file order, an axis that does
 * not apply to a run (the damping of gradient descent) not multiplying it — and the tasks the engines
 * run: a grid group (on the fast path: runs that differ only in the damping and in the step size within one
 * fixed block of {@value GridPath#STEP_SIZES_PER_SWEEP} consecutive values of the step-size axis) or a
 * single run.
 * Deterministic: the same study gives the same runs and tasks on every machine.
 */
public final class StudyPlan {
    private final Study study;
    private final List<RunSpec> runs;
    private final List<Task> tasks;
    private final List<String> keys;

    private StudyPlan(Study study, List<RunSpec> runs, List<Task> tasks) {
        this.study = study;
        this.runs = runs;
        this.tasks = tasks;
        List<String> k = new ArrayList<>(runs.size());
        for (RunSpec r : runs) {
            k.add(r.key(study.problems().get(r.problem()).name()));
        }
        this.keys = List.copyOf(k);
    }

    /**
     * Expands a study into its runs and tasks. A study of a {@link StudyKind} has one run, and one task,
     * per unit of the kind.
     */
    public static StudyPlan of(Study study) {
        if (study.kind() != null) {
            List<String> names = study.problems().stream().map(ProblemSpec::name).toList();
            int units = study.kind().units(study, names).size();
            List<RunSpec> runs = new ArrayList<>(units);
            List<Task> tasks = new ArrayList<>(units);
            for (int u = 0; u < units; u++) {
                runs.add(new RunSpec(u, 0, List.of()));
                tasks.add(new Task(u, new int[] {u}, false));
            }
            return new StudyPlan(study, List.copyOf(runs), List.copyOf(tasks));
        }
        List<Study.AxisValues> axes = study.axes();
        List<RunSpec> runs = new ArrayList<>();
        for (int p = 0; p < study.problems().size(); p++) {
            LinkedHashMap<List<String>, Boolean> seen = new LinkedHashMap<>();
            int[] digit = new int[axes.size()];
            while (true) {
                Map<String, String> named = new HashMap<>();
                for (int a = 0; a < axes.size(); a++) {
                    named.put(axes.get(a).axis().name(), axes.get(a).values().get(digit[a]));
                }
                List<String> values = new ArrayList<>(axes.size());
                for (int a = 0; a < axes.size(); a++) {
                    values.add(axes.get(a).axis().appliesTo(named) ? axes.get(a).values().get(digit[a]) : "");
                }
                if (seen.putIfAbsent(List.copyOf(values), Boolean.TRUE) == null) {
                    runs.add(new RunSpec(runs.size(), p, List.copyOf(values)));
                }
                int a = axes.size() - 1;
                while (a >= 0 && ++digit[a] == axes.get(a).values().size()) {
                    digit[a] = 0;
                    a--;
                }
                if (a < 0) {
                    break;
                }
            }
        }
        return new StudyPlan(study, List.copyOf(runs), tasks(study, runs));
    }

    private static List<Task> tasks(Study study, List<RunSpec> runs) {
        int damping = -1;
        int stepSize = -1;
        for (int a = 0; a < study.axes().size(); a++) {
            if (study.axes().get(a).axis().name().equals("damping")) {
                damping = a;
            } else if (study.axes().get(a).axis().name().equals("step-size")) {
                stepSize = a;
            }
        }
        Map<List<String>, List<Integer>> groups = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (RunSpec r : runs) {
            boolean glm = !study.problems().get(r.problem()).model().equals("mlp");
            if (GridPath.supports(glm, setting(study, r), study)) {
                List<String> key = new ArrayList<>(r.values());
                if (damping >= 0) {
                    key.set(damping, "*");
                }
                if (stepSize >= 0 && !key.get(stepSize).isEmpty()) {
                    int i = study.axes().get(stepSize).values().indexOf(key.get(stepSize));
                    key.set(stepSize, "block " + i / GridPath.STEP_SIZES_PER_SWEEP);
                }
                key.add(0, Integer.toString(r.problem()));
                List<Integer> g = groups.get(key);
                if (g == null) {
                    g = new ArrayList<>();
                    groups.put(key, g);
                    order.add(g);
                }
                g.add(r.index());
            } else {
                order.add(r.index());
            }
        }
        List<Task> tasks = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof Integer i) {
                tasks.add(new Task(tasks.size(), new int[] {i}, false));
            } else {
                @SuppressWarnings("unchecked")
                List<Integer> g = (List<Integer>) o;
                tasks.add(new Task(tasks.size(), g.stream().mapToInt(Integer::intValue).toArray(), true));
            }
        }
        return List.copyOf(tasks);
    }

    /** The setting of a run: the defaults with the run's axis values applied. */
    static RunSetting setting(Study study, RunSpec run) {
        RunSetting s = new RunSetting();
        for (int a = 0; a < study.axes().size(); a++) {
            String v = run.values().get(a);
            if (!v.isEmpty()) {
                study.axes().get(a).axis().apply(v, s);
            }
        }
        return s;
    }

    /** The setting of run {@code index}. */
    public RunSetting setting(int index) {
        return setting(study, runs.get(index));
    }

    /** The study. */
    public Study study() {
        return study;
    }

    /** Every run, in grid order. */
    public List<RunSpec> runs() {
        return runs;
    }

    /** The key of run {@code index} in runs.csv. */
    public String key(int index) {
        return keys.get(index);
    }

    /** Every key, in grid order. */
    public List<String> keys() {
        return keys;
    }

    /** The tasks, in grid order of their first run. */
    public List<Task> tasks() {
        return tasks;
    }

    /** The largest grid group. */
    public int largestGroup() {
        int max = 1;
        for (Task t : tasks) {
            max = Math.max(max, t.runs().length);
        }
        return max;
    }
}
