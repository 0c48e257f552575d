package io.github.natgrad.bench.jmh;

import static io.github.natgrad.bench.jmh.ReportText.*;

import io.github.natgrad.linalg.Blas;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The report's section on the parts of a step beside the machine's own BLAS rates. */
final class PartsTables {
    private PartsTables() {
    }

    /** Appends the section (nothing without {@code PartsBenchmark} or {@code BlasBenchmark} results). */
    static void render(StringBuilder md, List<BenchResult> results) {
        List<BenchResult> parts = select(results, r -> r.benchmark().startsWith("PartsBenchmark."));
        List<BenchResult> blas = select(results, r -> r.benchmark().startsWith("BlasBenchmark."));
        if (parts.isEmpty() && blas.isEmpty()) {
            return;
        }
        md.append("## The parts of a step and the machine's limit\n\n");
        md.append("`PartsBenchmark` times the gradient (forward, loss, Jᵀr), the curvature build (`Curvature.build`) "
                + "and the Cholesky factorisation + solve, each alone. `BlasBenchmark` times, on the same N × D "
                + "matrix and in the same run, OpenBLAS `dsyrk` (upper triangle of XᵀX, the call the build makes), "
                + "OpenBLAS `dgemm` and ND4J `Nd4j.gemm` of the full XᵀX, and LAPACK `dpotrf` of a D × D matrix. "
                + "*build/dsyrk* is the build's flop rate as a fraction of `dsyrk`'s at the same thread count "
                + "(for `auto`, at the threads the build used). † and ‡ as above.\n\n");
        Set<String> models = new LinkedHashSet<>(values(parts, "model"));
        if (models.isEmpty()) {
            models.add("logistic");
        }
        for (String model : models) {
            md.append("**").append(model).append(" regression, curvature kind ")
                    .append(String.join(", ", values(parts, "kind"))).append("**\n\n");
            md.append("| N | D | threads | gradient | build | factor + solve | dsyrk | build/dsyrk | dgemm | "
                    + "ND4J gemm | dpotrf |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            Set<String> shapes = new LinkedHashSet<>(shapes(parts));
            shapes.addAll(shapes(blas));
            for (String shape : sortShapes(shapes)) {
                Set<String> threadValues = new LinkedHashSet<>();
                parts.stream().filter(r -> r.param("shape", "").equals(shape)).forEach(r -> threadValues.add(r.param("threads", "1")));
                blas.stream().filter(r -> r.param("shape", "").equals(shape)).forEach(r -> threadValues.add(r.param("threads", "1")));
                for (String threads : new java.util.TreeSet<>(threadValues)) {
                    Predicate<BenchResult> at = r -> r.param("shape", "").equals(shape)
                            && r.param("threads", "1").equals(blasThreads(threads, shape, blas))
                            && r.param("model", model).equals(model);
                    Predicate<BenchResult> atParts = r -> r.param("shape", "").equals(shape)
                            && r.param("threads", "1").equals(threads) && r.param("model", model).equals(model);
                    int[] nd = Workload.parseShape(shape);
                    Optional<BenchResult> build = first(parts, atParts.and(r -> r.benchmark().endsWith(".curvatureBuild")));
                    Optional<BenchResult> syrk = first(blas, at.and(r -> r.benchmark().endsWith(".dsyrk")));
                    md.append("| ").append(nd[0]).append(" | ").append(nd[1]).append(" | ").append(threads).append(" | ")
                            .append(cell(parts, atParts, ".gradient")).append(" | ")
                            .append(cell(parts, atParts, ".curvatureBuild")).append(" | ")
                            .append(cell(parts, atParts, ".factorSolve")).append(" | ")
                            .append(cell(blas, at, ".dsyrk")).append(" | ")
                            .append(build.isPresent() && syrk.isPresent()
                                    ? percent(build.get().gflops() / syrk.get().gflops()) : "–").append(" | ")
                            .append(cell(blas, at, ".dgemm")).append(" | ")
                            .append(cell(blas, at, ".nd4jGemm")).append(" | ")
                            .append(cell(blas, at, ".dpotrf")).append(" |\n");
                }
            }
            md.append('\n');
        }
    }

    /**
     * The dsyrk thread count to compare a build run with {@code threads} against: the same number, or for
     * {@code auto} what {@code Blas.gramUpper} uses at that shape (every core, i.e. the most threads
     * measured, for a large product; one thread otherwise).
     */
    static String blasThreads(String threads, String shape, List<BenchResult> blas) {
        if (!threads.equals("auto")) {
            return threads;
        }
        int[] nd = Workload.parseShape(shape);
        boolean parallel = nd[1] >= Blas.PARALLEL_GRAM_MIN_DIMENSION && (double) nd[0] * nd[1] * nd[1] >= Blas.PARALLEL_GRAM_FLOPS;
        if (!parallel) {
            return "1";
        }
        return blas.stream().filter(r -> r.param("shape", "").equals(shape)).map(r -> r.param("threads", "1"))
                .max(Comparator.comparingInt(Integer::parseInt)).orElse("1");
    }
}
