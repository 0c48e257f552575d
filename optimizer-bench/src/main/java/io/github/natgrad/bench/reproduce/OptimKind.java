package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.GridPath;
import io.github.natgrad.bench.ablate.GridValues;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyException;
import io.github.natgrad.bench.ablate.StudyKind;
import io.github.natgrad.bench.ablate.StudyNode;
import io.github.natgrad.bench.ablate.StudyProblem;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.optim.DampingSweep;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The study kind {@code optim}: Fig. 3 of Kunstner, Balles and Hennig (2019) ({@link OptimExperiment}) on
 * the study's problems, each a generalised linear model: GD, NGD and EFGD over every step size × damping,
 * from θ₀ = 0, with the paper's divergence rule (loss &gt; 100 × initial or not finite).
 *
 * <p>A unit is one sweep: one problem, one optimizer, one block of {@link GridPath#STEP_SIZES_PER_SWEEP}
 * consecutive step sizes × every damping (one damping for GD), advanced together by {@link GridPath} (the
 * library's {@code DampingSweep}) — the same blocks as the ablation grid's tasks, so the same bits. The
 * table is {@code runs.csv} in the layout of {@link OptimRuns} (problem major, then GD, NGD, EFGD, step
 * size, damping); the report writes {@code summary.csv}, {@code curves.csv}, {@code cosine.csv} and the
 * figures, each best run re-run by the library and checked by {@link OptimExperiment#AGREEMENT}.
 *
 * <p>Settings: {@code step-sizes} and {@code dampings}, each a list of numbers or {@code {logspace: [a, b,
 * n]}} (powers of ten; defaults: the paper's logspace(−20, 10, 241) and logspace(−10, 10, 41)), and
 * {@code iterations} (default 100).
 */
public final class OptimKind implements StudyKind {
    /** The grid path of each problem, prepared once per problem in this JVM (a unit is a block of one problem). */
    private static final Map<Problem, GridPath> PATHS = Collections.synchronizedMap(new WeakHashMap<>());

    /** The study-file kind of each optimizer, for {@link GridPath}. */
    static String kindOf(Method m) {
        return switch (m) {
            case GD -> "gd";
            case NGD -> "fisher";
            case EFGD -> "empirical-fisher";
        };
    }

    @Override
    public String name() {
        return "optim";
    }

    @Override
    public List<String> settingKeys() {
        return List.of("step-sizes", "dampings", "iterations");
    }

    @Override
    public void check(Study study) {
        StudyKind.requireGlms(study, "the optimisation grid (Fig. 3) runs on generalised linear models");
        grid(study);
    }

    /** The grid the study declares: the paper's, with the settings given. */
    static Grid grid(Study study) {
        Grid paper = Grid.paper();
        double[] stepSizes = values(study, "step-sizes", paper.stepSizes());
        double[] dampings = values(study, "dampings", paper.dampings());
        StudyNode n = study.setting("iterations");
        int iterations = n == null ? paper.iterations() : n.integer("iterations");
        try {
            return new Grid(stepSizes, dampings, iterations);
        } catch (IllegalArgumentException e) {
            throw new StudyException(study.file(), study.settings().line(), "settings: " + e.getMessage());
        }
    }

    /** A setting of values: a list of numbers or {@code {logspace: [start, stop, count]}}, or the default. */
    private static double[] values(Study study, String key, double[] fallback) {
        StudyNode n = study.setting(key);
        if (n == null) {
            return fallback;
        }
        if (n.shape() == StudyNode.Shape.LIST) {
            List<StudyNode> items = n.items();
            double[] out = new double[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = items.get(i).number(key);
            }
            return out;
        }
        if (n.shape() == StudyNode.Shape.MAP && n.keys().equals(List.of("logspace"))) {
            List<StudyNode> spec = n.get("logspace").items();
            if (spec.size() != 3) {
                throw n.error(key + ": logspace takes [start, stop, count] (powers of ten), got " + spec.size()
                        + " values");
            }
            return GridValues.logspace(spec.get(0).number(key), spec.get(1).number(key), spec.get(2).integer(key));
        }
        throw n.error(key + " must be a list of numbers or {logspace: [start, stop, count]}, got " + n.describe());
    }

    @Override
    public List<String> header() {
        return OptimRuns.TABLE.header();
    }

    @Override
    public String storeFile() {
        return OptimRuns.TABLE.storeFile();
    }

    @Override
    public void checkRow(List<String> row) {
        OptimRuns.TABLE.checkRow(row);
    }

    @Override
    public String rowKey(List<String> row) {
        return OptimRuns.TABLE.rowKey(row);
    }

    /** The number of step-size blocks of a grid. */
    private static int blocks(Grid grid) {
        return (grid.stepSizes().length + GridPath.STEP_SIZES_PER_SWEEP - 1) / GridPath.STEP_SIZES_PER_SWEEP;
    }

    /** One unit: problem, optimizer and step-size block. */
    private record Block(int problem, Method method, int from, int to) {
    }

    private static Block block(Grid grid, int unit) {
        int blocks = blocks(grid);
        int methods = Method.values().length;
        int b = unit % blocks;
        Method m = Method.values()[unit / blocks % methods];
        int from = b * GridPath.STEP_SIZES_PER_SWEEP;
        return new Block(unit / (blocks * methods), m, from,
                Math.min(from + GridPath.STEP_SIZES_PER_SWEEP, grid.stepSizes().length));
    }

    /** The rows' keys of a block, in table order (step size major, then damping). */
    private static List<String> keys(Grid grid, String problem, Block b) {
        List<String> keys = new ArrayList<>();
        for (int i = b.from(); i < b.to(); i++) {
            String lr = GridValues.format(grid.stepSizes()[i]);
            if (b.method().damped()) {
                for (double d : grid.dampings()) {
                    keys.add(OptimRuns.key(problem, b.method().name(), lr, GridValues.format(d)));
                }
            } else {
                keys.add(OptimRuns.key(problem, b.method().name(), lr, ""));
            }
        }
        return keys;
    }

    @Override
    public List<Unit> units(Study study, List<String> problemNames) {
        Grid grid = grid(study);
        int count = problemNames.size() * Method.values().length * blocks(grid);
        List<Unit> units = new ArrayList<>(count);
        for (int u = 0; u < count; u++) {
            Block b = block(grid, u);
            String problem = problemNames.get(b.problem());
            units.add(new Unit(String.format(java.util.Locale.ROOT, "%s %s step sizes %d-%d", problem, b.method(),
                    b.from(), b.to() - 1), keys(grid, problem, b)));
        }
        return units;
    }

    /** The block's runs by the grid path: one per key, in order, with curves or not. */
    private static DampingSweep.Run[] runBlock(Grid grid, Problem problem, Block b, boolean curves) {
        int dampings = b.method().damped() ? grid.dampings().length : 1;
        int n = (b.to() - b.from()) * dampings;
        double[] stepSizes = new double[n];
        double[] lambdas = new double[n];
        int k = 0;
        for (int i = b.from(); i < b.to(); i++) {
            for (int s = 0; s < dampings; s++) {
                stepSizes[k] = grid.stepSizes()[i];
                lambdas[k++] = b.method().damped() ? grid.dampings()[s] : 0.0;
            }
        }
        return path(problem).run(kindOf(b.method()), stepSizes, lambdas, grid.iterations(), curves);
    }

    /** The grid path of a problem, prepared once per problem in this JVM. */
    static GridPath path(Problem problem) {
        return PATHS.computeIfAbsent(problem, GridPath::new);
    }

    @Override
    public List<List<String>> run(Study study, List<StudyProblem> problems, int unit) {
        Grid grid = grid(study);
        Block b = block(grid, unit);
        StudyProblem p = problems.get(b.problem());
        DampingSweep.Run[] runs = runBlock(grid, glm(p), b, false);
        List<List<String>> rows = new ArrayList<>(runs.length);
        int k = 0;
        for (int i = b.from(); i < b.to(); i++) {
            String lr = GridValues.format(grid.stepSizes()[i]);
            for (double d : b.method().damped() ? grid.dampings() : new double[] {0.0}) {
                DampingSweep.Run r = runs[k++];
                rows.add(new OptimRuns.Row(p.name(), b.method().name(), lr, b.method().damped() ? GridValues.format(d) : "",
                        r.iterations(), r.finalLoss(), r.diverged()).fields());
            }
        }
        return rows;
    }

    @Override
    public void report(Study study, List<StudyProblem> problems, List<List<String>> rows, Path dir, PrintStream log) {
        report(study, problems, rows, dir, log, Runtime.getRuntime().availableProcessors(), true);
    }

    /**
     * The report with a thread count and with or without figures ({@code reproduce optim --no-figures}).
     *
     * @return the best runs whose library re-run disagreed ({@link OptimExperiment#disagreements()})
     */
    static List<String> report(Study study, List<StudyProblem> problems, List<List<String>> rows, Path dir,
            PrintStream log, int threads, boolean figures) {
        Grid grid = grid(study);
        Map<String, List<String>> byKey = new HashMap<>();
        for (List<String> row : rows) {
            byKey.put(OptimRuns.TABLE.rowKey(row), row);
        }
        List<Problem> named = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (StudyProblem p : problems) {
            Problem g = glm(p);
            index.put(p.name(), named.size());
            named.add(new Problem(p.name(), g.batch(), g.logistic(), g.bias(), g.priorVariance()));
        }
        int blocks = blocks(grid);
        OptimExperiment experiment = OptimExperiment.inDirectory(dir, grid, threads, log, figures);
        experiment.report(named, byKey::get, (dataset, method, lrIndex, dampingIndex) -> {
            int p = index.get(dataset);
            int b = lrIndex / GridPath.STEP_SIZES_PER_SWEEP;
            Block block = block(grid, (p * Method.values().length + method.ordinal()) * blocks + b);
            int k = (lrIndex - block.from()) * (method.damped() ? grid.dampings().length : 1)
                    + (method.damped() ? dampingIndex : 0);
            return runBlock(grid, glm(problems.get(p)), block, true)[k].curve();
        });
        return experiment.disagreements();
    }

    private static Problem glm(StudyProblem p) {
        return p.requireGlm("the optimisation grid");
    }
}
