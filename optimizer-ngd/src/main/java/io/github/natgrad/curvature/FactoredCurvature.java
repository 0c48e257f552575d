package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.Solver;
import io.github.natgrad.linalg.GramBuilder;
import io.github.natgrad.linalg.StepDesign;
import io.github.natgrad.models.LikelihoodShortcuts;
import java.nio.DoubleBuffer;
import java.util.Set;

/**
 * The shared build of every Jacobian-based kind: C = (1/N) Σ_i J_iᵀ B_i B_iᵀ J_i + p·I, where the
 * per-example K × m factors B_i come from the subclass (a square root of the output-space Fisher, of
 * the loss Hessian, the residual, or sampled residuals) and p is the prior precision.
 *
 * <p>The rows B_iᵀ J_i are written by the model ({@link Linearization#jacobianRows}) into one buffer
 * and C comes from one Gram product per block of examples ({@link GramBuilder}: a SIMD kernel or
 * OpenBLAS {@code dsyrk}; a block holds up to 2²² doubles, so the buffer stays bounded for large
 * N·m·D). Buffers live across steps.
 */
public abstract class FactoredCurvature implements Curvature {
    private static final int BLOCK_DOUBLES = 1 << 22;

    private double[] factors = new double[0];
    private final GramBuilder gram = new GramBuilder();
    private double[] c = new double[0];
    private double[] operatorFactors = new double[0];
    private final JacobianCache jacobianCache = new JacobianCache();
    private final String name;

    /** A kind named {@code name} (its {@link #name()}, e.g. {@code "fisher"}). */
    protected FactoredCurvature(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * The columns m of each example's factor B_i (K × m), for a model with K outputs per example. By default
     * m = K: B_i is a square root of a K × K output-space matrix (the Fisher's Λ, the loss Hessian).
     */
    protected int factorColumns(int outputsPerExample) {
        return outputsPerExample;
    }

    /**
     * Writes the factors B_i (N × K × m, row-major) for every example of the batch.
     *
     * @param linearization the model at θ
     * @param batch         the batch
     * @param likelihood    the likelihood
     * @param residual      ∂ℓ/∂f at the batch's labels (N × K)
     * @param out           the N × K × m factors
     */
    protected abstract void factors(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double[] out);

    /**
     * The per-example factors B_i of this kind (N × K × m, m = {@link #columns}), without building C:
     * for callers that assemble C = (1/N) Σ_i J_iᵀ B_i B_iᵀ J_i themselves (e.g. over sparse Jacobians).
     * Draws from the random stream of a sampling kind, as a build does.
     */
    public final void writeFactors(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double[] out) {
        factors(linearization, batch, likelihood, residual, out);
    }

    /**
     * The per-example weights w_i = ‖B_i‖² (N values) of this kind's factors, for callers that weight each
     * example's outer product x_i x_iᵀ by one number (a linear model: C = Σ_i w_i x_i x_iᵀ / N). The default
     * writes the factors into {@code scratch} (N × K × m) and sums their squares; a kind whose weights are
     * cheaper overrides it (the empirical Fisher: w_i = ‖r_i‖²).
     */
    public void writeWeights(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double[] scratch, double[] out) {
        int n = linearization.rows();
        int m = linearization.outputsPerExample() * factorColumns(linearization.outputsPerExample());
        factors(linearization, batch, likelihood, residual, scratch);
        squaredNorms(scratch, n, m, out);
    }

    /** out[i] = ‖b_i‖² for the n rows of length m of {@code b} (summed in order from 0). */
    static void squaredNorms(double[] b, int n, int m, double[] out) {
        if (m == 1) {
            for (int i = 0; i < n; i++) {
                double r = b[i];
                out[i] = 0.0 + r * r; // the loop below's sum from 0, one term
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            double w = 0;
            for (int a = 0; a < m; a++) {
                double e = b[i * m + a];
                w += e * e;
            }
            out[i] = w;
        }
    }

    /**
     * The residual r = ∂ℓ/∂f at the linearization's outputs (into {@code residual}, the values of
     * {@link LikelihoodShortcuts#residual}) and then the weights w_i = ‖B_i‖² of {@link #writeWeights}: what a caller
     * that weights each example's outer product needs at every step. The default does exactly that; a kind
     * whose weights share work with the residual overrides it (the true Fisher: one exponential per
     * example for both, {@link LikelihoodShortcuts#residualAndFisherWeight}).
     */
    public void writeResidualAndWeights(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double[] scratch, double[] out) {
        LikelihoodShortcuts.residual(likelihood, linearization.outputs(), batch.y(), linearization.rows(), residual);
        writeWeights(linearization, batch, likelihood, residual, scratch, out);
    }

    /**
     * Whether this kind's weight w_i of an example depends on its output f_i and label y_i alone (with one
     * output per example), so that {@link #writeResidualAndWeights(Likelihood, double[], double[], int,
     * double[], double[])} can compute residuals and weights elementwise, over any layout of examples and
     * runs. False by default (a sampling kind, or a kind that needs the model).
     */
    public boolean elementwiseWeights(Likelihood likelihood) {
        return false;
    }

    /**
     * For a kind with {@link #elementwiseWeights}: the residuals r_e = ∂ℓ(y_e, f_e)/∂f and the weights
     * w_e of {@code count} (output, label) pairs at any positions e (e.g. many runs' outputs side by side,
     * each with its example's label), the values of {@link #writeResidualAndWeights(Linearization, Batch,
     * Likelihood, double[], double[], double[])} for the same outputs and labels.
     *
     * @throws UnsupportedOperationException if this kind's weights are not elementwise
     */
    public void writeResidualAndWeights(Likelihood likelihood, double[] f, double[] y, int count,
            double[] residual, double[] out) {
        throw new UnsupportedOperationException(name() + " has no elementwise weights");
    }

    /** The columns m of each example's factor B_i for a model with K outputs per example. */
    public final int columns(int outputsPerExample) {
        return factorColumns(outputsPerExample);
    }

    @Override
    public Set<ModelCapability> requires() {
        return Set.of(ModelCapability.JACOBIAN);
    }

    /** The matrix-free products need J v and Jᵀu only (no Jacobian rows). */
    @Override
    public Set<ModelCapability> requiresMatrixFree() {
        return Set.of(ModelCapability.JACOBIAN_VECTOR_PRODUCT);
    }

    @Override
    public CurvatureSystem build(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double priorPrecision, Solver solver) {
        return build(linearization, batch, likelihood, residual, priorPrecision, null, solver);
    }

    /** C + diag(p), p the per-parameter prior precision (L2Prior with a scale), entry by entry on the diagonal. */
    @Override
    public CurvatureSystem build(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double[] priorDiagonal, Solver solver) {
        requirePriorLength(priorDiagonal, linearization.parameterCount());
        return build(linearization, batch, likelihood, residual, 0.0, priorDiagonal, solver);
    }

    private CurvatureSystem build(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double priorPrecision, double[] priorDiagonal, Solver solver) {
        int n = linearization.rows();
        int k = linearization.outputsPerExample();
        int d = linearization.parameterCount();
        int m = factorColumns(k);
        factors = ensure(factors, n * k * m);
        factors(linearization, batch, likelihood, residual, factors);

        if (c.length != d * d) {
            c = new double[d * d];
        }
        StepDesign design = k == 1 && m == 1 && linearization instanceof StepDesign.Source source
                ? source.stepDesign() : null;
        if (design != null) {
            // the rows b_i x̃_i from the design at its padded stride: the bits of the block build below
            gram.scaledGram(design, factors, 1.0 / n, c);
        } else {
            int perBlock = Math.max(1, Math.min(n, BLOCK_DOUBLES / Math.max(1, m * d)));
            DoubleBuffer rows = gram.begin(perBlock * m, d, 1.0 / n);
            double[] blockFactors = perBlock == n ? factors : new double[perBlock * k * m];
            for (int from = 0; from < n; from += perBlock) {
                int to = Math.min(n, from + perBlock);
                if (blockFactors != factors) {
                    System.arraycopy(factors, from * k * m, blockFactors, 0, (to - from) * k * m);
                }
                linearization.jacobianRows(from, to, blockFactors, m, rows);
                gram.accumulate((to - from) * m);
            }
            gram.finish(c);
        }
        addSecondOrderTerm(linearization, residual, n, c);
        if (priorPrecision != 0) {
            for (int i = 0; i < d; i++) {
                c[i * d + i] += priorPrecision;
            }
        }
        if (priorDiagonal != null) {
            for (int i = 0; i < d; i++) {
                c[i * d + i] += priorDiagonal[i];
            }
        }
        return new DenseCurvatureSystem(name(), c, d, solver);
    }

    /**
     * Keeps the buffers (the Gram build's, the factors', C's): a kind whose only state is its buffers is
     * reset as it is. A subclass with other state (a random stream) resets it and calls this.
     */
    @Override
    public Curvature reset() {
        return this;
    }

    /**
     * The matrix-free form of this kind at the linearization: products from J v and Jᵀu with the same
     * factors B_i as {@link #build} (for the Monte-Carlo Fisher, one fresh draw per call), nothing D × D.
     */
    @Override
    public CurvatureOperator operator(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double priorPrecision) {
        return operator(linearization, batch, likelihood, residual, priorPrecision, null);
    }

    /** The matrix-free C + diag(p) for a per-parameter prior precision p. */
    @Override
    public CurvatureOperator operator(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double[] priorDiagonal) {
        requirePriorLength(priorDiagonal, linearization.parameterCount());
        return operator(linearization, batch, likelihood, residual, 0.0, priorDiagonal.clone());
    }

    private static void requirePriorLength(double[] priorDiagonal, int d) {
        if (priorDiagonal == null || priorDiagonal.length != d) {
            throw new IllegalArgumentException("the prior's per-parameter precision must have one entry per parameter ("
                    + d + "), got " + (priorDiagonal == null ? "none" : priorDiagonal.length + " entries"));
        }
    }

    private CurvatureOperator operator(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double priorPrecision, double[] priorDiagonal) {
        int n = linearization.rows();
        int k = linearization.outputsPerExample();
        int m = factorColumns(k);
        if (operatorFactors.length != n * k * m) {
            operatorFactors = new double[n * k * m];
        }
        factors(linearization, batch, likelihood, residual, operatorFactors);
        boolean secondOrder = addsSecondOrderTerm() && !linearization.linearInParameters();
        return new FactoredOperator(name(), linearization, batch, operatorFactors, m, priorPrecision, priorDiagonal,
                secondOrder ? residual.clone() : null, linearization.linearInParameters() ? jacobianCache : null);
    }

    /** Whether this kind adds the model's second-order term (the exact Hessian). */
    boolean addsSecondOrderTerm() {
        return false;
    }

    /** A hook for the exact Hessian: adds (1/N) Σ_i Σ_k r_ik ∇²f_ik to the full matrix {@code c}. */
    void addSecondOrderTerm(Linearization linearization, double[] residual, int n, double[] c) {
    }

    private static double[] ensure(double[] buffer, int size) {
        return buffer.length >= size ? buffer : new double[size];
    }
}
