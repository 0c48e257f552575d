package io.github.natgrad.bench.ablate;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the tasks of a study run: threads of this JVM ({@link LocalEngine}, name {@code local}) or another
 * engine found by {@link java.util.ServiceLoader} (the {@code optimizer-spark} module provides
 * {@code spark}), so that the bench command never depends on an engine's libraries.
 *
 * <p>Contract: {@link #run} runs every task once, each with one BLAS thread and no more tasks at once
 * than the cores it was given, and hands each task's records to {@code sink} as soon as the task
 * finishes (from any thread; the sink is thread-safe). Records must not depend on the engine: every
 * engine computes a task with {@link StudyRuntime#run(Task)}.
 */
public interface AblationEngine {

    /** The name given to {@code --engine}. */
    String name();

    /**
     * Checks, before the study's data are read, that the engine can start with these options (e.g. that
     * its master answers); throws with a message saying what to do. The default checks nothing.
     */
    default void preflight(Options options) {
    }

    /**
     * Runs {@code tasks} of the study.
     *
     * @param runtime the study, ready to run (on this JVM)
     * @param tasks   the tasks still to run
     * @param options threads, master, data folder
     * @param sink    receives each finished task's records
     * @throws IllegalStateException when the engine cannot start (e.g. an unreachable master)
     */
    void run(StudyRuntime runtime, List<Task> tasks, Options options, Consumer<List<RunRecord>> sink);

    /**
     * What the command passes to an engine.
     *
     * @param threads  tasks at once (local threads, or the default parallelism of an embedded cluster)
     * @param master   the engine's master URL, or null for its default
     * @param dataDir  the data folder as a path string, or null
     */
    record Options(int threads, String master, String dataDir) {
    }
}
