package io.github.natgrad.cli;

import picocli.CommandLine.Option;

/**
 * {@code --damping λ}, hidden: the former spelling of {@code --lambda} in the commands where {@code --damping} was
 * a damping value (compare, inspect) before it came to mean a damping policy everywhere. A picocli mixin; picocli
 * sets defaults after setters, so a command applies it in its {@code call} with {@link #or}.
 */
public final class FormerLambdaOption {

    /** The value given under the former spelling, or null. */
    @Option(names = "--damping", hidden = true, description = "the former spelling of --lambda in this command")
    Double value;

    /** The λ given as {@code --damping}, else {@code lambda} (the {@code --lambda} value or its default). */
    double or(double lambda) {
        return value != null ? value : lambda;
    }
}
