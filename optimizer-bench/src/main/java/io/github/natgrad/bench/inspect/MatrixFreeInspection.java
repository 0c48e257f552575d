package io.github.natgrad.bench.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;
import io.github.natgrad.spectral.Hutchinson;
import io.github.natgrad.spectral.Lanczos;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code inspect} above {@code --max-dimension}: each curvature kind as a matrix-free operator at θ, its
 * extreme eigenvalues by {@value #LANCZOS_STEPS} Lanczos steps and its trace by Hutchinson's estimator with
 * {@value #PROBES} probes (with its standard error), so nothing D × D is formed.
 */
public final class MatrixFreeInspection {
    /** Lanczos steps (Ritz values) per kind. */
    public static final int LANCZOS_STEPS = 60;
    /** Hutchinson probes per kind. */
    public static final int PROBES = 30;
    private static final List<String> KINDS = List.of("hessian", "gauss-newton", "fisher", "mc-fisher",
            "empirical-fisher");
    /** The kinds' keys in the JSON, as the dense inspection names them. */
    private static final List<String> JSON_NAMES = List.of("hessian", "ggn", "fisher", "mc_fisher", "empirical_fisher");

    private MatrixFreeInspection() {
    }

    /** The estimates of one kind. */
    public record Estimate(String kind, double lambdaMin, double lambdaMax, double trace, double traceError) {
    }

    /** The estimates of every kind at θ (data term only, mean over the batch, no prior). */
    public static List<Estimate> estimate(Model model, double[] theta, Batch batch, int mcSamples, long seed) {
        Linearization lin = model.linearize(theta, batch);
        Likelihood lik = model.likelihood();
        int n = batch.rows();
        double[] r = new double[lin.outputs().length];
        lik.lossAndResidual(lin.outputs(), batch.y(), n, r);
        return KINDS.stream().map(kind -> {
            CurvatureOperator op = Curvatures.byName(kind, mcSamples, seed).copy().operator(lin, batch, lik, r, 0.0);
            double[] ritz = Lanczos.ritzValues(op, LANCZOS_STEPS, seed);
            Hutchinson h = Hutchinson.estimate(op, PROBES, seed);
            return new Estimate(kind, ritz[0], ritz[ritz.length - 1], h.trace(), h.standardError());
        }).toList();
    }

    /** A point near the optimum without any D × D matrix: Gauss-Newton through CG with Levenberg-Marquardt. */
    public static double[] optimum(Model model, double[] start, Batch batch, int steps) {
        Optimizer opt = NaturalGradient.of(Curvatures.gaussNewton()).withDamping(Damping.levenbergMarquardt())
                .withPrior(L2Prior.ofVariance(1e6)).withSolver(Solvers.conjugateGradient()).build(model);
        double[] theta = start.clone();
        for (int s = 0; s < steps; s++) {
            StepReport r = opt.step(theta, batch);
            if (r.gradientNorm() <= 1e-10 || r.diverged()) {
                break;
            }
        }
        return theta;
    }

    /** Prints the estimates as a table (or JSON); returns the exit code 0. */
    public static int print(Model model, double[] theta, Batch batch, String dataset, String at, int mcSamples,
            long seed, boolean json, PrintStream out) {
        List<Estimate> estimates = estimate(model, theta, batch, mcSamples, seed);
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("model", model.describe());
            root.put("dataset", dataset);
            root.put("at", at);
            root.put("method", "matrix-free: Lanczos (" + LANCZOS_STEPS + " steps), Hutchinson (" + PROBES
                    + " probes)");
            Map<String, Object> kinds = new LinkedHashMap<>();
            for (Estimate e : estimates) {
                kinds.put(JSON_NAMES.get(KINDS.indexOf(e.kind())), Map.of("lambda_min", e.lambdaMin(), "lambda_max", e.lambdaMax(), "trace", e.trace(),
                        "trace_standard_error", e.traceError()));
            }
            root.put("matrices", kinds);
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return 0;
        }
        out.printf(Locale.ROOT, "%s on %s at %s: D = %d, matrix-free estimates (Lanczos %d steps for the extreme "
                + "eigenvalues, Hutchinson %d probes for the trace)%n", model.describe(), dataset, at,
                model.parameterCount(), LANCZOS_STEPS, PROBES);
        out.printf(Locale.ROOT, "%-18s %14s %14s %14s %12s%n", "matrix", "lambda_min", "lambda_max", "trace", "+/- se");
        for (Estimate e : estimates) {
            out.printf(Locale.ROOT, "%-18s %14.6g %14.6g %14.6g %12.3g%n", e.kind(), e.lambdaMin(), e.lambdaMax(),
                    e.trace(), e.traceError());
        }
        return 0;
    }
}
