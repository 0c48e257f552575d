package io.github.natgrad.bench.options;

import picocli.CommandLine.Option;

/**
 * {@code --lambda λ}: a fixed damping value, the λ of (C + λI) d = g, in the commands that take one damping value
 * with a default of their own ({@code compare}, {@code inspect}); {@code --damping} is a damping policy wherever it
 * shows. A picocli mixin: the command gives its default ({@link #LambdaOption(double)}, shown by {@code --help}).
 * The former spelling {@code --damping λ} of these commands still parses, hidden; {@link #value()} is the value of
 * whichever spelling was given, else the default.
 */
public final class LambdaOption {

    /** The {@code --lambda} value, the command's default unless given. */
    @Option(names = "--lambda", paramLabel = "LAMBDA",
            description = "damping value lambda, fixed: the directions solve (C + lambda I) d = g (default ${DEFAULT-VALUE})")
    double lambda;

    /** The value given under the former spelling {@code --damping}, or null. */
    @Option(names = "--damping", hidden = true, description = "the former spelling of --lambda in this command")
    Double former;

    /** For picocli: λ = 0 unless given. */
    public LambdaOption() {
        this(0);
    }

    /** A mixin whose λ is {@code defaultLambda} unless {@code --lambda} (or {@code --damping}) says otherwise. */
    public LambdaOption(double defaultLambda) {
        this.lambda = defaultLambda;
    }

    /** λ: the value given as {@code --damping}, else the {@code --lambda} value or its default. */
    public double value() {
        return former != null ? former : lambda;
    }
}
