package io.github.natgrad.bench.options;

import picocli.CommandLine.Option;

/** {@code --seed}: the seed of every random choice of a command (data, initialisation, sampling). A picocli mixin. */
public final class SeedOption {

    /** The seed. */
    @Option(names = "--seed", defaultValue = "0",
            description = "seed of every random choice: data, initialisation, sampling (default ${DEFAULT-VALUE})")
    public long seed;
}
