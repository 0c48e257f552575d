package io.github.natgrad.bench.ablate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The best run of each group of a study. A group is a problem and a value of every axis that is neither
 * tuned nor the seed; within a group, a configuration is a value of every tuned axis, scored by the
 * median of the metric over its seeds (a configuration with a diverged or failed seed is out). The best
 * configuration has the lowest score; ties go to the first in grid order.
 */
public final class StudySummary {
    /**
     * One group's outcome.
     *
     * @param problem     the problem's name
     * @param groupValues the group's value per group axis
     * @param best        the best configuration's runs (one per seed), or empty when none is usable
     * @param score       the best configuration's score
     * @param runs        runs in the group
     * @param diverged    diverged runs
     * @param failed      runs that threw
     * @param configs     every configuration's runs, in grid order
     */
    public record Group(String problem, List<String> groupValues, List<Integer> best, double score, int runs,
            int diverged, int failed, List<List<Integer>> configs) {
    }

    private final StudyPlan plan;
    private final List<Integer> groupAxes = new ArrayList<>();
    private final List<Integer> tunedAxes = new ArrayList<>();
    private final int seedAxis;
    private final List<Group> groups;

    /** Summarises {@code records} (indexed by run; every run must be recorded). */
    public StudySummary(StudyPlan plan, RunRecord[] records) {
        this.plan = plan;
        Study study = plan.study();
        int seed = -1;
        for (int a = 0; a < study.axes().size(); a++) {
            String name = study.axes().get(a).axis().name();
            if (name.equals("seed")) {
                seed = a;
            } else if (study.tune().contains(name)) {
                tunedAxes.add(a);
            } else {
                groupAxes.add(a);
            }
        }
        this.seedAxis = seed;
        Map<List<String>, Map<List<String>, List<Integer>>> byGroup = new LinkedHashMap<>();
        for (RunSpec r : plan.runs()) {
            List<String> g = new ArrayList<>();
            g.add(study.problems().get(r.problem()).name());
            for (int a : groupAxes) {
                g.add(r.values().get(a));
            }
            List<String> c = new ArrayList<>();
            for (int a : tunedAxes) {
                c.add(r.values().get(a));
            }
            byGroup.computeIfAbsent(g, k -> new LinkedHashMap<>()).computeIfAbsent(c, k -> new ArrayList<>()).add(r.index());
        }
        List<Group> out = new ArrayList<>();
        for (Map.Entry<List<String>, Map<List<String>, List<Integer>>> e : byGroup.entrySet()) {
            List<Integer> best = List.of();
            double bestScore = Double.POSITIVE_INFINITY;
            boolean found = false;
            int runs = 0;
            int diverged = 0;
            int failed = 0;
            for (List<Integer> config : e.getValue().values()) {
                double[] m = new double[config.size()];
                boolean usable = true;
                for (int k = 0; k < m.length; k++) {
                    RunRecord r = records[config.get(k)];
                    if (r == null) {
                        throw new IllegalStateException("run " + plan.key(config.get(k)) + " is not recorded");
                    }
                    runs++;
                    diverged += r.diverged() ? 1 : 0;
                    failed += r.failed() ? 1 : 0;
                    usable &= r.usable() && !Double.isNaN(r.metric());
                    m[k] = r.metric();
                }
                if (usable) {
                    double score = median(m);
                    if (!found || plan.study().metric().better(score, bestScore)) {
                        found = true;
                        bestScore = score;
                        best = config;
                    }
                }
            }
            out.add(new Group(e.getKey().get(0), List.copyOf(e.getKey().subList(1, e.getKey().size())), best,
                    found ? bestScore : Double.NaN, runs, diverged, failed, List.copyOf(e.getValue().values())));
        }
        this.groups = List.copyOf(out);
    }

    /** The median of {@code v} (mean of the middle two for an even count). */
    public static double median(double[] v) {
        return quantile(v, 0.5);
    }

    /** The q-quantile of {@code v} with linear interpolation (numpy's default). */
    public static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /** The groups, in grid order. */
    public List<Group> groups() {
        return groups;
    }

    /** The names of the group axes. */
    public List<String> groupAxisNames() {
        return groupAxes.stream().map(a -> plan.study().axes().get(a).axis().name()).toList();
    }

    /** The names of the tuned axes. */
    public List<String> tunedAxisNames() {
        return tunedAxes.stream().map(a -> plan.study().axes().get(a).axis().name()).toList();
    }

    /** The position of the seed axis among the study's axes, or −1. */
    public int seedAxis() {
        return seedAxis;
    }

    /** The tuned values of run {@code index}. */
    public List<String> tunedValues(int index) {
        return tunedAxes.stream().map(a -> plan.runs().get(index).values().get(a)).toList();
    }

    /** summary.csv. */
    public String csv(RunRecord[] records) {
        List<String> cols = new ArrayList<>();
        cols.add("problem");
        cols.addAll(groupAxisNames());
        cols.addAll(tunedAxisNames());
        cols.addAll(List.of(plan.study().metric().label(), "final_objective", "seeds", "runs", "diverged_runs",
                "failed_runs"));
        StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
        for (Group g : groups) {
            List<String> f = new ArrayList<>();
            f.add(g.problem());
            f.addAll(g.groupValues());
            if (g.best().isEmpty()) {
                for (int k = 0; k < tunedAxes.size() + 2; k++) {
                    f.add("");
                }
                f.add("0");
            } else {
                f.addAll(tunedValues(g.best().get(0)));
                f.add(GridValues.format(g.score()));
                double[] fin = g.best().stream().mapToDouble(i -> records[i].finalObjective()).toArray();
                f.add(GridValues.format(median(fin)));
                f.add(Integer.toString(g.best().size()));
            }
            f.add(Integer.toString(g.runs()));
            f.add(Integer.toString(g.diverged()));
            f.add(Integer.toString(g.failed()));
            sb.append(org.apache.commons.csv.CSVFormat.RFC4180.format(f.toArray())).append('\n');
        }
        return sb.toString();
    }
}
