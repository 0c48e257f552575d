package io.github.natgrad.bench.inspect;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.DenseSpectrum;
import io.github.natgrad.solve.Solvers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five curvature matrices of a model at one point, side by side: the exact Hessian H, the
 * generalised Gauss-Newton matrix G, the true Fisher F, the Monte-Carlo Fisher F̂ and the empirical
 * Fisher EF (each a mean over the batch, no prior), with
 * <ul>
 *   <li>per matrix: trace, λ_max, λ_min, the number of eigenvalues below −D·ε·max|λ| (negative beyond
 *       rounding), and the condition number λ_max/λ_min (absent unless λ_min &gt; 0);</li>
 *   <li>relative Frobenius distances ‖A − B‖_F/‖B‖_F for every ordered pair, keyed {@code a_vs_b};</li>
 *   <li>cosines between the gradient g and each damped direction d_A = (A + λI)⁻¹g (computed from the
 *       eigen-decomposition, so it is defined for an indefinite A too), keyed {@code gradient_vs_a}, and
 *       between each pair of directions, keyed {@code a_vs_b} in the order of {@link #MATRICES}.</li>
 * </ul>
 * Why they differ (Kunstner, Balles and Hennig 2019; Martens 2020, "New insights and perspectives on
 * the natural gradient method"): F is an expectation under the model, H and EF are averages under the
 * data, and H adds the model's second-order term that G drops; they meet near the optimum of a
 * well-specified model.
 */
public final class CurvatureInspection {
    /** The matrices, in report order, by their JSON keys. */
    public static final List<String> MATRICES = List.of("hessian", "ggn", "fisher", "mc_fisher", "empirical_fisher");

    private CurvatureInspection() {
    }

    /**
     * One matrix's summary.
     *
     * @param trace               tr(A)
     * @param lambdaMax           the largest eigenvalue
     * @param lambdaMin           the smallest eigenvalue
     * @param negativeEigenvalues how many eigenvalues are below −D·ε·max|λ|
     * @param conditionNumber     λ_max/λ_min, or null unless λ_min &gt; 0
     * @param eigenvalues         all eigenvalues, ascending
     */
    public record MatrixStats(double trace, double lambdaMax, double lambdaMin, int negativeEigenvalues,
            Double conditionNumber, double[] eigenvalues) {
    }

    /** What {@code inspect} reports; {@link #toJson()} gives the stable JSON layout. */
    public record Report(String model, String dataset, int n, int d, String point, double loss, double gradientNorm,
            double damping, Map<String, MatrixStats> matrices, Map<String, Double> distances,
            Map<String, Double> cosines) {

        /** The report as ordered maps with the stable keys (NaN and infinities become null). */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", model);
            json.put("dataset", dataset);
            json.put("n", n);
            json.put("d", d);
            json.put("point", point);
            json.put("loss", finite(loss));
            json.put("gradient_norm", finite(gradientNorm));
            json.put("damping", damping);
            Map<String, Object> m = new LinkedHashMap<>();
            for (var e : matrices.entrySet()) {
                MatrixStats s = e.getValue();
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("trace", finite(s.trace()));
                one.put("lambda_max", finite(s.lambdaMax()));
                one.put("lambda_min", finite(s.lambdaMin()));
                one.put("negative_eigenvalues", s.negativeEigenvalues());
                one.put("condition_number", s.conditionNumber() == null ? null : finite(s.conditionNumber()));
                m.put(e.getKey(), one);
            }
            json.put("matrices", m);
            Map<String, Object> dist = new LinkedHashMap<>();
            distances.forEach((k, v) -> dist.put(k, finite(v)));
            json.put("distances", dist);
            Map<String, Object> cos = new LinkedHashMap<>();
            cosines.forEach((k, v) -> cos.put(k, finite(v)));
            json.put("cosines", cos);
            return json;
        }

        private static Double finite(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }

    /** The curvature kind behind a matrix key. */
    static Curvature kind(String key, int mcSamples, long seed) {
        switch (key) {
            case "hessian":
                return Curvatures.hessian();
            case "ggn":
                return Curvatures.gaussNewton();
            case "fisher":
                return Curvatures.fisher();
            case "mc_fisher":
                return Curvatures.monteCarloFisher(mcSamples, seed);
            case "empirical_fisher":
                return Curvatures.empiricalFisher();
            default:
                throw new IllegalArgumentException("unknown matrix " + key);
        }
    }

    /** The loss, gradient (both means over the batch) and the requested dense matrices at θ. */
    public record Evaluation(double loss, double[] gradient, Map<String, double[]> matrices) {
    }

    /** Evaluates the matrices named in {@code keys} (a subset of {@link #MATRICES}) at θ. */
    public static Evaluation evaluate(Model model, double[] theta, Batch batch, List<String> keys, int mcSamples,
            long seed) {
        Likelihood lik = model.likelihood();
        lik.checkLabels(batch.y(), batch.rows());
        int n = batch.rows();
        int d = model.parameterCount();
        Linearization lin = model.linearize(theta, batch);
        double[] r = new double[n * lik.outputsPerExample()];
        double loss = lik.lossAndResidual(lin.outputs(), batch.y(), n, r) / n;
        double[] g = new double[d];
        lin.vectorJacobianProduct(r, g);
        for (int j = 0; j < d; j++) {
            g[j] /= n;
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String key : keys) {
            out.put(key, kind(key, mcSamples, seed).build(lin, batch, lik, r, 0.0, Solvers.eigen()).toDense());
        }
        return new Evaluation(loss, g, out);
    }

    /** ‖A − B‖_F / ‖B‖_F (NaN when B = 0). */
    public static double relativeDistance(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double e = a[i] - b[i];
            num += e * e;
            den += b[i] * b[i];
        }
        return den == 0 ? Double.NaN : Math.sqrt(num / den);
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? Double.NaN : ab / Math.sqrt(aa * bb);
    }

    /** Inspects the model at θ. */
    public static Report inspect(Model model, double[] theta, Batch batch, String modelName, String datasetName,
            String point, double damping, int mcSamples, long seed) {
        int d = model.parameterCount();
        Evaluation e = evaluate(model, theta, batch, MATRICES, mcSamples, seed);
        double[] g = e.gradient();
        Map<String, MatrixStats> stats = new LinkedHashMap<>();
        Map<String, double[]> directions = new LinkedHashMap<>();
        for (String key : MATRICES) {
            double[] c = e.matrices().get(key);
            DenseSpectrum spectrum = DenseSpectrum.of(c, d);
            double[] w = spectrum.eigenvalues();
            double trace = 0;
            for (int i = 0; i < d; i++) {
                trace += c[i * d + i];
            }
            double scale = Math.max(Math.abs(w[0]), Math.abs(w[d - 1]));
            double tol = d * Math.ulp(1.0) * scale;
            int negative = 0;
            for (double v : w) {
                if (v < -tol) {
                    negative++;
                }
            }
            Double condition = w[0] > 0 ? w[d - 1] / w[0] : null;
            stats.put(key, new MatrixStats(trace, w[d - 1], w[0], negative, condition, w));
            directions.put(key, direction(spectrum, g, damping));
        }
        Map<String, Double> distances = new LinkedHashMap<>();
        for (String a : MATRICES) {
            for (String b : MATRICES) {
                if (!a.equals(b)) {
                    distances.put(a + "_vs_" + b, relativeDistance(e.matrices().get(a), e.matrices().get(b)));
                }
            }
        }
        Map<String, Double> cosines = new LinkedHashMap<>();
        for (String a : MATRICES) {
            cosines.put("gradient_vs_" + a, cosine(g, directions.get(a)));
        }
        for (int i = 0; i < MATRICES.size(); i++) {
            for (int j = i + 1; j < MATRICES.size(); j++) {
                String a = MATRICES.get(i);
                String b = MATRICES.get(j);
                cosines.put(a + "_vs_" + b, cosine(directions.get(a), directions.get(b)));
            }
        }
        return new Report(modelName, datasetName, batch.rows(), d, point, e.loss(), Math.sqrt(dot(g, g)), damping,
                stats, distances, cosines);
    }

    /** (A + λI)⁻¹ g = V diag(1/(w + λ)) Vᵀ g from the library's spectrum, defined for an indefinite A too. */
    private static double[] direction(DenseSpectrum spectrum, double[] g, double lambda) {
        double[] out = new double[g.length];
        spectrum.apply(w -> 1.0 / (w + lambda), g, out);
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Trains from θ (updated in place) with Gauss-Newton steps and Levenberg-Marquardt damping, η = 1,
     * until ‖g‖ ≤ {@code tolerance} or {@code steps} steps; returns the final gradient norm.
     */
    public static double train(Model model, double[] theta, Batch batch, int steps, double tolerance) {
        Optimizer opt = NaturalGradient.of(Curvatures.gaussNewton())
                .withDamping(Damping.levenbergMarquardt(1e-3, 1e-12, 1e8)).build(model);
        double norm = Double.NaN;
        for (int t = 0; t < steps; t++) {
            var report = opt.step(theta, batch);
            norm = report.gradientNorm();
            if (!report.stepped() || norm <= tolerance) {
                break;
            }
        }
        return norm;
    }
}
