package io.github.natgrad.bench.options;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --out DIR}: the folder a command writes its results into (created if absent; the command's description
 * names the files), the same in every command that writes a folder. A picocli mixin: this one for a command
 * without a default folder (it checks the option itself when it needs it), {@link Defaulted} for one with a
 * default, which {@code --help} shows. One help text, {@link #TEXT}.
 */
public final class OutDirOption {
    /** The help text of {@code --out}. */
    public static final String TEXT = "the folder the results are written to, created if absent";

    /** The folder, or null when none was given. */
    @Option(names = "--out", paramLabel = "DIR", description = TEXT)
    public Path dir;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The folder; a usage error (exit code 2) naming what the command writes there when {@code --out} is absent.
     *
     * @param what the files the command writes, e.g. "vs-liblinear.csv and the figures"
     */
    public Path required(String what) {
        if (dir == null) {
            throw new CommandLine.ParameterException(command.commandLine(),
                    "Missing required option: '--out=DIR' (the folder for " + what + ")");
        }
        return dir;
    }

    /** {@code --out DIR} with a default folder. */
    public static final class Defaulted {
        /** The folder. */
        @Option(names = "--out", paramLabel = "DIR", description = TEXT + " (default: ${DEFAULT-VALUE})")
        public Path dir;

        /** A mixin whose folder is {@code folder} unless {@code --out} says otherwise. */
        public Defaulted(String folder) {
            this.dir = Path.of(folder);
        }
    }
}
