package io.github.natgrad.training;

import io.github.natgrad.Batch;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.Solver;
import io.github.natgrad.StepReport;
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
import io.github.natgrad.solve.AutoSolver;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.solve.Solvers;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Full-batch training of the generalised linear models — linear (Gaussian), logistic, probit and softmax
 * regression — on a LIBSVM (sparse, CSR) or CSV (dense) file, minimising natgrad's objective
 * L(θ) = (1/N) Σ ℓ_i + ‖θ‖²/(2σ²N). With σ² = C this is LIBLINEAR's ½‖w‖² + C Σ ℓ_i divided by N·C.
 */
public final class GlmTrainer implements Trainer {
    /** The models this trainer (and every {@link TrainEngine}) trains. */
    public static final List<String> MODELS = List.of("linear", "logistic", "probit", "softmax");

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
        validate(spec);
        LabelMapping mapping = mapping(spec.model());
        LabeledData train = read(spec, spec.data().toString(), mapping, spec.columns(), null);
        LabeledData test = spec.test() == null ? null
                : read(spec, spec.test().toString(), mapping, train.columns(), train.classValues());
        if (test != null) {
            train.requireSameColumns(test);
        }
        Model model = model(spec.model(), spec.bias(), train.columns(), train.classValues().length,
                train.file().toString());
        Batch batch = train.batch();
        Batch testBatch = test == null ? null : test.batch();
        int n = batch.rows();
        describe(spec, log, model, n, batch.nonZeros());
        L2Prior prior = L2Prior.ofVariance(spec.priorVariance());
        Optimizer optimizer = adjust.apply(configuration(spec, n)).build(model);
        iterate(spec, log, model, n, new Session() {
            @Override
            public StepReport step(double[] theta) {
                return optimizer.step(theta, batch);
            }

            @Override
            public double objective(double[] theta) {
                return optimizer.loss(theta, batch);
            }

            @Override
            public double gradientNorm(double[] theta) {
                return GlmTrainer.gradientNorm(model, theta, batch, prior.precision(n));
            }

            @Override
            public double[] test(double[] theta) {
                return testBatch == null ? new double[] {Double.NaN, Double.NaN} : evaluate(model, theta, testBatch);
            }

            @Override
            public long[] classCounts() {
                return spec.model().equals("linear") ? null : StopRule.classCounts(train.y());
            }
        }, new Start(new double[model.parameterCount()], 0, 0, 0, Double.NaN));
    }

    /** The checks of a spec that need no data: the prior variance, the gradient tolerance and the iteration cap. */
    public static void validate(TrainSpec spec) {
        if (spec.data() == null) {
            throw new IllegalArgumentException("no training data: give --data FILE (TrainSpec.builder().data(file))");
        }
        if (!(spec.priorVariance() > 0) || Double.isInfinite(spec.priorVariance())) {
            throw new IllegalArgumentException("--prior-variance must be a finite number > 0 (it is LIBLINEAR's C), got "
                    + spec.priorVariance());
        }
        if (!Double.isNaN(spec.gradientTolerance())
                && (!(spec.gradientTolerance() >= 0) || Double.isInfinite(spec.gradientTolerance()))) {
            throw new IllegalArgumentException("--gradient-tolerance must be a finite number >= 0 or 'liblinear', got "
                    + spec.gradientTolerance());
        }
        if (!Double.isNaN(spec.gradientTolerance()) && !Double.isNaN(spec.epsilon())) {
            throw new IllegalArgumentException("--epsilon is the epsilon of --gradient-tolerance liblinear; with a "
                    + "numeric --gradient-tolerance (" + spec.gradientTolerance() + ") drop --epsilon");
        }
        if (spec.maxIterations() < 1) {
            throw new IllegalArgumentException("--max-iterations must be at least 1, got " + spec.maxIterations());
        }
    }

    /** How a model's labels are read from a file: real values, two classes or K classes. */
    public static LabelMapping mapping(String model) {
        return switch (model) {
            case "linear" -> LabelMapping.REAL;
            case "softmax" -> LabelMapping.CLASSES;
            default -> LabelMapping.BINARY;
        };
    }

    /** The result.json fields that describe the run before it starts. */
    public static void describe(TrainSpec spec, TrainLog log, Model model, int n, long nonZeros) {
        log.put("model", spec.model());
        log.put("model_description", model.describe());
        log.put("data", spec.data().toString());
        log.put("n", n);
        log.put("d", model.parameterCount());
        log.put("nnz", nonZeros);
        log.put("prior_variance", spec.priorVariance());
        log.put("curvature", TrainSpec.label(spec.curvature()));
        log.put("solver", TrainSpec.label(spec.solver()));
        log.put("damping", TrainSpec.label(spec.damping()));
        log.put("line_search", spec.lineSearch());
        log.put("step_rejection", stepRejection(spec));
    }

    /** The optimizer configuration of a spec for N examples (the same on every engine). */
    public static NaturalGradient configuration(TrainSpec spec, int n) {
        return NaturalGradient.of(Curvatures.byName(TrainSpec.label(spec.curvature()), spec.mcSamples(), spec.seed()))
                .withPrior(L2Prior.ofVariance(spec.priorVariance())).withStepSize(spec.stepSize())
                .withDamping(damping(spec)).withSolver(solver(spec, Math.pow(n * spec.priorVariance(), 0.25)))
                .withLineSearch(spec.lineSearch() ? ArmijoLineSearch.liblinear() : null)
                .withStepRejection(stepRejection(spec));
    }

    /** What the training loop asks of where the data are: a step, the objective, ‖∇L‖, test figures. */
    public interface Session {
        /** One optimizer step from θ, updated in place. */
        StepReport step(double[] theta);

        /** The objective at θ. */
        double objective(double[] theta);

        /** ‖∇L(θ)‖. */
        double gradientNorm(double[] theta);

        /** {test loss, test accuracy} at θ, NaN when there is no test file (or no accuracy). */
        double[] test(double[] theta);

        /**
         * Called after each iteration has been logged, with what a resumed run needs (an engine saves its
         * checkpoint here). The default does nothing.
         */
        default void iterationDone(int iteration, double[] theta, double seconds, long products, double g0) {
        }

        /**
         * Examples per class (index = class label as the likelihood reads it), for the default tolerance of the
         * classification models ({@link StopRule#liblinearTolerance}); null when unknown or for regression.
         */
        default long[] classCounts() {
            return null;
        }
    }

    /**
     * Where the loop starts: θ, the first iteration's index and the totals so far (all zero, g₀ NaN, for a new run).
     *
     * @param theta     θ (updated in place by the loop)
     * @param iteration the index of the first iteration to run
     * @param seconds   optimizer seconds so far
     * @param products  curvature products so far
     * @param g0        ‖g‖ at the first iteration (NaN for a new run)
     */
    public record Start(double[] theta, int iteration, double seconds, long products, double g0) {
    }

    /** ‖∇L‖ at θ is checked before a step once the previous step's ‖∇L‖ was within this factor of the target. */
    static final double NEAR_TARGET = 1e3;

    /**
     * The training loop of every engine: steps until the gradient tolerance, the cap or a zero step, one trace line
     * per iteration, then the result fields (objective, ‖∇L‖, totals, test figures, the parameters).
     */
    public static void iterate(TrainSpec spec, TrainLog log, Model model, int n, Session session, Start start) {
        double[] theta = start.theta();
        double seconds = start.seconds();
        long products = start.products();
        double g0 = start.g0();
        int iterations = start.iteration();
        double tolerance = gradientTolerance(spec, session, n);
        log.put("gradient_tolerance", tolerance);
        log.put("stop_rule", Double.isNaN(spec.gradientTolerance()) ? "liblinear" : "given");
        StopRule rule = new StopRule(tolerance, spec.maxIterations());
        if (start.iteration() > 0) {
            rule.resumedWith(g0);
        }
        double lastGradientNorm = Double.NaN;
        double finalGradientNorm = Double.NaN;
        for (int it = start.iteration(); it < spec.maxIterations(); it++) {
            if (lastGradientNorm <= NEAR_TARGET * rule.target()) {
                // near the target (Newton's steps converge quadratically): check ‖∇L‖ at θ before paying for a
                // step the tolerance may no longer need — as TRON, which tests the new gradient before its next solve
                long t0 = System.nanoTime();
                double g = session.gradientNorm(theta);
                seconds += (System.nanoTime() - t0) / 1e9;
                if (g <= rule.target()) {
                    finalGradientNorm = g;
                    break;
                }
            }
            long t0 = System.nanoTime();
            StepReport r = session.step(theta);
            seconds += (System.nanoTime() - t0) / 1e9;
            products += r.solve().products();
            iterations++;
            if (it == 0) {
                g0 = r.gradientNorm();
            }
            double[] testStats = session.test(theta);
            log.iteration(it, seconds, r.loss(), r.gradientNorm(), r.solve().iterations(), products,
                    r.solve().capReached(), r.damping(), r.stepSize(), testStats[0], testStats[1],
                    r.dampingAction().equals("fixed") || r.dampingAction().equals("levenberg-marquardt") ? ""
                            : r.dampingAction());
            session.iterationDone(it, theta, seconds, products, g0);
            if (rule.stop(it, r)) {
                break;
            }
            lastGradientNorm = r.gradientNorm();
        }
        double objective = session.objective(theta);
        double gradientNorm = Double.isNaN(finalGradientNorm) ? session.gradientNorm(theta) : finalGradientNorm;
        rule.finish(iterations, objective, gradientNorm);
        log.end(rule.status(), rule.message());
        log.put("objective", objective);
        log.put("objective_liblinear_scale", objective * n * spec.priorVariance());
        log.put("gradient_norm", gradientNorm);
        log.put("iterations", iterations);
        log.put("seconds", seconds);
        log.put("curvature_products", products);
        double[] t = session.test(theta);
        if (spec.test() != null) {
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

    /**
     * The relative gradient tolerance of a run: {@code --gradient-tolerance} when given (a number), else
     * LIBLINEAR's own rule for the model ({@link StopRule#liblinearTolerance}, from the session's class counts).
     */
    public static double gradientTolerance(TrainSpec spec, Session session, int n) {
        if (!Double.isNaN(spec.gradientTolerance())) {
            if (!(spec.gradientTolerance() >= 0) || Double.isInfinite(spec.gradientTolerance())) {
                throw new IllegalArgumentException("--gradient-tolerance must be a finite number >= 0 or 'liblinear', got "
                        + spec.gradientTolerance());
            }
            return spec.gradientTolerance();
        }
        return StopRule.liblinearTolerance(spec.model(), spec.epsilon(), session.classCounts(), n);
    }

    private static LabeledData read(TrainSpec spec, String file, LabelMapping mapping, int columns, double[] classes) {
        java.nio.file.Path path = java.nio.file.Path.of(file);
        TrainSpec.DataFormat format = spec.format() != null ? spec.format() : TrainSpec.DataFormat.of(path);
        switch (format) {
            case LIBSVM: {
                LibsvmReader reader = LibsvmReader.of(mapping);
                if (columns > 0) {
                    reader = reader.withColumns(columns);
                }
                if (classes != null && mapping == LabelMapping.CLASSES) {
                    reader = reader.withClasses(classes);
                }
                return reader.read(path);
            }
            default: {
                CsvReader reader = CsvReader.of(mapping);
                if (classes != null && mapping == LabelMapping.CLASSES) {
                    reader = reader.withClasses(classes);
                }
                return reader.read(path);
            }
        }
    }

    /**
     * The model of {@code --model} ({@code name}, with a bias or not) for {@code columns} inputs ({@code classes}
     * classes for softmax, read from {@code source}).
     */
    public static Model model(String name, boolean withBias, int columns, int classes, String source) {
        int p = columns;
        return switch (name) {
            case "linear" -> bias(GeneralizedLinearModel.linearRegression(p), withBias);
            case "logistic" -> bias(GeneralizedLinearModel.logisticRegression(p), withBias);
            case "probit" -> bias(GeneralizedLinearModel.of(Likelihoods.probit(), p), withBias);
            case "softmax" -> {
                if (classes < 2) {
                    throw new IllegalArgumentException(source + ": softmax needs at least 2 classes, the file has "
                            + classes);
                }
                SoftmaxRegression m = SoftmaxRegression.of(p, classes);
                yield withBias ? m.withBias() : m;
            }
            default -> throw new IllegalArgumentException("not a generalised linear model: " + name);
        };
    }

    private static GeneralizedLinearModel bias(GeneralizedLinearModel m, boolean bias) {
        return bias ? m.withBias() : m;
    }

    /** The damping policy of {@code --damping} and {@code --lambda}. */
    public static DampingPolicy damping(TrainSpec spec) {
        return switch (spec.damping()) {
            case AUTO -> spec.lambda() > 0 ? Damping.auto().withInitial(spec.lambda()) : Damping.auto();
            case NONE -> Damping.none();
            case FIXED -> Damping.fixed(spec.lambda());
            case LM -> Damping.levenbergMarquardt().withInitial(spec.lambda() > 0 ? spec.lambda() : 1.0);
            case SHIFT -> Damping.shiftToPositiveDefinite(spec.lambda(), 1e-8);
            case TRUST_REGION -> Damping.trustRegion();
        };
    }

    /**
     * Retries of a rejected step: the option, else 10 with the auto and trust-region dampings (as TRON rejects a
     * step; the trust region itself allows at least {@link io.github.natgrad.damping.TrustRegion#RETRIES}) and 0
     * otherwise.
     */
    static int stepRejection(TrainSpec spec) {
        if (spec.stepRejection() < -1) {
            throw new IllegalArgumentException("--step-rejection must be >= 0 (0 = off), got " + spec.stepRejection());
        }
        return spec.stepRejection() >= 0 ? spec.stepRejection()
                : spec.damping() == TrainSpec.DampingChoice.AUTO || spec.damping() == TrainSpec.DampingChoice.TRUST_REGION
                        ? 10 : 0;
    }

    /** The solver; {@code forcingScale} = (N·σ²)^{1/4} puts LIBLINEAR's CG forcing term on natgrad's scale. */
    public static Solver solver(TrainSpec spec, double forcingScale) {
        if (spec.cgMaxIterations() < 1) {
            throw new IllegalArgumentException("--cg-max-iterations must be at least 1, got " + spec.cgMaxIterations());
        }
        ConjugateGradient cg = ConjugateGradient.defaults().withMaxIterations(spec.cgMaxIterations())
                .withStoppingRule(spec.cgStop()).withPreconditioner(spec.cgPreconditioner())
                .withWarmStart(spec.cgWarmStart(), 0.95);
        if (spec.cgStop() == ConjugateGradient.StoppingRule.LIBLINEAR) {
            cg = cg.withProgressEpsilon(0.5).withForcingScale(forcingScale);
        } else if (spec.cgStop() == ConjugateGradient.StoppingRule.TRON) {
            cg = cg.withProgressEpsilon(0.1);
        }
        return switch (spec.solver()) {
            case CG -> cg;
            case AUTO -> AutoSolver.defaults().withConjugateGradient(cg);
            case CHOLESKY -> Solvers.cholesky();
            case EIGEN -> Solvers.eigen();
            case WOODBURY -> Solvers.woodbury();
        };
    }

    /** Mean NLL (no prior) and accuracy (NaN for regression) of θ on a batch, by the library's {@link Evaluation}. */
    public static double[] evaluate(Model model, double[] theta, Batch batch) {
        Evaluation e = Evaluation.of(model, theta, batch);
        return new double[] {e.loss(), model.likelihood().name().equals("gaussian") ? Double.NaN : e.accuracy()};
    }

    /** ‖∇L(θ)‖ of the objective with prior precision τ, from the model's oracle. */
    public static double gradientNorm(Model model, double[] theta, Batch batch, double tau) {
        Linearization lin = model.linearize(theta, batch);
        int n = batch.rows();
        double[] r = new double[lin.outputs().length];
        model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, r);
        double[] g = new double[theta.length];
        lin.vectorJacobianProduct(r, g);
        return gradientNorm(g, theta, n, tau);
    }

    /**
     * ‖∇L(θ)‖ = ‖g/N + τθ‖ from the likelihood's summed gradient g = Jᵀr over N examples (on any engine: the
     * local batch's, or the sum of a distributed engine's partitions).
     */
    public static double gradientNorm(double[] g, double[] theta, int n, double tau) {
        double s = 0;
        for (int j = 0; j < g.length; j++) {
            double v = g[j] / n + tau * theta[j];
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
