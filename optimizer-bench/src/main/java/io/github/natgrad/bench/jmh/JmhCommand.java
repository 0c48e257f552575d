package io.github.natgrad.bench.jmh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code jmh}: JMH's own command line, from the natgrad jar. Every argument goes to
 * {@code org.openjdk.jmh.Main} unchanged, so {@code -f -wi -i -w -r -p name=v1,v2 -rf json -rff FILE -l -lp}
 * and the include regex work as with a JMH uber-jar. When results go to a file ({@code -rff}), the
 * run's description ({@link RunInfo}) is written beside it as {@code FILE.run.json} for {@code bench-report}.
 */
@Command(name = "jmh", description = {"Run the JMH benchmarks with JMH's own options: every argument goes to "
        + "JMH (jmh -h: JMH's help; -l: list; -lp: parameters).",
    "Example: jmh -f 1 -wi 3 -i 5 -p shape=569x31 -rf json -rff results/jmh.json StepBenchmark"})
public final class JmhCommand implements Callable<Integer> {

    @Option(names = "--help", usageHelp = true, description = "Show this help (JMH's own help is -h).")
    boolean help;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        int rff = args.indexOf("-rff");
        if (rff >= 0 && rff + 1 < args.size()) {
            List<String> all = new ArrayList<>();
            all.add("jmh");
            all.addAll(args);
            RunInfo.current(all).write(Path.of(args.get(rff + 1) + "." + RunInfo.FILE));
        }
        org.openjdk.jmh.Main.main(args.toArray(String[]::new));
        return 0;
    }
}
