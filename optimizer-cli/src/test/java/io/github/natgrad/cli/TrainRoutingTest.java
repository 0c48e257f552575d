package io.github.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import picocli.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} dispatches on {@code --model} through picocli: one help lists the generalised linear models'
 * options and the network's (marked mlp:); {@code --model mlp} runs the network trainer, every other model the
 * full-batch GLM trainer, and an option of the other kind of model is a usage error that names it.
 */
class TrainRoutingTest {

    @Test
    void oneHelpShowsTheGlmAndTheNetworkOptions() {
        CommandRun r = CommandRun.of("train", "--help");
        assertEquals(0, r.code(), r.err());
        for (String option : new String[] {"--line-search", "--solver", "--damping", "--lambda", "--step-size",
            "--optimizer", "--batch-size", "--epochs", "--hidden", "--data-dir", "--resume"}) {
            assertTrue(r.out().contains(option), option + " missing from train --help:\n" + r.out());
        }
        assertTrue(r.out().contains("mlp: minibatch size"), r.out());
        assertTrue(!r.out().contains("--lr "), "the old spelling --lr is hidden:\n" + r.out());
    }

    @Test
    void theHelpIsTheSameWhateverTheModel() {
        assertEquals(CommandRun.of("train", "--help").out(), CommandRun.of("train", "--model", "mlp", "--help").out());
        assertEquals(CommandRun.of("train", "--help").out(), CommandRun.of("train", "--model=logistic", "--help").out());
    }

    @Test
    void aNetworkOptionWithAGlmIsAUsageErrorThatNamesIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("tiny.libsvm");
        Files.writeString(data, "+1 1:1\n-1 1:-1\n");
        CommandRun r = CommandRun.of("train", "--model", "logistic", "--data", data.toString(), "--out",
                dir.resolve("out").toString(), "--batch-size", "10", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--batch-size apply(ies) to --model mlp only"), r.err());
        assertTrue(!Files.exists(dir.resolve("out").resolve("trace.csv")), "nothing ran");
    }

    @Test
    void aGlmOptionWithTheNetworkIsAUsageErrorThatNamesIt(@TempDir Path dir) {
        CommandRun r = CommandRun.of("train", "--model", "mlp", "--line-search", "--solver", "cg", "--out",
                dir.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--line-search, --solver apply(ies) to the generalised linear models only"), r.err());
    }

    @Test
    void aGlmWithoutDataOrOutSaysWhatIsMissing() {
        CommandRun r = CommandRun.of("train", "--model", "logistic");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--model logistic needs --data FILE and --out DIR"), r.err());
    }

    @Test
    void theNetworkReadsTheSharedOptionsWithTheirNetworkDefaults(@TempDir Path dir) {
        // no data directory: the network trainer runs and fails on the missing files, so it got the options
        CommandRun r = CommandRun.of("train", "--model", "mlp", "--data-dir", dir.resolve("none").toString(), "--out",
                dir.resolve("out").toString(), "--epochs", "1");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains("none"), r.err());
    }

    @Test
    void theNetworkGetsTheSharedStepSizeAndLambdaOrItsOwnDefaults() {
        NetworkTrainCommand n = parsed("train", "--model", "mlp");
        assertTrue(Double.isNaN(n.stepSize) && Double.isNaN(n.damping), "NaN = the optimizer's tuned default");
        assertEquals(Path.of("results/train-network"), n.out.dir);
        assertEquals("fashion-mnist", n.data);
        n = parsed("train", "--model", "mlp", "--step-size", "0.3", "--lambda", "0.2", "--seed", "7", "--hidden", "8,4");
        assertEquals(0.3, n.stepSize);
        assertEquals(0.2, n.damping);
        assertEquals(7, n.seedOption.seed);
        assertEquals(List.of(8, 4), java.util.Arrays.stream(n.network.hidden).boxed().toList());
        // the former spelling, hidden
        assertEquals(0.05, parsed("train", "--model", "mlp", "--lr", "0.05").stepSize);
    }

    private static NetworkTrainCommand parsed(String... args) {
        CommandLine cl = Main.commandLine();
        CommandLine.ParseResult r = cl.parseArgs(args);
        return ((TrainCommand) r.subcommand().commandSpec().userObject()).network();
    }
}
