package io.github.natgrad.bench;

import io.github.natgrad.bench.jmh.JmhCommand;
import io.github.natgrad.bench.jmh.ReportCommand;
import io.github.natgrad.bench.jmh.SuiteCommand;
import io.github.natgrad.bench.reproduce.ReproduceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The natgrad command line: the reproduction of Kunstner et al. (2019), the curvature inspector, the
 * preconditioner comparison and the JMH suite, in one runnable jar ({@code java -jar natgrad-bench.jar}).
 */
@Command(name = "natgrad", mixinStandardHelpOptions = true, version = "natgrad 0.1.0",
        description = "Natural-gradient experiments and benchmarks.",
        subcommands = {ReproduceCommand.class, CompareCommand.class, InspectCommand.class,
                DampingGridCommand.class, JmhCommand.class, SuiteCommand.class, ReportCommand.class,
                io.github.natgrad.bench.train.NetworkTrainCommand.class, io.github.natgrad.bench.train.NetworkBenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
