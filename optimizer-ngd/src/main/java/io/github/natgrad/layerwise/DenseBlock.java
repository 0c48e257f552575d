package io.github.natgrad.layerwise;

import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.Gemm;

/**
 * A dense layer's exact curvature block (1/N) Σ_i Σ_c vec(g_ic ā_iᵀ) vec(g_ic ā_iᵀ)ᵀ in the row-major
 * order of [W | b], built as one Gram product of the per-row Kronecker vectors g ⊗ ā, with a dense damped
 * inverse. Memory and time grow with the square and cube of the layer's size: at most
 * {@value #MAX_DIMENSION} parameters per layer.
 */
final class DenseBlock extends AveragedBlock {
    /** The largest layer (parameters, bias included) this structure accepts. */
    static final int MAX_DIMENSION = 4096;

    DenseBlock(LayerShape shape) {
        super(checked(shape), "block", shape.size() * shape.size());
    }

    private static LayerShape checked(LayerShape shape) {
        if (shape.size() > MAX_DIMENSION) {
            throw new IllegalArgumentException("the block-diagonal structure keeps a dense block per layer; a layer of "
                    + shape.out() + " x " + shape.augmented() + " = " + shape.size() + " parameters exceeds its limit of "
                    + MAX_DIMENSION + ": use the Kronecker (K-FAC) or diagonal structure");
        }
        return shape;
    }

    @Override
    public void accumulate(double[] inputs, double[] gradients, int n, int m, double decay) {
        int p = shape.augmented();
        int out = shape.out();
        int d = shape.size();
        double[] abar = shape.withOnes(inputs, n);
        double[] rows = new double[n * m * d];
        for (int r = 0; r < n * m; r++) {
            int i = r / m;
            for (int o = 0; o < out; o++) {
                double go = gradients[r * out + o];
                int base = r * d + o * p;
                for (int j = 0; j < p; j++) {
                    rows[base + j] = go * abar[i * p + j];
                }
            }
        }
        double[] stat = new double[d * d];
        Gemm.gram(n * m, d, 1.0 / n, rows, 0.0, stat);
        fold(stat, decay);
    }

    @Override
    public void refresh(double lambda, double[] prior, InverseMethod method) {
        double[] s = estimate;
        if (prior != null) {
            int d = shape.size();
            s = estimate.clone();
            for (int i = 0; i < d; i++) {
                s[i * d + i] += prior[i];
            }
        }
        inverse = SymmetricInverse.of(s, shape.size(), lambda, method, "per-layer curvature block");
    }

    /** The dense product: y = M x over [W | b] as one vector. */
    @Override
    void apply(double[] v, int off, double[] out, int outOff, double[] matrix) {
        int d = shape.size();
        double[] x = shape.toMatrix(v, off);
        double[] y = new double[d];
        Blas.gemv(d, d, 1.0, matrix, x, 0.0, y);
        shape.fromMatrix(y, out, outOff);
    }
}
