package io.github.natgrad.models;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.linalg.Kernels;
import io.github.natgrad.linalg.SparseKernels;
import io.github.natgrad.linalg.StepDesign;
import java.nio.DoubleBuffer;
import java.util.Set;

/**
 * A generalised linear model with one output: f(θ, x) = xᵀw (+ b), θ = (w, b), and any one-output
 * likelihood — linear regression (Gaussian), logistic regression (Bernoulli, logit link).
 *
 * <p>The Jacobian of example i is the row [x_i, 1] (or x_i without bias), the same at every θ; the
 * second-order term of the Hessian is zero. The optional bias is the last parameter and is not
 * materialised as a column of ones. Dense and sparse ({@link Batch#isSparse() CSR}) batches alike: on a sparse
 * batch the forward pass, J v, Jᵀu and the diagonal of the curvature each cost one pass over the non-zeros.
 * Immutable; {@code with...} methods return copies.
 */
public final class GeneralizedLinearModel extends AbstractModel<Likelihood> {
    /** What a model linear in θ computes: its Jacobian rows and products, and a zero second-order term. */
    static final Set<ModelCapability> LINEAR_IN_THETA = Set.of(ModelCapability.JACOBIAN,
            ModelCapability.SECOND_ORDER_TERM, ModelCapability.JACOBIAN_VECTOR_PRODUCT,
            ModelCapability.SECOND_ORDER_PRODUCT);

    private final boolean bias;

    private GeneralizedLinearModel(Likelihood likelihood, int inputs, boolean bias) {
        super(oneOutput(likelihood), Checks.atLeastOne(inputs, "input columns"), LINEAR_IN_THETA);
        this.bias = bias;
    }

    private static Likelihood oneOutput(Likelihood likelihood) {
        Checks.notNull(likelihood, "likelihood");
        if (likelihood.outputsPerExample() != 1) {
            throw new IllegalArgumentException("a generalised linear model has one output, but the likelihood "
                    + likelihood.name() + " reads " + likelihood.outputsPerExample());
        }
        return likelihood;
    }

    /** Linear regression with unit noise variance on {@code inputs} columns, no bias. */
    public static GeneralizedLinearModel linearRegression(int inputs) {
        return new GeneralizedLinearModel(Likelihoods.gaussian(), inputs, false);
    }

    /** Logistic regression on {@code inputs} columns, no bias, no probability clipping. */
    public static GeneralizedLinearModel logisticRegression(int inputs) {
        return new GeneralizedLinearModel(Likelihoods.bernoulli(), inputs, false);
    }

    /** A model with the given one-output likelihood. */
    public static GeneralizedLinearModel of(Likelihood likelihood, int inputs) {
        return new GeneralizedLinearModel(likelihood, inputs, false);
    }

    /** This model with a bias: one more parameter, last, acting as a column of ones appended to x. */
    public GeneralizedLinearModel withBias() {
        return new GeneralizedLinearModel(likelihood, inputs, true);
    }

    /** This model with another one-output likelihood (e.g. a clipped Bernoulli, another noise variance). */
    public GeneralizedLinearModel withLikelihood(Likelihood other) {
        return new GeneralizedLinearModel(other, inputs, bias);
    }

    /**
     * A per-parameter precision scale for {@link io.github.natgrad.L2Prior#withScale}: {@code weights} on the
     * coefficients, {@code bias} on the bias (if any). {@code priorScale(1, 0)} leaves the bias unregularised, as
     * LIBLINEAR does with {@code -B}.
     *
     * @throws IllegalArgumentException if a value is negative or not finite
     */
    public double[] priorScale(double weights, double bias) {
        return PriorScales.of(parameterCount(), weights, bias, inputs, 0, this.bias ? 1 : 0, 1);
    }

    /** Whether the last parameter is a bias. */
    public boolean hasBias() {
        return bias;
    }

    @Override
    public int parameterCount() {
        return inputs + (bias ? 1 : 0);
    }

    @Override
    Linearization linearizeChecked(double[] theta, Batch batch) {
        int n = batch.rows();
        double[] f = new double[n];
        forward(batch, theta, f);
        return new At(batch, f, null);
    }

    /**
     * The design of a dense {@code batch} for {@link #linearize(double[], Batch, StepDesign)}: X with this
     * model's bias column in the layouts of one step ({@link StepDesign}), or null when none is held (a sparse
     * batch, the SIMD kernels off, a design too large). Made once per batch by an optimizer that steps on it;
     * it belongs to that optimizer's thread.
     */
    public StepDesign design(Batch batch) {
        Checks.notNull(batch, "batch");
        Checks.columns(this, batch);
        if (batch.isSparse() || !StepDesign.fits(batch.rows(), inputs, bias)) {
            return null;
        }
        return StepDesign.of(batch.x(), batch.rows(), inputs, bias);
    }

    /**
     * The model prepared for many linearizations on {@code batch}: {@link #linearize(double[], Batch, StepDesign)}
     * through the batch's {@link #design}, made here once (the plain linearization where none is held), with the
     * bits of {@link #linearize(double[], Batch)}.
     */
    @Override
    public OnBatch forBatch(Batch batch) {
        StepDesign design = design(batch);
        return new OnBatch() {
            @Override
            public Linearization linearize(double[] theta) {
                return GeneralizedLinearModel.this.linearize(theta, batch, design, null);
            }

            @Override
            public Linearization linearize(double[] theta, double[] outputs) {
                return GeneralizedLinearModel.this.linearize(theta, batch, design, outputs);
            }
        };
    }

    /**
     * {@link #linearize(double[], Batch)} through the batch's {@link #design} (null: the plain linearization):
     * the forward pass, the vector-Jacobian product and the Jacobian rows of the curvature build read the
     * design's layouts, with the bits of {@link #linearize(double[], Batch)}: the design is a matter of speed.
     *
     * @throws IllegalArgumentException if the design is not this batch's shape
     */
    public Linearization linearize(double[] theta, Batch batch, StepDesign design) {
        return linearize(theta, batch, design, null);
    }

    /**
     * {@link #linearize(double[], Batch, StepDesign)} writing f into {@code outputs} (length N; null: a new
     * array), which the linearization then holds as its {@link Linearization#outputs()} (not copied): an optimizer
     * that linearizes once per step passes the same array every step, so the steady state allocates no N-vector.
     * The caller must not reuse {@code outputs} while the linearization is in use.
     *
     * @throws IllegalArgumentException if the design is not this batch's shape, or {@code outputs} is not of length N
     */
    public Linearization linearize(double[] theta, Batch batch, StepDesign design, double[] outputs) {
        if (outputs != null && outputs.length != batch.rows()) {
            throw new IllegalArgumentException("outputs hold " + outputs.length + " values for a batch of "
                    + batch.rows() + " examples: pass an array of length N (one output per example) or null");
        }
        if (design == null) {
            return linearize(theta, batch);
        }
        Checks.fits(this, theta, batch);
        if (design.rows() != batch.rows() || design.columns() != parameterCount() || batch.isSparse()) {
            throw new IllegalArgumentException("the design holds " + design.rows() + " x " + design.columns()
                    + " but the batch has " + batch.rows() + " rows and the model " + parameterCount()
                    + " parameters: make it with design(batch) for this batch");
        }
        double[] f = outputs != null ? outputs : new double[batch.rows()];
        design.multiply(theta, bias ? theta[inputs] : 0.0, f);
        return new At(batch, f, design);
    }

    /**
     * The model on {@code batch} at a θ whose outputs f = Xw (+ b) the caller has already computed (e.g.
     * for many θ at once, as one matrix product): the same linearization as {@link #linearize} without
     * the forward pass. {@code outputs} (length N) is used as it is, not copied.
     */
    public Linearization linearization(Batch batch, double[] outputs) {
        Checks.notNull(batch, "batch");
        Checks.notNull(outputs, "outputs");
        Checks.columns(this, batch);
        if (outputs.length < batch.rows()) {
            throw new IllegalArgumentException("outputs hold " + outputs.length + " values for a batch of "
                    + batch.rows() + " examples");
        }
        return new At(batch, outputs, null);
    }

    /** f = X w + b for θ = (w, b), dense or sparse. */
    private void forward(Batch batch, double[] theta, double[] f) {
        double shift = bias ? theta[inputs] : 0.0;
        if (batch.isSparse()) {
            SparseKernels.multiply(batch.csr(), theta, 0, shift, f);
        } else {
            Kernels.multiply(batch.rows(), inputs, batch.x(), theta, shift, f);
        }
    }

    @Override
    public String describe() {
        return "generalised linear model, " + likelihood.name() + " likelihood, " + parameterCount()
                + " parameters" + (bias ? " (last is the bias)" : "");
    }

    /** The model at θ on one batch (with its step design, or null). */
    private final class At extends LinearModelLinearization implements StepDesign.Source {
        private final StepDesign design;

        At(Batch batch, double[] f, StepDesign design) {
            super(batch, f, 1, GeneralizedLinearModel.this.parameterCount());
            this.design = design;
        }

        @Override
        public StepDesign stepDesign() {
            return design;
        }

        @Override
        public void vectorJacobianProduct(double[] u, double[] out) {
            if (design != null) {
                design.multiplyTransposed(u, out);
                return;
            }
            int n = batch.rows();
            if (batch.isSparse()) {
                SparseKernels.multiplyTransposed(batch.csr(), u, 1, 0, out, 0);
            } else {
                Kernels.multiplyTransposed(n, inputs, batch.x(), u, out);
            }
            if (bias) {
                out[inputs] = Kernels.sum4(n, u); // the order of a column of ones in Kernels.multiplyTransposed
            }
        }

        @Override
        public void jacobianVectorProduct(double[] v, double[] out) {
            forward(batch, v, out);
        }

        @Override
        public void addJacobianRowSquares(double[] b, int m, double scale, double[] diagonal) {
            LinearJacobians.addRowSquares(batch, inputs, bias, 1, b, m, scale, diagonal);
        }

        @Override
        public void jacobianRows(int from, int to, double[] b, int m, DoubleBuffer out) {
            if (batch.isSparse()) {
                sparseRows(from, to, b, m, out);
                return;
            }
            // a heap buffer (the SIMD Gram build) is written in place; a direct one (OpenBLAS) gets each
            // row in bulk from a heap array: element-wise puts into a direct buffer cost as much as the
            // dsyrk at D ~ 30
            double[] x = batch.x();
            int d = parameterCount();
            boolean heap = out.hasArray();
            double[] target = heap ? out.array() : new double[d];
            int row = 0;
            for (int i = from; i < to; i++) {
                int xi = i * inputs;
                for (int a = 0; a < m; a++, row++) {
                    int at = heap ? out.arrayOffset() + row * d : 0;
                    double s = b[(i - from) * m + a];
                    Kernels.scaleRow(s, x, xi, inputs, target, at);
                    if (bias) {
                        target[at + inputs] = s;
                    }
                    if (!heap) {
                        out.put(row * d, target, 0, d);
                    }
                }
            }
        }

        private void sparseRows(int from, int to, double[] b, int m, DoubleBuffer out) {
            int d = parameterCount();
            boolean heap = out.hasArray();
            double[] target = heap ? out.array() : new double[d];
            int row = 0;
            for (int i = from; i < to; i++) {
                for (int a = 0; a < m; a++, row++) {
                    int at = heap ? out.arrayOffset() + row * d : 0;
                    double s = b[(i - from) * m + a];
                    SparseKernels.scaleRow(s, batch.csr(), i, target, at);
                    if (bias) {
                        target[at + inputs] = s;
                    }
                    if (!heap) {
                        out.put(row * d, target, 0, d);
                    }
                }
            }
        }

        @Override
        public void addSecondOrderTerm(double[] r, double scale, double[] c) {
            // f is linear in θ: every ∇²_θ f vanishes.
        }
    }
}
