package io.github.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.options.OutDirOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One option, one meaning across the commands: {@code --damping} is a damping policy wherever it shows,
 * {@code --lambda} (or {@code --lambdas}, {@code --kfac-lambda}) a damping value λ, {@code --seed} the seed of
 * every random choice. The former spellings of λ still parse, hidden, and give the same result.
 */
class OptionVocabularyTest {

    private static final List<String> VERBS = List.of("compare", "inspect", "damping-grid", "ablate", "train",
            "network-bench", "vs-liblinear", "synthetic-sparse", "reproduce");

    @Test
    void aVisibleDampingOptionIsAlwaysThePolicy() {
        CommandLine cl = Main.commandLine();
        for (String verb : VERBS) {
            CommandSpec spec = cl.getSubcommands().get(verb).getCommandSpec();
            OptionSpec damping = spec.findOption("--damping");
            if (damping != null && !damping.hidden()) {
                assertEquals("train", verb, verb + " shows --damping: " + String.join(" ", damping.description()));
                assertTrue(String.join(" ", damping.description()).contains("none, fixed, lm"), "the policies");
            }
        }
        assertTrue(cl.getSubcommands().get("compare").getCommandSpec().findOption("--lambda") != null);
        assertTrue(cl.getSubcommands().get("inspect").getCommandSpec().findOption("--lambda") != null);
        assertTrue(cl.getSubcommands().get("damping-grid").getCommandSpec().findOption("--lambdas") != null);
        assertTrue(cl.getSubcommands().get("network-bench").getCommandSpec().findOption("--kfac-lambda") != null);
    }

    @Test
    void everySeedIsTheSharedMixin() {
        CommandLine cl = Main.commandLine();
        for (String verb : List.of("compare", "inspect", "damping-grid", "train", "vs-liblinear", "synthetic-sparse",
                "reproduce")) {
            OptionSpec seed = cl.getSubcommands().get(verb).getCommandSpec().findOption("--seed");
            assertEquals("seed of every random choice: data, initialisation, sampling (default 0)",
                    seed.description()[0], verb);
            assertEquals("0", seed.defaultValue(), verb);
        }
    }

    @Test
    void theDataOutputAndThreadOptionsAreTheSharedMixins() {
        CommandLine cl = Main.commandLine();
        for (String verb : List.of("ablate", "inspect", "vs-liblinear", "network-bench", "train", "train-network",
                "reproduce")) {
            OptionSpec dataDir = cl.getSubcommands().get(verb).getCommandSpec().findOption("--data-dir");
            assertTrue(dataDir.description()[0].startsWith("folder of the named datasets"), verb);
        }
        for (String verb : List.of("ablate", "inspect", "vs-liblinear", "train")) {
            OptionSpec out = cl.getSubcommands().get(verb).getCommandSpec().findOption("--out");
            assertEquals(OutDirOption.TEXT, out.description()[0], verb);
        }
        for (String verb : List.of("damping-grid", "network-bench", "train-network", "reproduce")) {
            OptionSpec out = cl.getSubcommands().get(verb).getCommandSpec().findOption("--out");
            assertTrue(out.description()[0].startsWith(OutDirOption.TEXT + " (default: "), verb);
        }
        assertTrue(CommandRun.of("damping-grid", "--help").out().contains("(default: results/damping)"));
        for (String verb : List.of("ablate", "reproduce")) {
            assertTrue(cl.getSubcommands().get(verb).getCommandSpec().findOption("--threads").description()[0]
                    .startsWith("tasks at once"), verb);
        }
        CommandRun r = CommandRun.of("vs-liblinear", "--problems", "a1a");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out"), r.err());
    }

    @Test
    void compareTakesLambdaAndItsFormerSpellingAlike() {
        CommandRun a = CommandRun.of("compare", "--n", "200", "--p", "4", "--steps", "10", "--lambda", "1e-3");
        CommandRun b = CommandRun.of("compare", "--n", "200", "--p", "4", "--steps", "10", "--damping", "1e-3");
        CommandRun c = CommandRun.of("compare", "--n", "200", "--p", "4", "--steps", "10");
        assertEquals(0, a.code(), a.err());
        assertEquals(withoutTimes(a.out()), withoutTimes(b.out()));
        assertFalse(withoutTimes(a.out()).equals(withoutTimes(c.out())), "lambda 1e-3 differs from the default 1e-6:\n"
                + a.out());
        assertFalse(CommandRun.of("compare", "--help").out().contains("--damping"), "the old spelling is hidden");
    }

    @Test
    void compareAndInspectShareTheLambdaMixinWithTheirOwnDefaults() {
        CommandLine cl = Main.commandLine();
        assertTrue(CommandRun.of("compare", "--help").out().contains("(default 1.0E-6)"));
        assertTrue(CommandRun.of("inspect", "--help").out().contains("(default 1.0E-8)"));
        for (String verb : List.of("compare", "inspect")) {
            CommandSpec spec = cl.getSubcommands().get(verb).getCommandSpec();
            assertTrue(spec.findOption("--lambda").description()[0].startsWith("damping value lambda, fixed"), verb);
            assertTrue(spec.findOption("--damping").hidden(), verb);
        }
    }

    @Test
    void inspectRefusesANegativeLambdaByItsName() {
        CommandRun r = CommandRun.of("inspect", "--model", "logistic", "--dataset", "synthetic-logistic", "--lambda", "-1");
        assertTrue(r.code() != 0 && r.err().contains("--lambda must be a finite number >= 0, got -1"), r.err());
    }

    /** The table without its last column (microseconds per step, which vary from run to run). */
    private static List<String> withoutTimes(String out) {
        return out.lines().map(l -> l.replaceAll("\\s+[0-9.]+$", "")).toList();
    }
}
