package io.github.natgrad.bench.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.BenchMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line end to end on tiny grids. */
class ReproduceCommandTest {
    @TempDir
    Path tmp;

    @Test
    void allWithoutDataWritesEveryOutput() throws IOException {
        Path out = tmp.resolve("out");
        int code = BenchMain.run("reproduce", "all", "--out", out.toString(), "--lrs", "-2:0:3", "--dampings", "-2:0:2",
                "--iterations", "5", "--threads", "2", "--data-dir", "", "--vecfield-rows", "101");
        assertEquals(0, code);
        for (String f : new String[] {"README.md", "vecfield/trajectories.csv", "vecfield/vecfield-ngd.png",
            "vecfield/vecfield-ef.svg", "misspec/misspec.csv", "misspec/misspec-logistic-misspecified-model.png",
            "optim/runs.csv", "optim/summary.csv", "optim/curves.csv", "optim/cosine.csv", "optim/timing.csv",
            "optim/optim-logistic-well-specified-loss.png", "optim/optim-logistic-well-specified-cosine.png",
            "damping/summary.csv", "damping/loss-curves.png"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("![vecfield-ngd](vecfield/vecfield-ngd.png)"), readme);
        assertTrue(readme.contains("| logistic-well-specified | NGD |"), readme);
        // 3 synthetic logistic problems x (3 GD + 2 x 3 x 2 damped) runs
        assertEquals(1 + 3 * 15, Files.readAllLines(out.resolve("optim/runs.csv")).size());
    }

    @Test
    void badOptionsAreRejected() {
        assertNotEquals(0, BenchMain.run("reproduce", "optim", "--out", tmp.toString(), "--lrs", "1:2"));
        assertNotEquals(0, BenchMain.run("reproduce", "nonsense", "--out", tmp.toString()));
        assertNotEquals(0, BenchMain.run("reproduce", "optim", "--out", tmp.toString(), "--datasets", "a1a", "--data-dir",
                tmp.resolve("nowhere").toString()));
        assertEquals(0, BenchMain.run("reproduce", "--help"));
    }

    @Test
    void aBadExperimentNameIsAnErrorListingTheValidOnes() {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = BenchMain.run("reproduce", "optimize", "--out", tmp.toString());
        } finally {
            System.setErr(err);
        }
        String message = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, message);
        assertTrue(message.contains("'optimize'") && message.contains("[VECFIELD, MISSPEC, OPTIM, DAMPING, ALL]")
                && message.contains("case-insensitive"), message);
        assertTrue(Files.notExists(tmp.resolve("README.md")), "a rejected command wrote results");
    }

    @Test
    void experimentNamesAreTheLowerCaseWordsInAnyCase() {
        // the documented spelling, even without Main's case-insensitive setting
        assertEquals(Experiment.OPTIM, parse(new CommandLine(new ReproduceCommand()), "optim"));
        assertEquals(Experiment.VECFIELD, parse(new CommandLine(new ReproduceCommand()), "vecfield"));
        assertEquals(Experiment.ALL, parse(new CommandLine(new ReproduceCommand())));
        CommandLine.ParseResult viaMain = BenchMain.commandLine().parseArgs("reproduce", "MisSpec");
        assertEquals(Experiment.MISSPEC, ((ReproduceCommand) viaMain.subcommand().commandSpec().userObject()).experiment);
        ReproduceCommand command = new ReproduceCommand();
        new CommandLine(command).parseArgs("damping", "--out", "o");
        assertTrue(command.toString().startsWith("reproduce damping --out o "), command.toString());
        for (Experiment e : Experiment.values()) {
            assertTrue(Experiment.ALL.includes(e));
            assertEquals(e == Experiment.OPTIM, Experiment.OPTIM.includes(e), e.toString());
        }
    }

    private static Experiment parse(CommandLine cl, String... args) {
        cl.parseArgs(args);
        return ((ReproduceCommand) cl.getCommand()).experiment;
    }

    @Test
    void oneExperimentWritesOnlyItsOwnOutputs() throws IOException {
        Path out = tmp.resolve("one");
        assertEquals(0, BenchMain.run("reproduce", "misspec", "--out", out.toString(), "--data-dir", ""));
        assertTrue(Files.exists(out.resolve("misspec/misspec.csv")));
        for (String other : new String[] {"vecfield", "optim", "damping"}) {
            assertTrue(Files.notExists(out.resolve(other)), other);
        }
    }
}
