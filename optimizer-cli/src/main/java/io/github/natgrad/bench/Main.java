package io.github.natgrad.bench;

import io.github.natgrad.bench.jmh.JmhCommand;
import io.github.natgrad.bench.jmh.ReportCommand;
import io.github.natgrad.bench.jmh.SuiteCommand;
import io.github.natgrad.bench.reproduce.ReproduceCommand;
import io.github.natgrad.linalg.Simd;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The natgrad command line: the reproduction of Kunstner et al. (2019), the curvature inspector, the
 * preconditioner comparison and the JMH suite, in one runnable jar ({@code java -jar natgrad-bench.jar}).
 */
@Command(name = "natgrad", mixinStandardHelpOptions = true, version = "natgrad 0.1.0",
        description = "Natural-gradient experiments and benchmarks.",
        subcommands = {ReproduceCommand.class, CompareCommand.class, InspectCommand.class,
                DampingGridCommand.class, io.github.natgrad.bench.ablate.AblateCommand.class, JmhCommand.class,
                SuiteCommand.class, ReportCommand.class, io.github.natgrad.bench.train.TrainCommand.class,
                io.github.natgrad.bench.train.NetworkTrainCommand.class,
                io.github.natgrad.bench.train.NetworkBenchCommand.class,
                io.github.natgrad.bench.scale.VsLiblinearCommand.class,
                io.github.natgrad.bench.scale.SyntheticSparseCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Runs the command line and exits with its code. Without the Vector API module, the command runs in a
     * child JVM that has it (see {@link Launcher}; {@code -Dnatgrad.relaunch=off} opts out). Every command
     * prints one line on standard error saying whether the SIMD kernels are on.
     */
    public static void main(String[] args) throws InterruptedException {
        if (Launcher.needed()) {
            int code = Launcher.relaunch(args);
            if (code >= 0) {
                System.exit(code);
            }
        }
        // the CLI is an application: it chooses one OpenBLAS thread for its own process (small products are
        // fastest on one; --threads runs workers in parallel), unless the environment says otherwise
        if (System.getenv("OMP_NUM_THREADS") == null && System.getenv("OPENBLAS_NUM_THREADS") == null) {
            io.github.natgrad.linalg.Blas.setThreads(1);
        }
        System.err.println(simdLine());
        System.exit(run(args));
    }

    /** The line every command prints: which path natgrad's kernels take in this JVM, and which BLAS. */
    static String simdLine() {
        return "natgrad: SIMD kernels " + Simd.describe() + "; " + io.github.natgrad.linalg.Blas.describe();
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return commandLine().execute(routed(args));
    }

    /**
     * {@code train --model mlp …} is the network trainer's command ({@code train-network}, whose options —
     * {@code --data fashion-mnist --data-dir DIR --optimizer --batch-size --epochs --resume} — differ from the
     * generalised linear models'); every other {@code train} is the full-batch trainer.
     */
    static String[] routed(String[] args) {
        if (args.length > 0 && args[0].equals("train")) {
            for (int i = 1; i < args.length; i++) {
                boolean mlp = args[i].equals("--model=mlp")
                        || (args[i].equals("--model") && i + 1 < args.length && args[i + 1].equals("mlp"));
                if (mlp) {
                    String[] out = args.clone();
                    out[0] = "train-network";
                    return out;
                }
            }
        }
        return args;
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
        return cl.setCaseInsensitiveEnumValuesAllowed(true);
    }
}
