package io.github.natgrad.training;

import java.nio.file.Path;

/**
 * Everything a {@code train} run was asked to do, as parsed from the command line; what a {@link Trainer}
 * reads.
 *
 * @param model             linear, logistic, probit, softmax (or a model a registered trainer adds)
 * @param data              the training file
 * @param format            libsvm or csv
 * @param test              the test file, or null
 * @param columns           input columns to read (0: from the training file)
 * @param priorVariance     σ² of the Gaussian prior on θ (σ² = LIBLINEAR's C), &gt; 0
 * @param bias              whether the model has a bias
 * @param curvature         the curvature kind's name
 * @param mcSamples         labels sampled per example for the Monte-Carlo Fisher
 * @param solver            cholesky, eigen, cg, woodbury or auto
 * @param cgMaxIterations   CG iteration cap
 * @param cgStop            CG progress rule: martens, liblinear or residual
 * @param cgPreconditioner  none, jacobi or mixed
 * @param cgWarmStart       whether CG starts from the previous direction
 * @param damping           none, fixed, lm or shift
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
}
