package io.github.natgrad.training;

/**
 * Where {@code train} runs: this JVM ({@code local}, the {@link Trainers}) or another engine found by
 * {@link java.util.ServiceLoader} — the {@code optimizer-spark} module provides {@code spark}, which reads the
 * data into partitions cached on a cluster's executors and runs the same optimizer against their sums — so
 * that the bench command never depends on an engine's libraries.
 *
 * <p>Contract: an engine trains the generalised linear models of {@link GlmTrainer#MODELS} with the same
 * options, objective, trace.csv and result.json as the local engine ({@link GlmTrainer#iterate}).
 */
public interface TrainEngine {

    /** The name given to {@code --engine}. */
    String name();

    /** The trainer for a spec with these engine options. */
    Trainer trainer(Options options);

    /**
     * What the command passes to an engine.
     *
     * @param master     the engine's master URL, or null for its default (embedded)
     * @param partitions the partitions to read the data into (0: the engine's default)
     * @param resume     continue the run whose checkpoint is in the output directory
     * @param structure  how a distributed engine holds the curvature: dense, matrix-free, or null for its rule
     */
    record Options(String master, int partitions, boolean resume, String structure) {
        /** Options with the engine's own structure rule. */
        public Options(String master, int partitions, boolean resume) {
            this(master, partitions, resume, null);
        }
    }
}
