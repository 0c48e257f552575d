package io.github.natgrad.bench;

import picocli.CommandLine;

/**
 * The root of a natgrad command line, written once for both entry points (optimizer-cli's {@code cli.Main},
 * {@code bin/natgrad}, and optimizer-bench's {@link BenchMain}): run without a subcommand it prints its usage,
 * and {@link #configured} gives picocli's {@link CommandLine} natgrad's settings.
 */
@CommandLine.Command // the subclass's @Command names the command; this one lets picocli inject the spec here
public abstract class RootCommand implements Runnable {
    /** The version every natgrad entry point prints ({@code --version}). */
    public static final String VERSION = "natgrad 0.1.0";

    /** Injected by picocli: this command's model. */
    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage, on standard output. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code commandLine} with natgrad's settings: enumerated options accept their values in any case. */
    public static CommandLine configured(CommandLine commandLine) {
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    }
}
