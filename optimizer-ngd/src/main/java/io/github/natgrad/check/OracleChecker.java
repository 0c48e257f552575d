package io.github.natgrad.check;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.check.OracleReport.Check;
import io.github.natgrad.check.OracleReport.Status;
import io.github.natgrad.linalg.Vectors;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Checks a user's {@link Model} oracle once, before training, as DL4J users run their gradient checks. At
 * a given θ and batch it runs, in order:
 * <ol>
 *   <li><b>shapes</b>: the linearization's N, K, D and the length of its outputs (N·K);</li>
 *   <li><b>gradient</b>: the directional derivative of the summed loss Σℓ along random unit directions by
 *       central differences, against vᵀJᵀr from {@link Linearization#vectorJacobianProduct} (whose output is
 *       pre-filled with non-zero junk, so a product that adds instead of overwriting fails);</li>
 *   <li><b>overwrite</b>: Jᵀu twice with different pre-filled outputs must agree;</li>
 *   <li><b>J v</b> (if declared) against central differences of the outputs, and the <b>adjoint identity</b>
 *       ⟨Jv, u⟩ = ⟨v, Jᵀu⟩;</li>
 *   <li><b>rows</b> (if {@link ModelCapability#JACOBIAN}): the rows of {@link Linearization#jacobianRows} with
 *       B = I for the first examples, times v and transposed times u, against J v and Jᵀu (a transposed or
 *       partly unwritten row buffer fails);</li>
 *   <li><b>second-order product</b> (if declared) against central differences of Jᵀr in θ with r held fixed;</li>
 *   <li><b>forBatch</b>: the model prepared for the batch ({@link Model#forBatch}) gives the outputs and Jᵀu of
 *       {@link Model#linearize} (the contract asks for the same bits; a wrong layout shows as a large error).</li>
 * </ol>
 * Random directions come from the seed. Differences use the step h (default 1e-5, relative to max(1, |θ|∞));
 * a check passes when its relative error is at most the tolerance (default 1e-5). Immutable configuration.
 *
 * <pre>{@code
 * OracleReport report = OracleChecker.defaults().check(myModel, theta, batch);
 * System.out.println(report);
 * report.throwIfFailed();
 * }</pre>
 */
public final class OracleChecker {
    private static final int ROW_EXAMPLES = 16;

    private final double tolerance;
    private final double step;
    private final int directions;
    private final long seed;

    private OracleChecker(double tolerance, double step, int directions, long seed) {
        this.tolerance = tolerance;
        this.step = step;
        this.directions = directions;
        this.seed = seed;
    }

    /** Tolerance 1e-5, step 1e-5, 3 random directions, seed 1. */
    public static OracleChecker defaults() {
        return new OracleChecker(1e-5, 1e-5, 3, 1);
    }

    /** A copy with the relative tolerance. */
    public OracleChecker withTolerance(double relative) {
        return new OracleChecker(Checks.positive(relative, "tolerance"), step, directions, seed);
    }

    /** A copy with the finite-difference step. */
    public OracleChecker withStep(double h) {
        return new OracleChecker(tolerance, Checks.positive(h, "finite-difference step"), directions, seed);
    }

    /** A copy with the seed of the random directions. */
    public OracleChecker withSeed(long s) {
        return new OracleChecker(tolerance, step, directions, s);
    }

    /** Runs every check on {@code model} at θ on {@code batch} (a few dozen examples are plenty). */
    public OracleReport check(Model model, double[] theta, Batch batch) {
        Checks.notNull(model, "model");
        Checks.fits(model, theta, batch);
        List<Check> out = new ArrayList<>();
        Random random = new Random(seed);
        int n = batch.rows();
        int k = model.likelihood().outputsPerExample();
        int d = model.parameterCount();
        Linearization lin = model.linearize(theta, batch);
        String shapes = shapeProblem(lin, n, k, d);
        out.add(new Check("shapes: N, K, D and outputs of length N*K", shapes == null ? Status.PASSED : Status.FAILED,
                Double.NaN, shapes == null ? "" : shapes));
        if (shapes != null) {
            return new OracleReport(model.describe(), out);
        }
        double h = step * Math.max(1.0, Arrays.stream(theta).map(Math::abs).max().orElse(1.0));
        double[] y = batch.y();
        double[] r = new double[n * k];
        model.likelihood().lossAndResidual(lin.outputs(), y, n, r);

        // gradient against the loss
        out.add(run("gradient J'r vs finite differences of the loss", () -> {
            double[] g = junk(d, random);
            lin.vectorJacobianProduct(r, g);
            double worst = 0;
            for (int t = 0; t < directions; t++) {
                double[] v = unit(d, random);
                double fd = (sumLoss(model, shifted(theta, v, h), batch) - sumLoss(model, shifted(theta, v, -h), batch))
                        / (2 * h);
                double an = Vectors.dot(v, g);
                worst = Math.max(worst, Math.abs(fd - an) / Math.max(Vectors.norm(g), 1e-300));
            }
            return worst;
        }));
        out.add(run("J'u overwrites its output", () -> {
            double[] u = gaussian(n * k, random);
            double[] a = junk(d, random);
            double[] b = junk(d, random);
            lin.vectorJacobianProduct(u, a);
            lin.vectorJacobianProduct(u, b);
            return relative(a, b);
        }));

        boolean jvp = model.capabilities().contains(ModelCapability.JACOBIAN_VECTOR_PRODUCT);
        if (jvp) {
            out.add(run("J v vs finite differences of the outputs", () -> {
                double[] v = unit(d, random);
                double[] jv = junk(n * k, random);
                lin.jacobianVectorProduct(v, jv);
                double[] plus = model.linearize(shifted(theta, v, h), batch).outputs();
                double[] minus = model.linearize(shifted(theta, v, -h), batch).outputs();
                double[] fd = new double[n * k];
                for (int i = 0; i < fd.length; i++) {
                    fd[i] = (plus[i] - minus[i]) / (2 * h);
                }
                return relative(fd, jv);
            }));
            out.add(run("adjoint identity <Jv, u> = <v, J'u>", () -> {
                double worst = 0;
                for (int t = 0; t < directions; t++) {
                    double[] v = gaussian(d, random);
                    double[] u = gaussian(n * k, random);
                    double[] jv = junk(n * k, random);
                    double[] ju = junk(d, random);
                    lin.jacobianVectorProduct(v, jv);
                    lin.vectorJacobianProduct(u, ju);
                    worst = Math.max(worst, Math.abs(Vectors.dot(jv, u) - Vectors.dot(v, ju)) / Math.max(Vectors.norm(jv) * Vectors.norm(u), 1e-300));
                }
                return worst;
            }));
        } else {
            out.add(skipped("J v and the adjoint identity", "JACOBIAN_VECTOR_PRODUCT not declared"));
        }

        if (model.capabilities().contains(ModelCapability.JACOBIAN)) {
            out.add(run("jacobianRows vs J v and J'u (first examples)", () -> rowsError(lin, n, k, d, jvp, random)));
        } else {
            out.add(skipped("jacobianRows", "JACOBIAN not declared"));
        }

        if (model.capabilities().contains(ModelCapability.SECOND_ORDER_PRODUCT)) {
            out.add(run("second-order product vs finite differences of J'r", () -> {
                double[] v = unit(d, random);
                double[] an = new double[d];
                lin.secondOrderTermProduct(r, 1.0, v, an);
                double[] gp = new double[d];
                double[] gm = new double[d];
                model.linearize(shifted(theta, v, h), batch).vectorJacobianProduct(r, gp);
                model.linearize(shifted(theta, v, -h), batch).vectorJacobianProduct(r, gm);
                double[] fd = new double[d];
                for (int j = 0; j < d; j++) {
                    fd[j] = (gp[j] - gm[j]) / (2 * h);
                }
                double scale = Math.max(Vectors.norm(fd), 1e-8 * Math.max(1.0, Vectors.norm(r)));
                double diff = 0;
                for (int j = 0; j < d; j++) {
                    diff += (fd[j] - an[j]) * (fd[j] - an[j]);
                }
                return Math.sqrt(diff) / scale;
            }));
        } else {
            out.add(skipped("second-order product", "SECOND_ORDER_PRODUCT not declared"));
        }
        out.add(run("forBatch: the prepared model's outputs and J'u vs linearize's", () -> {
            Linearization prepared = model.forBatch(batch).linearize(theta);
            String problem = shapeProblem(prepared, n, k, d);
            if (problem != null) {
                throw new IllegalStateException("the prepared linearization's " + problem);
            }
            double[] u = gaussian(n * k, random);
            double[] a = junk(d, random);
            double[] b = junk(d, random);
            lin.vectorJacobianProduct(u, a);
            prepared.vectorJacobianProduct(u, b);
            return Math.max(relative(lin.outputs(), prepared.outputs()), relative(a, b));
        }));
        return new OracleReport(model.describe(), out);
    }

    private double rowsError(Linearization lin, int n, int k, int d, boolean jvp, Random random) {
        int e = Math.min(n, ROW_EXAMPLES);
        double[] identity = new double[e * k * k];
        for (int i = 0; i < e; i++) {
            for (int o = 0; o < k; o++) {
                identity[(i * k + o) * k + o] = 1;
            }
        }
        double[] rows = junk(e * k * d, random);
        lin.jacobianRows(0, e, identity, k, DoubleBuffer.wrap(rows));
        double worst = 0;
        // rowsᵀ u against J'u with u zero beyond the first e examples
        double[] u = new double[n * k];
        for (int i = 0; i < e * k; i++) {
            u[i] = random.nextGaussian();
        }
        double[] ju = new double[d];
        lin.vectorJacobianProduct(u, ju);
        double[] fromRows = new double[d];
        for (int row = 0; row < e * k; row++) {
            for (int j = 0; j < d; j++) {
                fromRows[j] += u[row] * rows[row * d + j];
            }
        }
        worst = Math.max(worst, relative(ju, fromRows));
        if (jvp) {
            double[] v = gaussian(d, random);
            double[] jv = new double[n * k];
            lin.jacobianVectorProduct(v, jv);
            double[] rv = new double[e * k];
            for (int row = 0; row < e * k; row++) {
                for (int j = 0; j < d; j++) {
                    rv[row] += rows[row * d + j] * v[j];
                }
            }
            worst = Math.max(worst, relative(Arrays.copyOf(jv, e * k), rv));
        }
        return worst;
    }

    private static String shapeProblem(Linearization lin, int n, int k, int d) {
        if (lin.rows() != n) {
            return "rows() = " + lin.rows() + " but the batch has " + n + " examples";
        }
        if (lin.outputsPerExample() != k) {
            return "outputsPerExample() = " + lin.outputsPerExample() + " but the likelihood reads " + k;
        }
        if (lin.parameterCount() != d) {
            return "parameterCount() = " + lin.parameterCount() + " but the model declares " + d;
        }
        double[] f = lin.outputs();
        if (f == null || f.length != n * k) {
            return "outputs() has " + (f == null ? "no array" : f.length + " entries") + ", expected N*K = " + n * k;
        }
        return null;
    }

    /** A check from a computation of its relative error; an exception fails it with its message. */
    private Check run(String name, ErrorComputation computation) {
        try {
            double err = computation.error();
            boolean ok = err <= tolerance;
            return new Check(name, ok ? Status.PASSED : Status.FAILED, err,
                    ok ? "" : "relative error above the tolerance " + tolerance);
        } catch (RuntimeException e) {
            return new Check(name, Status.FAILED, Double.NaN, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Check skipped(String name, String why) {
        return new Check(name, Status.SKIPPED, Double.NaN, why);
    }

    /** A relative error to compute. */
    @FunctionalInterface
    private interface ErrorComputation {
        double error();
    }

    private static double sumLoss(Model model, double[] theta, Batch batch) {
        Linearization lin = model.linearize(theta, batch);
        return model.likelihood().lossAndResidual(lin.outputs(), batch.y(), batch.rows(), null);
    }

    private static double[] shifted(double[] theta, double[] v, double h) {
        double[] t = theta.clone();
        for (int j = 0; j < t.length; j++) {
            t[j] += h * v[j];
        }
        return t;
    }

    private static double[] junk(int size, Random random) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = 1 + random.nextDouble();
        }
        return a;
    }

    private static double[] gaussian(int size, Random random) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = random.nextGaussian();
        }
        return a;
    }

    private static double[] unit(int size, Random random) {
        double[] a = gaussian(size, random);
        double s = Vectors.norm(a);
        for (int i = 0; i < size; i++) {
            a[i] /= s;
        }
        return a;
    }

    private static double relative(double[] expected, double[] actual) {
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
        }
        return Math.sqrt(diff) / Math.max(Vectors.norm(expected), 1e-300);
    }
}
