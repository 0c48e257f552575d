package io.github.natgrad.bench.ablate;

import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.Optimizer;
import io.github.natgrad.optim.DampingSweep;
import java.nio.file.Path;
import io.github.natgrad.training.Evaluation;
import io.github.natgrad.training.Minibatches;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A study ready to run: its plan, its problems (data read once) and the grid fast path per problem.
 * {@link #run(Task)} runs one task and returns a record per run; a run that throws is recorded with its
 * message and the others go on. Thread-safe: engines call {@code run} from many threads (and, on Spark,
 * from executors, which obtain the runtime with {@link #shared}).
 */
public final class StudyRuntime {
    private static final Map<String, StudyRuntime> SHARED = new ConcurrentHashMap<>();

    private final StudyPlan plan;
    private final List<StudyProblem> problems;
    private final Map<Integer, GridPath> grids = new ConcurrentHashMap<>();

    /**
     * Reads the problems of {@code plan} and checks, before any run, that every setting of the study
     * can be built by the library for every problem.
     *
     * @param dataDir the folder of the named datasets (may be null when none is used)
     * @throws StudyException naming the axis line when a setting cannot run on a problem
     */
    public StudyRuntime(StudyPlan plan, Path dataDir) {
        this.plan = plan;
        Study study = plan.study();
        Path studyDir = Path.of(study.file()).toAbsolutePath().getParent();
        List<StudyProblem> built = new ArrayList<>();
        for (ProblemSpec spec : study.problems()) {
            try {
                built.add(spec.build(dataDir, studyDir));
            } catch (StudyException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new StudyException(study.file(), spec.line(), "problem " + spec.name() + ": " + e.getMessage());
            }
        }
        this.problems = List.copyOf(built);
        if (study.kind() == null) {
            check();
        }
    }

    /**
     * A runtime on problems built by the caller (one per problem of the study, in order, with the study's
     * names, or names of their own): how {@code reproduce} runs its grid on the problems it built with its own options.
     *
     * @throws IllegalArgumentException when the problems do not match the study's
     */
    public static StudyRuntime of(StudyPlan plan, List<StudyProblem> problems) {
        return new StudyRuntime(plan, problems, true);
    }

    private StudyRuntime(StudyPlan plan, List<StudyProblem> problems, boolean built) {
        List<ProblemSpec> specs = plan.study().problems();
        if (problems.size() != specs.size()) {
            throw new IllegalArgumentException("the study has " + specs.size() + " problems, got " + problems.size());
        }
        this.plan = plan;
        this.problems = List.copyOf(problems);
        if (plan.study().kind() == null) {
            check();
        }
    }

    /** The runtime of a study in this JVM, built once per study content and data folder (for Spark executors). */
    public static StudyRuntime shared(String file, String text, String dataDir) {
        return SHARED.computeIfAbsent(Study.sha256(text) + "|" + file + "|" + dataDir,
                k -> new StudyRuntime(StudyPlan.of(Study.parse(file, text)), dataDir == null ? null : Path.of(dataDir)));
    }

    private void check() {
        Map<String, RunSpec> distinct = new LinkedHashMap<>();
        for (RunSpec r : plan.runs()) {
            RunSetting s = plan.setting(r.index());
            distinct.putIfAbsent(r.problem() + "|" + s.kind + "|" + s.structure + "|" + s.solver + "|" + s.dampingPolicy
                    + "|" + s.mcSamples + "|" + s.cgMaxIterations, r);
        }
        for (RunSpec r : distinct.values()) {
            RunSetting s = plan.setting(r.index());
            StudyProblem p = problems.get(r.problem());
            try {
                s.optimizer(p.model(), p.prior());
            } catch (IllegalArgumentException e) {
                Study.AxisValues at = s.layerwise() ? plan.study().axis("structure") : null;
                at = at != null ? at : plan.study().axis("kind");
                throw new StudyException(plan.study().file(), at == null ? 0 : at.line(), "kind " + s.kind
                        + (s.layerwise() ? " with structure " + s.structure : "") + " with damping policy "
                        + s.dampingPolicy + " cannot run on problem " + p.name() + ": " + e.getMessage());
            }
        }
    }

    /** The plan. */
    public StudyPlan plan() {
        return plan;
    }

    /** The problems, in study order. */
    public List<StudyProblem> problems() {
        return problems;
    }

    private GridPath grid(int problem) {
        return grids.computeIfAbsent(problem, p -> new GridPath(problems.get(p).glm()));
    }

    /** Whether problem {@code problem}'s grid tasks take the sparse curvature path (one sweep per step size). */
    public boolean sparse(int problem) {
        return grid(problem).sparse();
    }

    /** The task that holds run {@code index}. */
    public Task taskOf(int index) {
        for (Task t : plan.tasks()) {
            for (int r : t.runs()) {
                if (r == index) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("no run " + index + " in study " + plan.study().name());
    }

    /** Runs a task; one record per run, in the task's order. */
    public List<RunRecord> run(Task task) {
        if (plan.study().kind() != null) {
            return List.of(runUnit(task.runs()[0]));
        }
        if (task.grid()) {
            return runGrid(task, false).records;
        }
        List<RunRecord> out = new ArrayList<>(task.runs().length);
        for (int r : task.runs()) {
            out.add(runOne(r, null));
        }
        return out;
    }

    /** The objective at every iteration of run {@code index} (as far as it went), computed again. */
    public double[] curve(Task task, int index) {
        if (task.grid()) {
            Grouped g = runGrid(task, true);
            for (int k = 0; k < task.runs().length; k++) {
                if (task.runs()[k] == index) {
                    return g.curves.get(k);
                }
            }
            throw new IllegalArgumentException("run " + index + " is not in task " + task.id());
        }
        List<Double> curve = new ArrayList<>();
        runOne(index, curve);
        return curve.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Unit {@code unit} of a {@link StudyKind}: its rows, or the exception that stopped it. */
    private RunRecord runUnit(int unit) {
        long t0 = System.nanoTime();
        try {
            List<List<String>> rows = new ArrayList<>();
            for (List<String> row : plan.study().kind().run(plan.study(), problems, unit)) {
                rows.add(List.copyOf(row));
            }
            return new RunRecord(unit, 0, Double.NaN, Double.NaN, false, (System.nanoTime() - t0) * 1e-9, "",
                    List.copyOf(rows));
        } catch (RuntimeException e) {
            return failure(unit, e, (System.nanoTime() - t0) * 1e-9);
        }
    }

    private record Grouped(List<RunRecord> records, List<double[]> curves) {
    }

    private Grouped runGrid(Task task, boolean curves) {
        int[] runs = task.runs();
        RunSetting first = plan.setting(runs[0]);
        double[] stepSizes = new double[runs.length];
        double[] dampings = new double[runs.length];
        for (int k = 0; k < runs.length; k++) {
            RunSetting s = plan.setting(runs[k]);
            stepSizes[k] = s.stepSize();
            dampings[k] = s.gradientDescent() ? 0.0 : s.damping();
        }
        int problem = plan.runs().get(runs[0]).problem();
        List<RunRecord> records = new ArrayList<>();
        List<double[]> curveList = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            DampingSweep.Run[] results = grid(problem).run(first.kind(), stepSizes, dampings, first.iterations(), curves);
            double seconds = (System.nanoTime() - t0) * 1e-9 / runs.length;
            for (int k = 0; k < runs.length; k++) {
                DampingSweep.Run r = results[k];
                String why = r.diverged() ? gridReason(r, plan.study().divergence()) : "";
                records.add(new RunRecord(runs[k], r.iterations(), r.finalLoss(), r.finalLoss(), r.diverged(), seconds,
                        why));
                curveList.add(r.curve());
            }
        } catch (RuntimeException e) {
            double seconds = (System.nanoTime() - t0) * 1e-9 / runs.length;
            for (int r : runs) {
                records.add(failure(r, e, seconds));
                curveList.add(new double[0]);
            }
        }
        return new Grouped(records, curveList);
    }

    private static RunRecord failure(int run, Throwable e, double seconds) {
        String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
        return new RunRecord(run, 0, Double.NaN, Double.NaN, false, seconds, oneLine(msg));
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /**
     * Why a run diverged, in words: the objective was not finite, or rose above the divergence factor times
     * the initial one, at iteration t.
     */
    static String divergedReason(int iteration, double loss, double initial, double factor) {
        if (!Double.isFinite(loss)) {
            return String.format(java.util.Locale.ROOT, "diverged at iteration %d: loss %s", iteration, loss);
        }
        return String.format(java.util.Locale.ROOT, "diverged at iteration %d: loss %.6g rose above %sx the initial %.6g",
                iteration, loss, factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor), initial);
    }

    /**
     * Why a grid-path run diverged: its final loss says which rule stopped it; a finite loss within the factor
     * means C + λI could not be factorised (where the optimizer would throw).
     */
    static String gridReason(DampingSweep.Run r, double factor) {
        double initial = r.curve().length > 0 ? r.curve()[0] : Double.NaN;
        if (!Double.isFinite(r.finalLoss()) || r.finalLoss() > factor * initial) {
            return divergedReason(r.iterations(), r.finalLoss(), initial, factor);
        }
        return "diverged at iteration " + r.iterations() + ": C + lambda I is not positive definite (Cholesky failed)";
    }

    /**
     * One run by its plain definition, with the library's optimizer: the objective on the whole data at
     * θ_0 … θ_t, t counting steps ({@code iterations}) or epochs ({@code epochs}); with a batch size, each
     * step takes the next minibatch of the epoch's seeded shuffle ({@link Minibatches}, seeded by the run's
     * seed). The run stops when the objective exceeds the divergence factor × the initial one or is not
     * finite, or when the damped curvature cannot be factorised.
     */
    private RunRecord runOne(int index, List<Double> curve) {
        long t0 = System.nanoTime();
        try {
            RunSetting s = plan.setting(index);
            StudyProblem p = problems.get(plan.runs().get(index).problem());
            Optimizer optimizer = s.optimizer(p.model(), p.prior());
            Batch batch = p.batch();
            Steps steps = new Steps(batch, s.batchSize(), s.seed());
            int stepsPerUnit = s.countsEpochs() ? steps.perEpoch() : 1;
            double[] theta = p.start(s.seed());
            Study study = plan.study();
            double initial = Double.NaN;
            double best = Double.POSITIVE_INFINITY;
            double reached = Double.POSITIVE_INFINITY;
            double loss = Double.NaN;
            int iterations = s.iterations();
            for (int t = 0; t <= iterations; t++) {
                loss = finite(theta) ? optimizer.loss(theta, batch) : Double.NaN;
                if (curve != null) {
                    curve.add(loss);
                }
                if (t == 0) {
                    initial = loss;
                }
                if (io.github.natgrad.training.Divergence.diverged(loss, initial, study.divergence())) {
                    return record(index, t, loss, best, reached, true, t0, p, theta,
                            divergedReason(t, loss, initial, study.divergence()));
                }
                best = Math.min(best, loss);
                if (study.metric().needsTarget() && Double.isInfinite(reached) && loss <= study.target()) {
                    reached = study.metric() == Metric.ITERATIONS_TO_TARGET ? t : (System.nanoTime() - t0) * 1e-9;
                }
                if (t == iterations) {
                    break;
                }
                try {
                    for (int k = 0; k < stepsPerUnit; k++) {
                        optimizer.step(theta, steps.next());
                    }
                } catch (CurvatureNotPositiveDefiniteException e) {
                    return record(index, t, loss, best, reached, true, t0, p, theta,
                            oneLine("diverged at iteration " + t + ": " + e.getMessage()));
                }
            }
            return record(index, iterations, loss, best, reached, false, t0, p, theta, "");
        } catch (RuntimeException e) {
            return failure(index, e, (System.nanoTime() - t0) * 1e-9);
        }
    }

    /** The batches a run steps on: the whole data, or the minibatches of one seeded shuffle per epoch. */
    private static final class Steps {
        private final Batch data;
        private final int size;
        private final long seed;
        private int epoch;
        private Iterator<Batch> current;

        Steps(Batch data, int size, long seed) {
            this.data = data;
            this.size = size;
            this.seed = seed;
        }

        int perEpoch() {
            return size == 0 ? 1 : (data.rows() + size - 1) / size;
        }

        Batch next() {
            if (size == 0) {
                return data;
            }
            if (current == null || !current.hasNext()) {
                current = Minibatches.epoch(data, size, seed, epoch++).iterator();
            }
            return current.next();
        }
    }

    private RunRecord record(int index, int iterations, double loss, double best, double reached, boolean diverged,
            long t0, StudyProblem problem, double[] theta, String why) {
        double metric = switch (plan.study().metric()) {
            case FINAL_OBJECTIVE -> loss;
            case BEST_OBJECTIVE -> best;
            case TEST_ACCURACY -> finite(theta) ? Evaluation.of(problem.model(), theta, problem.test()).accuracy() : Double.NaN;
            default -> reached;
        };
        return new RunRecord(index, iterations, loss, metric, diverged, (System.nanoTime() - t0) * 1e-9, why);
    }

    private static boolean finite(double[] theta) {
        for (double v : theta) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
