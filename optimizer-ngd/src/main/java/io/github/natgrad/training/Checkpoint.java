package io.github.natgrad.training;

import io.github.natgrad.Checks;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A training run's checkpoint in one file: the parameters θ, the number of epochs completed and the
 * optimizer's {@link OptimizerState}. Written atomically, so a run killed at any moment (even while
 * saving) resumes from its last complete checkpoint; resuming with the same minibatches continues the
 * run bit for bit.
 *
 * <pre>{@code
 * Checkpoint.save(file, model, theta, epoch, optimizer);          // after each epoch
 * Checkpoint c = Checkpoint.load(file, model);                     // in a new process
 * optimizer.restore(c.optimizerState()); double[] theta = c.theta(); int next = c.epochs();
 * }</pre>
 *
 * @param theta          the parameters
 * @param epochs         epochs completed
 * @param optimizerState the optimizer's state
 */
public record Checkpoint(double[] theta, int epochs, OptimizerState optimizerState) {
    private static final String KIND = "natgrad-checkpoint";

    /** Writes a checkpoint of the run to {@code file} atomically. */
    public static void save(Path file, Model model, double[] theta, int epochs, Optimizer optimizer)
            throws IOException {
        Checks.notNull(optimizer, "optimizer");
        Checks.length(theta, model.parameterCount(), "theta", model.describe());
        StateFiles.save(OptimizerState.builder(KIND, model).putDoubles("theta", theta).putLong("epochs", epochs)
                .include("optimizer.", optimizer.state()).build(), file);
    }

    /** Whether a checkpoint file exists. */
    public static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }

    /**
     * Reads a checkpoint and checks it belongs to {@code model}.
     *
     * @throws IOException              naming the file if it is unreadable, truncated or not a checkpoint
     * @throws IllegalArgumentException if it was written for another model (the message says which)
     */
    public static Checkpoint load(Path file, Model model) throws IOException {
        OptimizerState state = StateFiles.load(file);
        if (!KIND.equals(state.kind())) {
            throw new IOException(file + " is an optimizer state, not a training checkpoint (kind '" + state.kind()
                    + "')");
        }
        try {
            state.requireCompatible(KIND, model);
            double[] theta = state.getDoubles("theta");
            Checks.length(theta, model.parameterCount(), "checkpoint theta", model.describe());
            return new Checkpoint(theta, Math.toIntExact(state.getLong("epochs")), state.nested("optimizer."));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
