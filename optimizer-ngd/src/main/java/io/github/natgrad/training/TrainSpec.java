package io.github.natgrad.training;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.solve.ConjugateGradient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything a {@code train} run was asked to do: what a {@link Trainer} (and every {@link TrainEngine}) reads.
 * Made by name through {@link #builder()}, whose defaults are those of {@code natgrad train} (the command's
 * options start from {@link #DEFAULTS}), so that a program and the command line train with one set of defaults:
 * the Fisher with a prior of variance 1, the auto solver, CG with LIBLINEAR's TRON stopping rule and mixed
 * preconditioner, the trust-region damping, step size 1, 100 iterations and LIBLINEAR's own gradient tolerance —
 * the configuration of {@link io.github.natgrad.optim.NaturalGradient#trustRegionNewton}.
 *
 * <pre>{@code
 * TrainSpec spec = TrainSpec.builder().model("logistic").data(Path.of("a1a.libsvm")).out(Path.of("out"))
 *         .priorVariance(4).build();
 * TrainLog log = new TrainLog(spec.out(), System.out);
 * Trainers.forModel(spec.model()).train(spec, log);
 * log.finish(null);
 * }</pre>
 *
 * @param model             linear, logistic, probit, softmax (or a model a registered trainer adds)
 * @param data              the training file
 * @param format            the training and test files' format (null: csv for *.csv, else libsvm)
 * @param test              the test file, or null
 * @param columns           input columns to read (0: from the training file)
 * @param priorVariance     σ² of the Gaussian prior on θ (σ² = LIBLINEAR's C), &gt; 0
 * @param bias              whether the model has a bias
 * @param curvature         the curvature kind
 * @param mcSamples         labels sampled per example for the Monte-Carlo Fisher
 * @param solver            the solve of each step
 * @param cgMaxIterations   CG iteration cap
 * @param cgStop            CG progress rule (the library's {@link ConjugateGradient.StoppingRule})
 * @param cgPreconditioner  CG's preconditioner (the library's {@link ConjugateGradient.Preconditioner})
 * @param cgWarmStart       whether CG starts from the previous direction
 * @param damping           the damping policy
 * @param lambda            λ of the fixed damping, or the initial λ of auto / lm / shift (0: the policy's own)
 * @param stepRejection     retries of a step that would raise the objective (0 off, -1 the damping's default)
 * @param lineSearch        whether to backtrack with the Armijo rule
 * @param stepSize          the (initial) step size η
 * @param maxIterations     iteration cap
 * @param gradientTolerance stop when ‖g‖ ≤ tolerance · ‖g₀‖; NaN: LIBLINEAR's own rule for the model
 *                          ({@link StopRule#liblinearTolerance}: ε·max(1, min(#pos, #neg))/N, ε = 10⁻², for the
 *                          classifiers; 10⁻³ for linear)
 * @param epsilon           ε of that rule (LIBLINEAR's -e); NaN: the model's default (10⁻², or 10⁻³ for linear)
 * @param out               the output directory
 * @param saveParameters    where to write θ, or null
 * @param seed              seed of every random choice
 * @param quiet             no progress lines
 */
public record TrainSpec(String model, Path data, DataFormat format, Path test, int columns, double priorVariance,
        boolean bias, CurvatureKind curvature, int mcSamples, SolverChoice solver, int cgMaxIterations,
        ConjugateGradient.StoppingRule cgStop, ConjugateGradient.Preconditioner cgPreconditioner, boolean cgWarmStart,
        DampingChoice damping, double lambda, int stepRejection, boolean lineSearch,
        double stepSize, int maxIterations, double gradientTolerance, double epsilon, Path out, Path saveParameters, long seed,
        boolean quiet) {

    /**
     * The defaults of every setting, {@code natgrad train}'s: no model, data or output directory yet (a run needs
     * them), prior variance 1, no bias, the Fisher (one Monte-Carlo sample if sampled), the auto solver, CG capped at
     * 250 iterations with the tron rule and the mixed preconditioner, no warm start, the trust-region damping with λ
     * its own, the damping's step rejection, no line search, step size 1, 100 iterations, LIBLINEAR's gradient
     * tolerance with the model's ε, seed 0, progress lines on.
     */
    public static final TrainSpec DEFAULTS = new Builder().build();

    /** The layout of the data files. */
    public enum DataFormat {
        /** LIBSVM's sparse {@code label index:value …} lines ({@link io.github.natgrad.data.LibsvmReader}). */
        LIBSVM,
        /** Comma-separated values, the label last ({@link io.github.natgrad.data.CsvReader}). */
        CSV;

        /** The format of a file by its name: csv for {@code *.csv}, else libsvm. */
        public static DataFormat of(Path file) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : LIBSVM;
        }
    }

    /** The curvature kinds of {@code train} ({@link Curvatures#byName}: the library's factories). */
    public enum CurvatureKind {
        /** C = I: gradient descent. */
        IDENTITY,
        /** The exact Fisher. */
        FISHER,
        /** The Monte-Carlo Fisher ({@code mcSamples} labels per example, seeded by {@code seed}). */
        MC_FISHER,
        /** The empirical Fisher. */
        EMPIRICAL_FISHER,
        /** The generalised Gauss-Newton matrix. */
        GAUSS_NEWTON,
        /** The exact Hessian. */
        HESSIAN;

        /** The kind called {@code text}: a label or an alias of {@link Curvatures#byName} (gd, ngd, ef, ggn). */
        public static CurvatureKind of(String text) {
            return parse(CurvatureKind.class, Curvatures.canonicalName(text), "--curvature");
        }
    }

    /** The solve of a step: a factorisation, CG, Woodbury's identity, or the library's automatic choice. */
    public enum SolverChoice {
        /** Cholesky of the dense C + λI. */
        CHOLESKY,
        /** One eigendecomposition of C, for every λ. */
        EIGEN,
        /** Conjugate gradient, matrix-free, with the spec's CG settings. */
        CG,
        /** Woodbury's identity through the N × N system (N &lt; D). */
        WOODBURY,
        /** The library's {@link io.github.natgrad.solve.AutoSolver}, with the spec's CG for large D. */
        AUTO
    }

    /** The damping policy of a step ({@link GlmTrainer#damping(TrainSpec)}: the library's {@code Damping}). */
    public enum DampingChoice {
        /** LIBLINEAR's TRON trust region. */
        TRUST_REGION,
        /** Levenberg-Marquardt from 10⁻³ min diag(C) (or λ), Nielsen's update. */
        AUTO,
        /** No damping. */
        NONE,
        /** A fixed λ. */
        FIXED,
        /** Levenberg-Marquardt from λ (default 1). */
        LM,
        /** Shift C to positive definite, at least λ. */
        SHIFT
    }

    /** The label of a choice as the command line and result.json spell it: lower case, '-' for '_' (trust-region). */
    public static String label(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The value of {@code type} whose {@linkplain #label label} is {@code text} (case-insensitive): the parsing of
     * the command line's edge.
     *
     * @param option the option's name, for the message (e.g. {@code --damping})
     * @throws IllegalArgumentException naming the option, the text and every choice
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String option) {
        List<String> labels = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (label(e).equalsIgnoreCase(text)) {
                return e;
            }
            labels.add(label(e));
        }
        throw new IllegalArgumentException("unknown " + option + " '" + text + "'; choose "
                + String.join(", ", labels.subList(0, labels.size() - 1)) + " or " + labels.get(labels.size() - 1));
    }

    /** A builder from {@link #DEFAULTS}; set at least the model, the data and the output directory. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link TrainSpec} by name; each setter's parameter is the record component of the same name. */
    public static final class Builder {
        private String model;
        private Path data;
        private DataFormat format;
        private Path test;
        private int columns;
        private double priorVariance = 1;
        private boolean bias;
        private CurvatureKind curvature = CurvatureKind.FISHER;
        private int mcSamples = 1;
        private SolverChoice solver = SolverChoice.AUTO;
        private int cgMaxIterations = 250;
        private ConjugateGradient.StoppingRule cgStop = ConjugateGradient.StoppingRule.TRON;
        private ConjugateGradient.Preconditioner cgPreconditioner = ConjugateGradient.Preconditioner.MIXED;
        private boolean cgWarmStart;
        private DampingChoice damping = DampingChoice.TRUST_REGION;
        private double lambda;
        private int stepRejection = -1;
        private boolean lineSearch;
        private double stepSize = 1;
        private int maxIterations = 100;
        private double gradientTolerance = Double.NaN;
        private double epsilon = Double.NaN;
        private Path out;
        private Path saveParameters;
        private long seed;
        private boolean quiet;

        private Builder() {
        }

        private Builder(TrainSpec s) {
            model = s.model;
            data = s.data;
            format = s.format;
            test = s.test;
            columns = s.columns;
            priorVariance = s.priorVariance;
            bias = s.bias;
            curvature = s.curvature;
            mcSamples = s.mcSamples;
            solver = s.solver;
            cgMaxIterations = s.cgMaxIterations;
            cgStop = s.cgStop;
            cgPreconditioner = s.cgPreconditioner;
            cgWarmStart = s.cgWarmStart;
            damping = s.damping;
            lambda = s.lambda;
            stepRejection = s.stepRejection;
            lineSearch = s.lineSearch;
            stepSize = s.stepSize;
            maxIterations = s.maxIterations;
            gradientTolerance = s.gradientTolerance;
            epsilon = s.epsilon;
            out = s.out;
            saveParameters = s.saveParameters;
            seed = s.seed;
            quiet = s.quiet;
        }

        /** @see TrainSpec#model() */
        public Builder model(String v) {
            model = v;
            return this;
        }

        /** @see TrainSpec#data() */
        public Builder data(Path v) {
            data = v;
            return this;
        }

        /** @see TrainSpec#format() */
        public Builder format(DataFormat v) {
            format = v;
            return this;
        }

        /** @see TrainSpec#test() */
        public Builder test(Path v) {
            test = v;
            return this;
        }

        /** @see TrainSpec#columns() */
        public Builder columns(int v) {
            columns = v;
            return this;
        }

        /** @see TrainSpec#priorVariance() */
        public Builder priorVariance(double v) {
            priorVariance = v;
            return this;
        }

        /** @see TrainSpec#bias() */
        public Builder bias(boolean v) {
            bias = v;
            return this;
        }

        /** @see TrainSpec#curvature() */
        public Builder curvature(CurvatureKind v) {
            curvature = v;
            return this;
        }

        /** @see TrainSpec#mcSamples() */
        public Builder mcSamples(int v) {
            mcSamples = v;
            return this;
        }

        /** @see TrainSpec#solver() */
        public Builder solver(SolverChoice v) {
            solver = v;
            return this;
        }

        /** @see TrainSpec#cgMaxIterations() */
        public Builder cgMaxIterations(int v) {
            cgMaxIterations = v;
            return this;
        }

        /** @see TrainSpec#cgStop() */
        public Builder cgStop(ConjugateGradient.StoppingRule v) {
            cgStop = v;
            return this;
        }

        /** @see TrainSpec#cgPreconditioner() */
        public Builder cgPreconditioner(ConjugateGradient.Preconditioner v) {
            cgPreconditioner = v;
            return this;
        }

        /** @see TrainSpec#cgWarmStart() */
        public Builder cgWarmStart(boolean v) {
            cgWarmStart = v;
            return this;
        }

        /** @see TrainSpec#damping() */
        public Builder damping(DampingChoice v) {
            damping = v;
            return this;
        }

        /** @see TrainSpec#lambda() */
        public Builder lambda(double v) {
            lambda = v;
            return this;
        }

        /** @see TrainSpec#stepRejection() */
        public Builder stepRejection(int v) {
            stepRejection = v;
            return this;
        }

        /** @see TrainSpec#lineSearch() */
        public Builder lineSearch(boolean v) {
            lineSearch = v;
            return this;
        }

        /** @see TrainSpec#stepSize() */
        public Builder stepSize(double v) {
            stepSize = v;
            return this;
        }

        /** @see TrainSpec#maxIterations() */
        public Builder maxIterations(int v) {
            maxIterations = v;
            return this;
        }

        /** @see TrainSpec#gradientTolerance() */
        public Builder gradientTolerance(double v) {
            gradientTolerance = v;
            return this;
        }

        /** @see TrainSpec#epsilon() */
        public Builder epsilon(double v) {
            epsilon = v;
            return this;
        }

        /** @see TrainSpec#out() */
        public Builder out(Path v) {
            out = v;
            return this;
        }

        /** @see TrainSpec#saveParameters() */
        public Builder saveParameters(Path v) {
            saveParameters = v;
            return this;
        }

        /** @see TrainSpec#seed() */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @see TrainSpec#quiet() */
        public Builder quiet(boolean v) {
            quiet = v;
            return this;
        }

        /** The spec (checked by the trainer: {@link GlmTrainer#validate}). */
        public TrainSpec build() {
            return new TrainSpec(model, data, format, test, columns, priorVariance, bias, curvature, mcSamples, solver,
                    cgMaxIterations, cgStop, cgPreconditioner, cgWarmStart, damping, lambda, stepRejection, lineSearch,
                    stepSize, maxIterations, gradientTolerance, epsilon, out, saveParameters, seed, quiet);
        }
    }
}
