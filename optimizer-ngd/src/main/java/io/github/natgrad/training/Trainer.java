package io.github.natgrad.training;

/**
 * Trains one kind of model for the {@code train} command: reads the data named by the spec, runs the
 * optimizer and reports every iteration and the result through the {@link TrainLog}. Registered by model
 * name in {@link Trainers}.
 */
public interface Trainer {

    /**
     * Runs the training and records how it ended with {@link TrainLog#end} (converged, not converged,
     * diverged, …; see {@link TrainStatus}).
     *
     * @throws IllegalArgumentException for bad input (the message says what and where)
     */
    void train(TrainSpec spec, TrainLog log);
}
