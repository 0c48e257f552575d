package io.github.natgrad.models;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.CsrMatrix;
import io.github.natgrad.Linearization;
import java.nio.DoubleBuffer;

/**
 * Softmax (multinomial logistic) regression over K classes: f_k(θ, x) = w_kᵀx (+ b_k), with the
 * {@link CategoricalLikelihood}. θ is the K × q matrix whose row k is (w_k, b_k), row-major, with
 * q = p + 1 with a bias (the bias last, acting as a column of ones appended to x) or q = p without.
 *
 * <p>The Jacobian of example i is J_i = I_K ⊗ x̃_iᵀ (x̃_i = [x_i, 1]), the same at every θ, so the
 * second-order term of the Hessian is zero and the Hessian, Gauss-Newton matrix and Fisher coincide:
 * (1/N) Σ_i (diag(p_i) − p_i p_iᵀ) ⊗ x̃_i x̃_iᵀ. K logits over-parameterise K classes, so that matrix
 * is singular along θ ↦ θ + 1_K ⊗ v: use a damping or a prior. Reads dense and sparse
 * ({@link Batch#isSparse() CSR}) batches; on a sparse one every product is one pass over the non-zeros per
 * class. Immutable.
 */
public final class SoftmaxRegression extends AbstractModel<CategoricalLikelihood> {
    private final boolean bias;

    private SoftmaxRegression(int inputs, int classes, boolean bias) {
        super(categorical(inputs, classes), inputs, GeneralizedLinearModel.LINEAR_IN_THETA);
        this.bias = bias;
    }

    /** The likelihood over {@code classes}, the input columns checked first. */
    private static CategoricalLikelihood categorical(int inputs, int classes) {
        Checks.atLeastOne(inputs, "input columns");
        return Likelihoods.categorical(classes);
    }

    /** Softmax regression on {@code inputs} columns over {@code classes} ≥ 2 classes, without bias. */
    public static SoftmaxRegression of(int inputs, int classes) {
        return new SoftmaxRegression(inputs, classes, false);
    }

    /** This model with a bias per class (the last entry of each class's row of θ). */
    public SoftmaxRegression withBias() {
        return new SoftmaxRegression(inputs, likelihood.classes(), true);
    }

    /**
     * A per-parameter precision scale for {@link io.github.natgrad.L2Prior#withScale}: {@code weights} on the
     * coefficients, {@code bias} on each class's bias (if any).
     *
     * @throws IllegalArgumentException if a value is negative or not finite
     */
    public double[] priorScale(double weights, double bias) {
        return PriorScales.of(parameterCount(), weights, bias, inputs, rowLength(), this.bias ? classes() : 0, 1);
    }

    /** Whether each class has a bias. */
    public boolean hasBias() {
        return bias;
    }

    /** The number of classes K. */
    public int classes() {
        return likelihood.classes();
    }

    private int rowLength() {
        return inputs + (bias ? 1 : 0);
    }

    @Override
    public int parameterCount() {
        return classes() * rowLength();
    }

    @Override
    Linearization linearizeChecked(double[] theta, Batch batch) {
        double[] f = new double[batch.rows() * classes()];
        forward(batch, theta, f);
        return new At(batch, f);
    }

    /** f[i, c] = w_cᵀ x_i (+ b_c) for θ = rows (w_c, b_c), dense or sparse. */
    private void forward(Batch batch, double[] theta, double[] f) {
        int n = batch.rows();
        int k = classes();
        int q = rowLength();
        if (batch.isSparse()) {
            CsrMatrix x = batch.csr();
            int[] start = x.rowStart();
            int[] col = x.columnIndex();
            double[] val = x.values();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    int w = c * q;
                    double s = bias ? theta[w + inputs] : 0.0;
                    for (int e = start[i]; e < start[i + 1]; e++) {
                        s += val[e] * theta[w + col[e]];
                    }
                    f[i * k + c] = s;
                }
            }
            return;
        }
        double[] x = batch.x();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                int w = c * q;
                double s = bias ? theta[w + inputs] : 0.0;
                for (int j = 0; j < inputs; j++) {
                    s += theta[w + j] * x[i * inputs + j];
                }
                f[i * k + c] = s;
            }
        }
    }

    @Override
    public String describe() {
        return "softmax regression, " + classes() + " classes, " + parameterCount() + " parameters"
                + (bias ? " (a bias per class)" : "");
    }

    /** The model at θ on one batch. */
    private final class At extends LinearModelLinearization {

        At(Batch batch, double[] f) {
            super(batch, f, classes(), SoftmaxRegression.this.parameterCount());
        }

        @Override
        public void vectorJacobianProduct(double[] u, double[] out) {
            int n = batch.rows();
            int k = classes();
            int q = rowLength();
            java.util.Arrays.fill(out, 0, parameterCount(), 0.0);
            if (batch.isSparse()) {
                CsrMatrix x = batch.csr();
                int[] start = x.rowStart();
                int[] col = x.columnIndex();
                double[] val = x.values();
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < k; c++) {
                        double s = u[i * k + c];
                        int w = c * q;
                        for (int e = start[i]; e < start[i + 1]; e++) {
                            out[w + col[e]] += s * val[e];
                        }
                        if (bias) {
                            out[w + inputs] += s;
                        }
                    }
                }
                return;
            }
            double[] x = batch.x();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double s = u[i * k + c];
                    int w = c * q;
                    for (int j = 0; j < inputs; j++) {
                        out[w + j] += s * x[i * inputs + j];
                    }
                    if (bias) {
                        out[w + inputs] += s;
                    }
                }
            }
        }

        @Override
        public void jacobianVectorProduct(double[] v, double[] out) {
            forward(batch, v, out);
        }

        @Override
        public void addJacobianRowSquares(double[] b, int m, double scale, double[] diagonal) {
            LinearJacobians.addRowSquares(batch, inputs, bias, classes(), b, m, scale, diagonal);
        }

        @Override
        public void jacobianRows(int from, int to, double[] b, int m, DoubleBuffer out) {
            int k = classes();
            int q = rowLength();
            int d = parameterCount();
            if (batch.isSparse()) {
                double[] dense = new double[inputs];
                CsrMatrix x = batch.csr();
                int row = 0;
                for (int i = from; i < to; i++) {
                    int bi = (i - from) * k * m;
                    io.github.natgrad.linalg.SparseKernels.scaleRow(1.0, x, i, dense, 0);
                    for (int a = 0; a < m; a++) {
                        int o = row * d;
                        for (int c = 0; c < k; c++) {
                            double s = b[bi + c * m + a];
                            int w = o + c * q;
                            for (int j = 0; j < inputs; j++) {
                                out.put(w + j, s * dense[j]);
                            }
                            if (bias) {
                                out.put(w + inputs, s);
                            }
                        }
                        row++;
                    }
                }
                return;
            }
            double[] x = batch.x();
            int row = 0;
            for (int i = from; i < to; i++) {
                int bi = (i - from) * k * m;
                for (int a = 0; a < m; a++) {
                    int o = row * d;
                    for (int c = 0; c < k; c++) {
                        // row (i, a) restricted to class c's block is b[i, c, a] · x̃_i
                        double s = b[bi + c * m + a];
                        int w = o + c * q;
                        for (int j = 0; j < inputs; j++) {
                            out.put(w + j, s * x[i * inputs + j]);
                        }
                        if (bias) {
                            out.put(w + inputs, s);
                        }
                    }
                    row++;
                }
            }
        }

        @Override
        public void addSecondOrderTerm(double[] r, double scale, double[] c) {
            // f is linear in θ: every ∇²_θ f vanishes.
        }
    }
}
