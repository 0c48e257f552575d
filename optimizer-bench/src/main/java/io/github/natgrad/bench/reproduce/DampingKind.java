package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.ProblemSpec;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyException;
import io.github.natgrad.bench.ablate.StudyKind;
import io.github.natgrad.bench.ablate.StudyNode;
import io.github.natgrad.bench.ablate.StudyProblem;
import io.github.natgrad.models.MultilayerPerceptron;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The study kind {@code damping}: the damping grid of {@link MlpDampingExperiment} — damped-Hessian steps
 * with each damping policy ({@link MlpDampingExperiment#POLICIES}) over step sizes × dampings — on the
 * study's one problem, an MLP regression on seeded synthetic data ({@code synthetic: {generator:
 * mlp-regression, n: N, seed: S}}, {@code hidden: [...]}), started from the network's initialisation
 * drawn with S + 1. A unit per run (policy major, then step size, then damping); the table
 * {@code runs.csv} ({@code policy,lr,damping,iterations,final_loss,status,repairs}); the report writes
 * {@code summary.csv}, {@code curves.csv}, {@code loss-curves.png/.svg} and {@code README.md}.
 * Settings: {@code steps} (default 100), {@code step-sizes} (default [0.1, 0.3, 1]) and {@code dampings}
 * (default [1e-4, 1e-3, 1e-2, 1e-1, 1]).
 */
public final class DampingKind implements StudyKind {
    private static final MlpDampingExperiment DEFAULTS = MlpDampingExperiment.defaults();

    @Override
    public String name() {
        return "damping";
    }

    @Override
    public List<String> settingKeys() {
        return List.of("steps", "step-sizes", "dampings");
    }

    @Override
    public void check(Study study) {
        if (study.problems().size() != 1) {
            throw new StudyException(study.file(), study.problems().get(study.problems().size() > 1 ? 1 : 0).line(),
                    "the damping grid runs on one problem, got " + study.problems().size());
        }
        ProblemSpec p = study.problems().get(0);
        if (!(p.source() instanceof ProblemSpec.Synthetic s) || s.generator() != ProblemSpec.Generator.MLP_REGRESSION
                || !p.model().equals("mlp") || p.priorVariance() != 0 || p.hasTestSplit()) {
            throw new StudyException(study.file(), p.line(), "the damping grid runs on an MLP fitted to "
                    + "synthetic: {generator: mlp-regression, n: N, seed: S} with hidden: [...], no prior and no "
                    + "held-out split; problem " + p.name() + " is " + p);
        }
        experiment(study);
    }

    /** The steps per run. */
    static int steps(Study study) {
        StudyNode n = study.setting("steps");
        return n == null ? 100 : n.integer("steps");
    }

    /** A list setting of numbers, or its default. */
    static double[] doubles(Study study, String key) {
        StudyNode n = study.setting(key);
        if (n == null) {
            return key.equals("step-sizes") ? new double[] {0.1, 0.3, 1.0} : new double[] {1e-4, 1e-3, 1e-2, 1e-1, 1.0};
        }
        if (n.shape() != StudyNode.Shape.LIST) {
            throw n.error(key + " must be a list of numbers, got " + n.describe());
        }
        List<StudyNode> items = n.items();
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.get(i).number(key);
        }
        return out;
    }

    /** The grid the study declares (its checks name the setting). */
    static MlpDampingExperiment experiment(Study study) {
        ProblemSpec p = study.problems().get(0);
        try {
            return MlpDampingExperiment.of(study, ((ProblemSpec.Synthetic) p.source()).n(), p.hidden());
        } catch (IllegalArgumentException e) {
            throw new StudyException(study.file(), study.settings() == null ? p.line() : study.settings().line(),
                    "settings: " + e.getMessage());
        }
    }

    /** The seed of the data (the initialisation is drawn with seed + 1). */
    static long seed(Study study) {
        return ((ProblemSpec.Synthetic) study.problems().get(0).source()).seed();
    }

    @Override
    public List<String> header() {
        return List.of(DampingRuns.HEADER.split(","));
    }

    @Override
    public String storeFile() {
        return "runs.csv";
    }

    @Override
    public List<Unit> units(Study study, List<String> problemNames) {
        List<Unit> units = new ArrayList<>();
        for (String policy : MlpDampingExperiment.POLICIES) {
            for (double eta : doubles(study, "step-sizes")) {
                for (double lambda : doubles(study, "dampings")) {
                    String key = DampingRuns.key(policy, eta, lambda);
                    units.add(new Unit(policy + " lr " + eta + " damping " + lambda, List.of(key)));
                }
            }
        }
        return units;
    }

    @Override
    public void checkRow(List<String> row) {
        DampingRuns.parse(row);
    }

    @Override
    public String rowKey(List<String> row) {
        return row.get(0) + "|" + row.get(1) + "|" + row.get(2);
    }

    @Override
    public List<List<String>> run(Study study, List<StudyProblem> problems, int unit) {
        double[] etas = doubles(study, "step-sizes");
        double[] lambdas = doubles(study, "dampings");
        int perPolicy = etas.length * lambdas.length;
        String policy = MlpDampingExperiment.POLICIES.get(unit / perPolicy);
        double eta = etas[unit % perPolicy / lambdas.length];
        double lambda = lambdas[unit % lambdas.length];
        MlpDampingExperiment.Run r = experiment(study).run(problem(study, problems.get(0)), policy, eta, lambda);
        return List.of(DampingRuns.SCHEMA.fields(r));
    }

    private static MlpDampingExperiment.Problem problem(Study study, StudyProblem p) {
        return MlpDampingExperiment.problem((MultilayerPerceptron) p.model(), p.batch(), seed(study));
    }

    @Override
    public void report(Study study, List<StudyProblem> problems, List<List<String>> rows, Path dir, PrintStream log) {
        for (MlpDampingExperiment.Summary s : report(study, problems.get(0), rows, dir)) {
            MlpDampingExperiment.Run b = s.best();
            log.println(b == null ? String.format(java.util.Locale.ROOT, "%-20s all failed (%d runs)", s.policy(), s.runs())
                    : String.format(java.util.Locale.ROOT, "%-20s best lr %.3g, damping %.3g: final loss %.6g, %d repairs "
                    + "(%d of %d runs failed)", s.policy(), b.stepSize(), b.damping(), b.finalLoss(), b.repairs(),
                    s.failedRuns(), s.runs()));
        }
    }

    /** The summaries of a finished grid (each best run re-run for its curve), written beside runs.csv. */
    static List<MlpDampingExperiment.Summary> report(Study study, StudyProblem problem, List<List<String>> rows, Path dir) {
        MlpDampingExperiment experiment = experiment(study);
        MlpDampingExperiment.Problem p = problem(study, problem);
        List<MlpDampingExperiment.Run> runs = new ArrayList<>();
        for (List<String> row : rows) {
            runs.add(DampingRuns.parse(row));
        }
        List<MlpDampingExperiment.Summary> summaries = experiment.summaries(p, runs);
        experiment.write(dir, seed(study), p, summaries);
        return summaries;
    }
}
