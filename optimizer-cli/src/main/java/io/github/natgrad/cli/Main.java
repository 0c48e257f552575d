package io.github.natgrad.cli;

import io.github.natgrad.bench.BenchMain;
import io.github.natgrad.bench.ExtraCommand;
import io.github.natgrad.bench.Launcher;
import io.github.natgrad.bench.RootCommand;
import io.github.natgrad.bench.jmh.JmhCommand;
import io.github.natgrad.bench.jmh.ReportCommand;
import io.github.natgrad.bench.jmh.SuiteCommand;
import io.github.natgrad.bench.reproduce.ReproduceCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The natgrad command line (optimizer-cli): one picocli command per verb, in one runnable jar
 * ({@code bin/natgrad}, {@code java -jar optimizer-cli/target/natgrad.jar}). The training, inspection and
 * comparison commands live here; {@code reproduce} and the JMH suite ({@code jmh}, {@code jmh-suite},
 * {@code bench-report}) are optimizer-bench's commands, which its own entry point ({@code BenchMain},
 * {@code natgrad-bench.jar}, the main job) runs too. Spark's commands and engines join through
 * {@link ExtraCommand} and the engines' ServiceLoader SPIs when optimizer-spark is on the class path.
 *
 * <p>Options mean one thing in every command: {@code --damping} is a damping policy, {@code --lambda} a
 * damping value λ, {@code --seed} the seed of every random choice, {@code --out} the output directory,
 * {@code --data-dir} the directory of the data files.
 */
@Command(name = "natgrad", mixinStandardHelpOptions = true, version = RootCommand.VERSION,
        description = "Natural-gradient experiments and benchmarks.",
        subcommands = {ReproduceCommand.class, CompareCommand.class, InspectCommand.class,
                DampingGridCommand.class, AblateCommand.class, JmhCommand.class, SuiteCommand.class,
                ReportCommand.class, TrainCommand.class, NetworkTrainCommand.class, NetworkBenchCommand.class,
                VsLiblinearCommand.class, SyntheticSparseCommand.class,
                CommandLine.HelpCommand.class})
public final class Main extends RootCommand {

    /**
     * Runs the command line and exits with its code. Without the Vector API module, the command runs in a
     * child JVM that has it (see {@link Launcher}; {@code -Dnatgrad.relaunch=off} opts out). Every command
     * prints one line on standard error saying whether the SIMD kernels are on.
     */
    public static void main(String[] args) throws InterruptedException {
        Launcher.main(Main.class, args, Main::run);
    }

    /**
     * The body of a spark-submit main class ({@code spark.SparkAblate}, {@code spark.SparkTrain}): runs
     * {@code VERB --engine spark ARGS} and exits with its code.
     *
     * @param verb the command, e.g. {@code ablate}
     * @param args the arguments spark-submit passed on
     */
    public static void exitOnSpark(String verb, String[] args) {
        List<String> all = new ArrayList<>(List.of(verb, "--engine", "spark"));
        all.addAll(List.of(args));
        System.exit(run(all.toArray(new String[0])));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return (args.length > 0 && args[0].equals("train") ? trainCommandLine() : commandLine()).execute(args);
    }

    /**
     * {@code natgrad train} alone under the root: the same options, help, settings and exit codes as in
     * {@link #commandLine()}, without building every other command's picocli model and loading its classes
     * (Spark's, JMH's, the charts'), a third of a second of the training process's start.
     */
    static CommandLine trainCommandLine() {
        CommandLine cl = new CommandLine(CommandLine.Model.CommandSpec.create().name("natgrad")
                .mixinStandardHelpOptions(true).version(RootCommand.VERSION));
        cl.addSubcommand("train", new TrainCommand());
        return configured(cl);
    }

    /**
     * The command line with natgrad's settings: enumerated options accept their values in any case. Commands of
     * other modules (e.g. optimizer-spark's {@code vs-mllib}) join through {@link ExtraCommand}.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (ExtraCommand extra : java.util.ServiceLoader.load(ExtraCommand.class)) {
            cl.addSubcommand(extra);
        }
        return configured(cl);
    }
}
