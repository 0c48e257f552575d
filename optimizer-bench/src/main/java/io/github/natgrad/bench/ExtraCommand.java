package io.github.natgrad.bench;

/**
 * A subcommand another module adds to the natgrad command line (a picocli {@code @Command} class registered for
 * {@link java.util.ServiceLoader}), so that the bench jar never depends on that module's libraries: optimizer-spark
 * adds {@code vs-mllib}.
 */
public interface ExtraCommand {
}
