package io.github.natgrad.training;

import java.nio.file.Path;

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
 * @param format            libsvm or csv (null: csv for *.csv, else libsvm)
 * @param test              the test file, or null
 * @param columns           input columns to read (0: from the training file)
 * @param priorVariance     σ² of the Gaussian prior on θ (σ² = LIBLINEAR's C), &gt; 0
 * @param bias              whether the model has a bias
 * @param curvature         the curvature kind's name
 * @param mcSamples         labels sampled per example for the Monte-Carlo Fisher
 * @param solver            cholesky, eigen, cg, woodbury or auto
 * @param cgMaxIterations   CG iteration cap
 * @param cgStop            CG progress rule: tron, martens, liblinear or residual
 * @param cgPreconditioner  none, jacobi or mixed
 * @param cgWarmStart       whether CG starts from the previous direction
 * @param damping           trust-region, auto, none, fixed, lm or shift
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
public record TrainSpec(String model, Path data, String format, Path test, int columns, double priorVariance,
        boolean bias, String curvature, int mcSamples, String solver, int cgMaxIterations, String cgStop,
        String cgPreconditioner, boolean cgWarmStart, String damping, double lambda, int stepRejection, boolean lineSearch,
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
        private String format;
        private Path test;
        private int columns;
        private double priorVariance = 1;
        private boolean bias;
        private String curvature = "fisher";
        private int mcSamples = 1;
        private String solver = "auto";
        private int cgMaxIterations = 250;
        private String cgStop = "tron";
        private String cgPreconditioner = "mixed";
        private boolean cgWarmStart;
        private String damping = "trust-region";
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
        public Builder format(String v) {
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
        public Builder curvature(String v) {
            curvature = v;
            return this;
        }

        /** @see TrainSpec#mcSamples() */
        public Builder mcSamples(int v) {
            mcSamples = v;
            return this;
        }

        /** @see TrainSpec#solver() */
        public Builder solver(String v) {
            solver = v;
            return this;
        }

        /** @see TrainSpec#cgMaxIterations() */
        public Builder cgMaxIterations(int v) {
            cgMaxIterations = v;
            return this;
        }

        /** @see TrainSpec#cgStop() */
        public Builder cgStop(String v) {
            cgStop = v;
            return this;
        }

        /** @see TrainSpec#cgPreconditioner() */
        public Builder cgPreconditioner(String v) {
            cgPreconditioner = v;
            return this;
        }

        /** @see TrainSpec#cgWarmStart() */
        public Builder cgWarmStart(boolean v) {
            cgWarmStart = v;
            return this;
        }

        /** @see TrainSpec#damping() */
        public Builder damping(String v) {
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
