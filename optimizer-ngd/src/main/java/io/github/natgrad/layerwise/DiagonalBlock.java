package io.github.natgrad.layerwise;

import io.github.natgrad.linalg.Gemm;

/**
 * The diagonal of a dense layer's curvature block, F̂_(o,j) = E[g_o² ā_j²] (summed over the m rows of an
 * example), computed for the whole batch as one product (g∘g)ᵀ (ā∘ā); damped inverse 1/(F̂ + λ).
 */
final class DiagonalBlock extends AveragedBlock {

    DiagonalBlock(LayerShape shape) {
        super(shape, "diagonal", shape.size());
    }

    @Override
    public void accumulate(double[] inputs, double[] gradients, int n, int m, double decay) {
        int p = shape.augmented();
        int out = shape.out();
        double[] a2 = shape.withOnes(inputs, n);
        for (int e = 0; e < a2.length; e++) {
            a2[e] *= a2[e];
        }
        double[] s = new double[n * out];
        for (int r = 0; r < n * m; r++) {
            int i = r / m;
            for (int o = 0; o < out; o++) {
                double v = gradients[r * out + o];
                s[i * out + o] += v * v;
            }
        }
        double[] stat = new double[out * p];
        Gemm.multiply(true, false, out, p, n, 1.0 / n, s, a2, 0.0, stat);
        fold(stat, decay);
    }

    @Override
    public void refresh(double lambda, double[] prior, InverseMethod method) {
        double[] inv = new double[estimate.length];
        for (int e = 0; e < inv.length; e++) {
            inv[e] = prior == null ? 1.0 / (estimate[e] + lambda) : 1.0 / (estimate[e] + prior[e] + lambda);
        }
        inverse = inv;
    }

    /** The elementwise product with the diagonal {@code by}. */
    @Override
    void apply(double[] v, int off, double[] out, int outOff, double[] by) {
        double[] m = shape.toMatrix(v, off);
        for (int e = 0; e < m.length; e++) {
            m[e] *= by[e];
        }
        shape.fromMatrix(m, out, outOff);
    }
}
