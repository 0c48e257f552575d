package io.github.natgrad.bench;

import io.github.natgrad.bench.jmh.JmhCommand;
import io.github.natgrad.bench.jmh.ReportCommand;
import io.github.natgrad.bench.jmh.SuiteCommand;
import io.github.natgrad.bench.reproduce.ReproduceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * optimizer-bench's own entry point ({@code java -jar natgrad-bench.jar}, and the main job
 * {@code mvn -pl optimizer-bench -am package -Prun}): the reproduction of Kunstner, Balles and Hennig (2019)
 * ({@code reproduce}) and the JMH suite ({@code jmh}, {@code jmh-suite}, {@code bench-report}). The full command
 * line (optimizer-cli's {@code natgrad.jar}, {@code bin/natgrad}) runs these same command classes, so both
 * entry points give the same results for the same arguments.
 */
@Command(name = "natgrad-bench", mixinStandardHelpOptions = true, version = RootCommand.VERSION,
        description = "The reproduction of Kunstner et al. (2019) and natgrad's JMH suite "
                + "(every other command: bin/natgrad, optimizer-cli).",
        subcommands = {ReproduceCommand.class, JmhCommand.class, SuiteCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class BenchMain extends RootCommand {

    /**
     * Runs the command and exits with its code, on the fast path (see {@link Launcher}: without the Vector API
     * module the command runs in a child JVM that has it; {@code -Dnatgrad.relaunch=off} opts out).
     */
    public static void main(String[] args) throws InterruptedException {
        Launcher.main(BenchMain.class, args, BenchMain::run);
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with natgrad's settings ({@link RootCommand#configured}). */
    public static CommandLine commandLine() {
        return configured(new CommandLine(new BenchMain()));
    }
}
