package io.github.natgrad.bench.ablate;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.bench.problems.Problem;

/**
 * A problem of a study, ready to run: its name, the model (from the library), the batch, the prior and
 * the starting point. A generalised linear model with the reproduction's conventions also carries the
 * {@link Problem} the grid fast path takes.
 *
 * @param name  the name used in the outputs
 * @param model the model
 * @param batch the full batch
 * @param prior the L2 prior, or null
 * @param glm   the reproduction's problem (GLMs from θ₀ = 0), or null
 * @param test  the held-out examples of the test-accuracy metric, or null
 */
public record StudyProblem(String name, Model model, Batch batch, L2Prior prior, Problem glm, Batch test) {

    /**
     * The reproduction's problem of a generalised linear model, for a kind that needs one.
     *
     * @param what what needs it, the start of the message, e.g. {@code "the misspecification figure"}
     * @throws IllegalArgumentException when this problem is not a generalised linear model
     */
    public Problem requireGlm(String what) {
        if (glm == null) {
            throw new IllegalArgumentException(what + " needs a generalised linear model; " + name + " is not one");
        }
        return glm;
    }

    /** θ₀ for a run with this seed: {@link Model#initialParameters(long)} (zeros for a GLM, the MLP's seeded initialisation). */
    public double[] start(long seed) {
        return model.initialParameters(seed);
    }
}
