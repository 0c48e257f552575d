package io.github.natgrad.bench.jmh;

import static io.github.natgrad.bench.jmh.ReportText.*;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The report's section on one optimizer step: a table of median times and flop rates per model and thread count. */
final class StepTables {
    private StepTables() {
    }

    /** Appends the section (nothing without {@code StepBenchmark} results). */
    static void render(StringBuilder md, List<BenchResult> results) {
        List<BenchResult> steps = select(results, r -> r.benchmark().equals("StepBenchmark.step"));
        if (steps.isEmpty()) {
            return;
        }
        md.append("## One optimizer step\n\n");
        md.append("`StepBenchmark.step`: one `Optimizer.step` from θ₀ (forward pass, loss, gradient, curvature "
                + "build, Cholesky of C + λI, solve), λ = 1e-4. Cells: median time, and in brackets the flop rate; "
                + "† marks a result whose slowest iteration took more than " + NOISY_SPREAD + "× its fastest "
                + "(the cores were shared during the run: treat it with care); ‡ marks a result of a jmh-suite part "
                + "during which the load average exceeded the core count (other processes took CPU time from it, "
                + "possibly throughout: such a figure can be several times too slow).\n\n");
        for (String model : values(steps, "model")) {
            for (String threads : values(steps, "threads")) {
                List<BenchResult> sub = select(steps, r -> r.param("model", "").equals(model)
                        && r.param("threads", "1").equals(threads));
                if (sub.isEmpty()) {
                    continue;
                }
                md.append("**").append(model).append(" regression, ").append(threads).append(" BLAS thread(s)**\n\n");
                List<String> kinds = KINDS.stream().filter(k -> sub.stream().anyMatch(r -> r.param("kind", "").equals(k)))
                        .collect(Collectors.toList());
                md.append("| N | D | flops (fisher) |");
                kinds.forEach(k -> md.append(' ').append(k).append(" |"));
                md.append("\n|---:|---:|---:|");
                kinds.forEach(k -> md.append("---:|"));
                md.append('\n');
                for (String shape : shapes(sub)) {
                    int[] nd = Workload.parseShape(shape);
                    md.append("| ").append(nd[0]).append(" | ").append(nd[1]).append(" | ")
                            .append(flops(Workload.stepFlops("fisher", nd[0], nd[1], 1))).append(" |");
                    for (String k : kinds) {
                        Optional<BenchResult> r = first(sub, x -> x.param("shape", "").equals(shape)
                                && x.param("kind", "").equals(k));
                        md.append(' ').append(r.map(x -> time(x.medianMicros()) + noisy(x) + " (" + rate(x.gflops()) + ")")
                                .orElse("–")).append(" |");
                    }
                    md.append('\n');
                }
                md.append('\n');
            }
        }
    }
}
