package io.github.natgrad.cli;

import io.github.natgrad.bench.options.DataDirOption;
import io.github.natgrad.bench.options.OutDirOption;
import io.github.natgrad.bench.options.SeedOption;
import io.github.natgrad.bench.scale.LiblinearAnchor;
import io.github.natgrad.bench.scale.ScaleProblems;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.bench.plots.Charts;
import io.github.natgrad.training.TrainLog;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.ArmijoLineSearch;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.solve.Solvers;
import java.awt.Color;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * natgrad against LIBLINEAR's Java port on L2-regularised logistic regression (σ² = C, bias regularised,
 * objective compared on natgrad's scale), side by side in one JVM: time to a relative objective gap,
 * iterations, curvature products and peak heap for natgrad's Newton-CG (Fisher = Hessian here), natgrad's
 * empirical-Fisher NGD through CG, gradient descent with the line search, and LIBLINEAR ({@code -s 0}) —
 * whose time to the gap is that of the loosest {@code -e} (swept 1e-1, 1e-2, …) whose solution reaches it.
 * Writes {@code vs-liblinear.csv} (summary), {@code vs-liblinear-traces.csv}, {@code vs-liblinear.md}
 * (table) and one figure per problem (gap vs seconds, log scale).
 */
@Command(name = "vs-liblinear", mixinStandardHelpOptions = true,
        description = "Benchmark natgrad's Newton-CG against LIBLINEAR (Java port) on sparse logistic regression.")
public final class VsLiblinearCommand implements Callable<Integer> {

    @Option(names = "--problems", split = ",", defaultValue = "a1a,1e4",
            description = "a1a, 1e4 (1e4 x 1e5, 1e6 nnz), 1e5 (1e5 x 1e6, 1e7 nnz) (default ${DEFAULT-VALUE})")
    List<String> problems;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--c", defaultValue = "1", description = "C = sigma^2 (default ${DEFAULT-VALUE})")
    double c;

    @Option(names = "--gap", defaultValue = "1e-6", description = "target relative objective gap")
    double gap;

    @Option(names = "--repeats", defaultValue = "3", description = "interleaved repeats of natgrad and LIBLINEAR")
    int repeats;

    @Option(names = "--max-seconds", defaultValue = "60", description = "budget of the slow methods (EF, GD)")
    double maxSeconds;

    @Option(names = "--exponent", defaultValue = "1.0", description = "Zipf exponent of the synthetic columns")
    double exponent;

    @Mixin
    SeedOption seedOption;

    @Mixin
    OutDirOption output;

    /** One method's run on one problem. */
    record Result(String problem, int n, int d, long nnz, String method, double secondsToGap, int iterations,
            long products, long heapBytes, double finalObjective, List<double[]> trace) {
    }

    @Override
    public Integer call() {
        long seed = seedOption.seed;
        output.required("vs-liblinear.csv, vs-liblinear.md and the gap figures");
        List<Result> results = new ArrayList<>();
        StringBuilder traces = new StringBuilder("problem,method,seconds,objective,gap\n");
        for (String name : problems) {
            ScaleProblems.Named p = ScaleProblems.of(name, dataDir.orShared(), exponent, seed);
            System.out.printf(Locale.ROOT, "%s: N = %d, D = %d, nnz = %d, load %s%n", p.name(), p.batch().rows(),
                    p.batch().columns() + 1, p.batch().nonZeros(), load());
            List<Result> rs = runProblem(p);
            results.addAll(rs);
            for (Result r : rs) {
                for (double[] t : r.trace()) {
                    traces.append(String.format(Locale.ROOT, "%s,%s,%.6f,%.17g,%.6e%n", r.problem(), r.method(), t[0],
                            t[1], t[2]));
                }
            }
            figure(p.name(), rs);
            writeOutputs(results, traces);
        }
        return 0;
    }

    private List<Result> runProblem(ScaleProblems.Named p) {
        Batch batch = p.batch();
        int n = batch.rows();
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(batch.columns()).withBias();
        L2Prior prior = L2Prior.ofVariance(c);
        NaturalGradient base = NaturalGradient.of(Curvatures.fisher()).withPrior(prior).withDamping(Damping.none())
                .withLineSearch(ArmijoLineSearch.liblinear());
        ConjugateGradient cg = ConjugateGradient.defaults().withStoppingRule(ConjugateGradient.StoppingRule.LIBLINEAR)
                .withProgressEpsilon(0.5).withForcingScale(Math.pow(n * c, 0.25))
                .withPreconditioner(ConjugateGradient.Preconditioner.MIXED).withMaxIterations(1000);
        NaturalGradient newton = base.withSolver(cg);
        Optimizer evaluator = newton.build(model);

        // the reference optimum: natgrad's Newton-CG solved tightly, and LIBLINEAR with eps = 1e-12
        NaturalGradient tight = base.withSolver(ConjugateGradient.defaults().withStoppingRule(
                ConjugateGradient.StoppingRule.RESIDUAL).withTolerance(1e-12).withMaxIterations(5000));
        double fNatgrad = minimise(tight, model, batch);
        LiblinearAnchor anchor = new LiblinearAnchor(batch);
        LiblinearAnchor.Run llTight = anchor.train(c, 1e-12);
        double fLiblinear = evaluator.loss(llTight.theta(), batch);
        double fstar = Math.min(fNatgrad, fLiblinear);
        System.out.printf(Locale.ROOT, "  optimum: natgrad %.15g, liblinear %.15g (relative difference %.2e)%n",
                fNatgrad, fLiblinear, Math.abs(fNatgrad - fLiblinear) / fstar);

        // warm-up of both (the JIT compiles natgrad's deeper call tree later than LIBLINEAR's), at least 3 s
        // or 10 rounds of full runs, then interleaved repeats
        long warmStart = System.nanoTime();
        for (int w = 0; w < 10 && System.nanoTime() - warmStart < 3_000_000_000L; w++) {
            trace(newton, model, batch, fstar, gap, maxSeconds, "warm-up");
            anchor.train(c, 1e-4);
        }
        List<Result> newtonRuns = new ArrayList<>();
        List<Result> llRuns = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            newtonRuns.add(withProblem(p, trace(newton, model, batch, fstar, gap, 10 * maxSeconds, "natgrad newton-cg")));
            llRuns.add(withProblem(p, sweep(anchor, evaluator, batch, fstar)));
        }
        List<Result> out = new ArrayList<>();
        out.add(median(newtonRuns));
        out.add(median(llRuns));
        NaturalGradient ef = NaturalGradient.of(Curvatures.empiricalFisher()).withPrior(prior)
                .withDamping(Damping.levenbergMarquardt()).withSolver(Solvers.conjugateGradient());
        out.add(withProblem(p, trace(ef, model, batch, fstar, gap, maxSeconds, "natgrad empirical-fisher-cg")));
        NaturalGradient gd = NaturalGradient.gradientDescent(1.0).withPrior(prior)
                .withLineSearch(ArmijoLineSearch.liblinear());
        out.add(withProblem(p, trace(gd, model, batch, fstar, gap, maxSeconds, "natgrad gradient descent")));
        for (Result r : out) {
            System.out.printf(Locale.ROOT, "  %-28s time to gap %s  iterations %4d  products %6d  peak heap %7.1f MB%n",
                    r.method(), Double.isNaN(r.secondsToGap()) ? "not reached" : String.format(Locale.ROOT, "%8.3f s",
                            r.secondsToGap()), r.iterations(), r.products(), r.heapBytes() / 1e6);
        }
        System.out.printf(Locale.ROOT, "  natgrad / liblinear time: %.2f (medians of %d interleaved runs)%n",
                out.get(0).secondsToGap() / out.get(1).secondsToGap(), repeats);
        return out;
    }

    private static Result withProblem(ScaleProblems.Named p, Result r) {
        return new Result(p.name(), p.batch().rows(), p.batch().columns() + 1, p.batch().nonZeros(), r.method(),
                r.secondsToGap(), r.iterations(), r.products(), r.heapBytes(), r.finalObjective(), r.trace());
    }

    private static Result median(List<Result> runs) {
        List<Result> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.secondsToGap(), b.secondsToGap()));
        return sorted.get(sorted.size() / 2);
    }

    /** The objective's minimum by a tight Newton-CG (up to 100 iterations). */
    private static double minimise(NaturalGradient config, GeneralizedLinearModel model, Batch batch) {
        Optimizer opt = config.build(model);
        double[] theta = new double[model.parameterCount()];
        double g0 = Double.NaN;
        for (int it = 0; it < 100; it++) {
            StepReport r = opt.step(theta, batch);
            g0 = it == 0 ? r.gradientNorm() : g0;
            if (r.gradientNorm() <= 1e-14 * g0 || r.stepSize() == 0) {
                break;
            }
        }
        return opt.loss(theta, batch);
    }

    /** A natgrad run until the gap is reached or the time is up; trace points (seconds, objective, gap). */
    private Result trace(NaturalGradient config, GeneralizedLinearModel model, Batch batch, double fstar,
            double target, double budget, String method) {
        Optimizer opt = config.build(model);
        double[] theta = new double[model.parameterCount()];
        List<double[]> trace = new ArrayList<>();
        long baseline = usedHeapAfterGc();
        TrainLog.resetPeakHeap();
        double seconds = 0;
        double reached = Double.NaN;
        long products = 0;
        int it = 0;
        double f = Double.NaN;
        for (; seconds < budget; it++) {
            long t0 = System.nanoTime();
            StepReport r = opt.step(theta, batch);
            long t1 = System.nanoTime();
            f = r.loss();
            double g = (f - fstar) / fstar;
            trace.add(new double[] {seconds, f, g});
            if (g <= target) {
                reached = seconds; // θ_k, produced by the steps before this one
                break;
            }
            seconds += (t1 - t0) / 1e9;
            products += r.solve().products();
            if (r.stepSize() == 0 || r.diverged()) {
                break;
            }
        }
        long heap = TrainLog.peakHeapBytes() - baseline;
        return new Result("", 0, 0, 0, method, reached, it, products, heap, f, trace);
    }

    /** LIBLINEAR with eps = 1e-1, 1e-2, … until its solution reaches the gap. */
    private Result sweep(LiblinearAnchor anchor, Optimizer evaluator, Batch batch, double fstar) {
        List<double[]> trace = new ArrayList<>();
        long baseline = usedHeapAfterGc();
        TrainLog.resetPeakHeap();
        for (int e = 1; e <= 12; e++) {
            LiblinearAnchor.Run run = anchor.train(c, Math.pow(10, -e));
            double f = evaluator.loss(run.theta(), batch);
            double g = (f - fstar) / fstar;
            trace.add(new double[] {run.seconds(), f, g});
            if (g <= gap) {
                long heap = TrainLog.peakHeapBytes() - baseline;
                return new Result("", 0, 0, 0, "liblinear-java -s 0 (eps 1e-" + e + ")", run.seconds(),
                        run.iterations(), run.cgIterations(), heap, f, trace);
            }
        }
        return new Result("", 0, 0, 0, "liblinear-java -s 0", Double.NaN, 0, 0, 0, Double.NaN, trace);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String load() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private void figure(String problem, List<Result> rs) {
        XYChart chart = Charts.lines("L2 logistic regression, " + problem, "seconds", "relative objective gap", true);
        Color[] colors = {new Color(0, 90, 181), new Color(220, 50, 32), new Color(0, 150, 60), Color.GRAY};
        for (int m = 0; m < rs.size(); m++) {
            List<double[]> t = rs.get(m).trace();
            if (t.isEmpty()) {
                continue;
            }
            double[] x = new double[t.size()];
            double[] y = new double[t.size()];
            for (int i = 0; i < t.size(); i++) {
                x[i] = t.get(i)[0];
                y[i] = Math.max(t.get(i)[2], 1e-16);
            }
            Charts.addLine(chart, rs.get(m).method(), x, y, colors[m % colors.length], 2f, true);
        }
        Charts.save(chart, output.dir.resolve("gap-" + problem.replaceAll("[^A-Za-z0-9]+", "-")));
    }

    private void writeOutputs(List<Result> results, StringBuilder traces) {
        StringBuilder csv = new StringBuilder("problem,n,d,nnz,method,seconds_to_gap,iterations,products,"
                + "peak_heap_bytes,final_objective\n");
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Relative objective gap %.0e, C = sigma^2 = %s, "
                + "load %s, %d interleaved repeats (median).%n%n| problem | method | time to gap (s) | iterations | "
                + "products | peak heap (MB) |%n|---|---|---|---|---|---|%n", gap, c, load(), repeats));
        for (Result r : results) {
            csv.append(String.format(Locale.ROOT, "\"%s\",%d,%d,%d,\"%s\",%s,%d,%d,%d,%.17g%n", r.problem(), r.n(),
                    r.d(), r.nnz(), r.method(), Double.isNaN(r.secondsToGap()) ? "" : String.format(Locale.ROOT, "%.6f",
                            r.secondsToGap()), r.iterations(), r.products(), r.heapBytes(), r.finalObjective()));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.1f |%n", r.problem(), r.method(),
                    Double.isNaN(r.secondsToGap()) ? "not reached" : String.format(Locale.ROOT, "%.3f",
                            r.secondsToGap()), r.iterations(), r.products(), r.heapBytes() / 1e6));
        }
        AtomicFiles.write(output.dir.resolve("vs-liblinear.csv"), csv.toString());
        AtomicFiles.write(output.dir.resolve("vs-liblinear-traces.csv"), traces.toString());
        AtomicFiles.write(output.dir.resolve("vs-liblinear.md"), md.toString());
    }
}
