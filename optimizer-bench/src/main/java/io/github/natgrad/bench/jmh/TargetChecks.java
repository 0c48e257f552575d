package io.github.natgrad.bench.jmh;

import static io.github.natgrad.bench.jmh.ReportText.*;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The report's section on the performance targets: the build against dsyrk at 20 000 × 500, the true-Fisher step at 569 × 31. */
final class TargetChecks {
    /** The build's flop rate must reach this fraction of OpenBLAS dsyrk's at {@link SuiteProfile#BUILD_TARGET_SHAPE}. */
    static final double BUILD_FRACTION_OF_DSYRK = 0.6;
    /** The shape of the step-time target (breast-cancer with a bias: N × D). */
    static final String STEP_TARGET_SHAPE = "569x31";
    /** The step-time target at {@link #STEP_TARGET_SHAPE}, in µs. */
    static final double STEP_TARGET_MICROS = 25;

    private TargetChecks() {
    }

    /** Appends the section. */
    static void render(StringBuilder md, List<BenchResult> results) {
        md.append("## Targets\n\n");
        String shape = SuiteProfile.BUILD_TARGET_SHAPE;
        List<BenchResult> builds = select(results, r -> r.benchmark().equals("PartsBenchmark.curvatureBuild")
                && r.param("shape", "").equals(shape) && r.param("kind", "").equals("fisher"));
        if (builds.isEmpty()) {
            md.append("- Build at ").append(shape).append(" vs dsyrk: not measured in these results.\n");
        }
        List<BenchResult> blas = select(results, r -> r.benchmark().startsWith("BlasBenchmark."));
        for (BenchResult build : builds) {
            String threads = PartsTables.blasThreads(build.param("threads", "1"), shape, blas);
            Optional<BenchResult> syrk = first(results, r -> r.benchmark().equals("BlasBenchmark.dsyrk")
                    && r.param("shape", "").equals(shape) && r.param("threads", "1").equals(threads));
            md.append("- Curvature build (fisher, ").append(build.param("model", "")).append(") at N × D = ")
                    .append(shape.replace("x", " × ")).append(", threads ").append(build.param("threads", "1"))
                    .append(": ")
                    .append(time(build.medianMicros())).append(", ").append(rate(build.gflops()));
            if (syrk.isPresent()) {
                double fraction = build.gflops() / syrk.get().gflops();
                md.append(" vs dsyrk (").append(threads).append(" thread(s)) ").append(time(syrk.get().medianMicros())).append(", ")
                        .append(rate(syrk.get().gflops())).append(": **").append(percent(fraction))
                        .append(" of the dsyrk rate** (target ≥ ").append(percent(BUILD_FRACTION_OF_DSYRK)).append(": ")
                        .append(fraction >= BUILD_FRACTION_OF_DSYRK ? "met" : "NOT met")
                        .append(")\n");
            } else {
                md.append(" (no dsyrk at this shape and thread count in these results)\n");
            }
        }
        List<BenchResult> small = select(results, r -> r.benchmark().equals("StepBenchmark.step")
                && r.param("shape", "").equals(STEP_TARGET_SHAPE) && r.param("kind", "").equals("fisher"));
        if (small.isEmpty()) {
            md.append("- True-Fisher step at ").append(shape(STEP_TARGET_SHAPE)).append(": not measured in these results.\n");
        }
        for (BenchResult r : small) {
            md.append("- True-Fisher NGD step, ").append(r.param("model", "")).append(" regression at N × D = ").append(shape(STEP_TARGET_SHAPE)).append(": **")
                    .append(time(r.medianMicros())).append("** for ").append(flops(r.flopsPerOp())).append(" flops (")
                    .append(rate(r.gflops())).append("); target ≤ ").append(time(STEP_TARGET_MICROS)).append(": ")
                    .append(r.medianMicros() <= STEP_TARGET_MICROS ? "met"
                            : "NOT met, " + time(r.medianMicros() - STEP_TARGET_MICROS) + " over")
                    .append('\n');
            Predicate<BenchResult> at = x -> x.param("shape", "").equals(STEP_TARGET_SHAPE) && x.param("threads", "1").equals("1")
                    && x.param("model", r.param("model", "")).equals(r.param("model", ""))
                    && x.param("kind", "fisher").equals("fisher");
            Optional<BenchResult> gradient = first(results, at.and(x -> x.benchmark().equals("PartsBenchmark.gradient")));
            Optional<BenchResult> build = first(results, at.and(x -> x.benchmark().equals("PartsBenchmark.curvatureBuild")));
            Optional<BenchResult> factor = first(results, at.and(x -> x.benchmark().equals("PartsBenchmark.factorSolve")));
            Optional<BenchResult> syrk = first(results, at.and(x -> x.benchmark().equals("BlasBenchmark.dsyrk")));
            Optional<BenchResult> gram = first(results, at.and(x -> x.benchmark().equals("BlasBenchmark.natgradGram")));
            if (gradient.isPresent() && build.isPresent() && factor.isPresent() && syrk.isPresent()) {
                double sum = gradient.get().medianMicros() + build.get().medianMicros() + factor.get().medianMicros();
                md.append("  - where it goes (each part timed alone): gradient ").append(time(gradient.get().medianMicros()))
                        .append(", curvature build ").append(time(build.get().medianMicros()));
                gram.ifPresent(g -> md.append(" of which natgrad's Gram product takes ").append(time(g.medianMicros()))
                        .append(" (").append(rate(g.gflops())).append(")"));
                md.append(", factorisation + solve ").append(time(factor.get().medianMicros())).append("; sum ")
                        .append(time(sum)).append(". OpenBLAS dsyrk of the same rows alone takes ")
                        .append(time(syrk.get().medianMicros())).append(" (").append(rate(syrk.get().gflops()))
                        .append("), ").append(percent(syrk.get().medianMicros() / STEP_TARGET_MICROS))
                        .append(" of the ").append(time(STEP_TARGET_MICROS)).append(" budget: OpenBLAS reaches only a "
                                + "fraction of its large-matrix rate on so few columns.\n");
            }
        }
        md.append('\n');
    }

    private static String shape(String nxd) {
        return nxd.replace("x", " × ");
    }
}
