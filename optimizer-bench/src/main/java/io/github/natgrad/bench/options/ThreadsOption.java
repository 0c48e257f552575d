package io.github.natgrad.bench.options;

import picocli.CommandLine.Option;

/**
 * {@code --threads N}: how many tasks a command runs at once (each with one BLAS thread), by default the number of
 * cores. A picocli mixin, the one spelling of the option; {@link #checked()} refuses N &lt; 1 by the option's name.
 */
public final class ThreadsOption {

    /** Tasks at once. */
    @Option(names = "--threads", paramLabel = "N",
            description = "tasks at once, each with one BLAS thread (default: the number of cores, ${DEFAULT-VALUE})")
    public int threads = Runtime.getRuntime().availableProcessors();

    /** The number of threads, at least 1. */
    public int checked() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        return threads;
    }
}
