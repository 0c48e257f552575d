package io.github.natgrad.bench.train;

import io.github.natgrad.Batch;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.Solver;
import io.github.natgrad.StepReport;
import io.github.natgrad.bench.AtomicFiles;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.data.CsvReader;
import io.github.natgrad.data.LabelMapping;
import io.github.natgrad.data.LabeledData;
import io.github.natgrad.data.LibsvmReader;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.SoftmaxRegression;
import io.github.natgrad.optim.ArmijoLineSearch;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.solve.Solvers;
import io.github.natgrad.training.Evaluation;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Full-batch training of the generalised linear models — linear (Gaussian), logistic, probit and softmax
 * regression — on a LIBSVM (sparse, CSR) or CSV (dense) file, minimising natgrad's objective
 * L(θ) = (1/N) Σ ℓ_i + ‖θ‖²/(2σ²N). With σ² = C this is LIBLINEAR's ½‖w‖² + C Σ ℓ_i divided by N·C.
 */
final class GlmTrainer implements Trainer {
    static final List<String> MODELS = List.of("linear", "logistic", "probit", "softmax");

    private final UnaryOperator<NaturalGradient> adjust;

    /** The trainer of the {@code train} command. */
    GlmTrainer() {
        this(UnaryOperator.identity());
    }

    /** A trainer whose optimizer configuration is changed by {@code adjust} before it is built (for tests). */
    GlmTrainer(UnaryOperator<NaturalGradient> adjust) {
        this.adjust = adjust;
    }

    @Override
    public void train(TrainSpec spec, TrainLog log) {
        if (!(spec.priorVariance() > 0) || Double.isInfinite(spec.priorVariance())) {
            throw new IllegalArgumentException("--prior-variance must be a finite number > 0 (it is LIBLINEAR's C), got "
                    + spec.priorVariance());
        }
        if (spec.maxIterations() < 1) {
            throw new IllegalArgumentException("--max-iterations must be at least 1, got " + spec.maxIterations());
        }
        LabelMapping mapping = switch (spec.model()) {
            case "linear" -> LabelMapping.REAL;
            case "softmax" -> LabelMapping.CLASSES;
            default -> LabelMapping.BINARY;
        };
        LabeledData train = read(spec, spec.data().toString(), mapping, spec.columns(), null);
        LabeledData test = spec.test() == null ? null
                : read(spec, spec.test().toString(), mapping, train.columns(), train.classValues());
        if (test != null) {
            train.requireSameColumns(test);
        }
        Model model = model(spec, train);
        Batch batch = train.batch();
        Batch testBatch = test == null ? null : test.batch();
        int n = batch.rows();
        log.put("model", spec.model());
        log.put("model_description", model.describe());
        log.put("data", spec.data().toString());
        log.put("n", n);
        log.put("d", model.parameterCount());
        log.put("nnz", batch.nonZeros());
        log.put("prior_variance", spec.priorVariance());
        log.put("curvature", spec.curvature());
        log.put("solver", spec.solver());
        log.put("damping", spec.damping());
        log.put("line_search", spec.lineSearch());
        log.put("step_rejection", stepRejection(spec));

        L2Prior prior = L2Prior.ofVariance(spec.priorVariance());
        NaturalGradient config = NaturalGradient.of(Curvatures.byName(spec.curvature(), spec.mcSamples(), spec.seed()))
                .withPrior(prior).withStepSize(spec.stepSize()).withDamping(damping(spec))
                .withSolver(solver(spec, Math.pow(n * spec.priorVariance(), 0.25)))
                .withLineSearch(spec.lineSearch() ? ArmijoLineSearch.liblinear() : null)
                .withStepRejection(stepRejection(spec));
        Optimizer optimizer = adjust.apply(config).build(model);
        double[] theta = new double[model.parameterCount()];
        double seconds = 0;
        long products = 0;
        StopRule rule = new StopRule(spec.gradientTolerance(), spec.maxIterations());
        int iterations = 0;
        for (int it = 0; it < spec.maxIterations(); it++) {
            long t0 = System.nanoTime();
            StepReport r = optimizer.step(theta, batch);
            seconds += (System.nanoTime() - t0) / 1e9;
            products += r.solve().products();
            iterations++;
            double[] testStats = testBatch == null ? new double[] {Double.NaN, Double.NaN} : evaluate(model, theta,
                    testBatch);
            log.iteration(it, seconds, r.loss(), r.gradientNorm(), r.solve().iterations(), products,
                    r.solve().capReached(), r.damping(), r.stepSize(), testStats[0], testStats[1],
                    r.dampingAction().equals("fixed") || r.dampingAction().equals("levenberg-marquardt") ? ""
                            : r.dampingAction());
            if (rule.stop(it, r)) {
                break;
            }
        }
        double objective = optimizer.loss(theta, batch);
        double gradientNorm = gradientNorm(model, theta, batch, prior.precision(n));
        rule.finish(iterations, objective, gradientNorm);
        log.end(rule.status(), rule.message());
        log.put("objective", objective);
        log.put("objective_liblinear_scale", objective * n * spec.priorVariance());
        log.put("gradient_norm", gradientNorm);
        log.put("iterations", iterations);
        log.put("seconds", seconds);
        log.put("curvature_products", products);
        if (testBatch != null) {
            double[] t = evaluate(model, theta, testBatch);
            log.put("test_loss", t[0]);
            log.put("test_accuracy", t[1]);
        }
        if (spec.saveParameters() != null) {
            StringBuilder s = new StringBuilder();
            for (double v : theta) {
                s.append(String.format(Locale.ROOT, "%.17g%n", v));
            }
            AtomicFiles.write(spec.saveParameters(), s.toString());
            log.put("parameters", spec.saveParameters().toString());
        }
    }

    private static LabeledData read(TrainSpec spec, String file, LabelMapping mapping, int columns, double[] classes) {
        java.nio.file.Path path = java.nio.file.Path.of(file);
        String format = spec.format() != null ? spec.format() : file.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv"
                : "libsvm";
        switch (format) {
            case "libsvm": {
                LibsvmReader reader = LibsvmReader.of(mapping);
                if (columns > 0) {
                    reader = reader.withColumns(columns);
                }
                if (classes != null && mapping == LabelMapping.CLASSES) {
                    reader = reader.withClasses(classes);
                }
                return reader.read(path);
            }
            case "csv": {
                CsvReader reader = CsvReader.of(mapping);
                if (classes != null && mapping == LabelMapping.CLASSES) {
                    reader = reader.withClasses(classes);
                }
                return reader.read(path);
            }
            default:
                throw new IllegalArgumentException("unknown --format '" + format + "'; choose libsvm or csv");
        }
    }

    private static Model model(TrainSpec spec, LabeledData data) {
        int p = data.columns();
        return switch (spec.model()) {
            case "linear" -> bias(GeneralizedLinearModel.linearRegression(p), spec.bias());
            case "logistic" -> bias(GeneralizedLinearModel.logisticRegression(p), spec.bias());
            case "probit" -> bias(GeneralizedLinearModel.of(Likelihoods.probit(), p), spec.bias());
            case "softmax" -> {
                int k = data.classValues().length;
                if (k < 2) {
                    throw new IllegalArgumentException(data.file() + ": softmax needs at least 2 classes, the file has "
                            + k);
                }
                SoftmaxRegression m = SoftmaxRegression.of(p, k);
                yield spec.bias() ? m.withBias() : m;
            }
            default -> throw new IllegalArgumentException("not a generalised linear model: " + spec.model());
        };
    }

    private static GeneralizedLinearModel bias(GeneralizedLinearModel m, boolean bias) {
        return bias ? m.withBias() : m;
    }

    static DampingPolicy damping(TrainSpec spec) {
        return switch (spec.damping()) {
            case "auto" -> spec.lambda() > 0 ? Damping.auto().withInitial(spec.lambda()) : Damping.auto();
            case "none" -> Damping.none();
            case "fixed" -> Damping.fixed(spec.lambda());
            case "lm" -> Damping.levenbergMarquardt().withInitial(spec.lambda() > 0 ? spec.lambda() : 1.0);
            case "shift" -> Damping.shiftToPositiveDefinite(spec.lambda(), 1e-8);
            default -> throw new IllegalArgumentException("unknown --damping '" + spec.damping()
                    + "'; choose auto, none, fixed, lm or shift");
        };
    }

    /** Retries of a rejected step: the option, else 10 with the auto damping (as TRON rejects a step) and 0 otherwise. */
    static int stepRejection(TrainSpec spec) {
        if (spec.stepRejection() < -1) {
            throw new IllegalArgumentException("--step-rejection must be >= 0 (0 = off), got " + spec.stepRejection());
        }
        return spec.stepRejection() >= 0 ? spec.stepRejection() : spec.damping().equals("auto") ? 10 : 0;
    }

    /** The solver; {@code forcingScale} = (N·σ²)^{1/4} puts LIBLINEAR's CG forcing term on natgrad's scale. */
    static Solver solver(TrainSpec spec, double forcingScale) {
        if (spec.cgMaxIterations() < 1) {
            throw new IllegalArgumentException("--cg-max-iterations must be at least 1, got " + spec.cgMaxIterations());
        }
        ConjugateGradient cg = Solvers.conjugateGradient().withMaxIterations(spec.cgMaxIterations())
                .withStoppingRule(enumValue(ConjugateGradient.StoppingRule.class, spec.cgStop(), "--cg-stop"))
                .withPreconditioner(enumValue(ConjugateGradient.Preconditioner.class, spec.cgPreconditioner(),
                        "--cg-preconditioner"))
                .withWarmStart(spec.cgWarmStart(), 0.95);
        if (spec.cgStop().equals("liblinear")) {
            cg = cg.withProgressEpsilon(0.5).withForcingScale(forcingScale);
        } else if (spec.cgStop().equals("tron")) {
            cg = cg.withProgressEpsilon(0.1);
        }
        return switch (spec.solver()) {
            case "cg" -> cg;
            case "auto" -> Solvers.auto().withConjugateGradient(cg);
            default -> Solvers.byName(spec.solver());
        };
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String option) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + option + " '" + name + "'");
    }

    /** Mean NLL (no prior) and accuracy (NaN for regression) of θ on a batch, by the library's {@link Evaluation}. */
    static double[] evaluate(Model model, double[] theta, Batch batch) {
        Evaluation e = Evaluation.of(model, theta, batch);
        return new double[] {e.loss(), model.likelihood().name().equals("gaussian") ? Double.NaN : e.accuracy()};
    }

    /** ‖∇L(θ)‖ of the objective with prior precision τ, from the model's oracle. */
    static double gradientNorm(Model model, double[] theta, Batch batch, double tau) {
        Linearization lin = model.linearize(theta, batch);
        int n = batch.rows();
        double[] r = new double[lin.outputs().length];
        model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, r);
        double[] g = new double[theta.length];
        lin.vectorJacobianProduct(r, g);
        double s = 0;
        for (int j = 0; j < g.length; j++) {
            double v = g[j] / n + tau * theta[j];
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
