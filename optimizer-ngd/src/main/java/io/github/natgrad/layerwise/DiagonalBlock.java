package io.github.natgrad.layerwise;

import io.github.natgrad.OptimizerState;
import io.github.natgrad.linalg.Gemm;

/**
 * The diagonal of a dense layer's curvature block, F̂_(o,j) = E[g_o² ā_j²] (summed over the m rows of an
 * example), computed for the whole batch as one product (g∘g)ᵀ (ā∘ā); damped inverse 1/(F̂ + λ).
 */
final class DiagonalBlock implements CurvatureBlock {
    private final LayerShape shape;
    private double[] diagonal;
    private double weight;
    private double[] inverse;

    DiagonalBlock(LayerShape shape) {
        this.shape = shape;
        diagonal = new double[shape.size()];
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
        weight = LayerShape.average(diagonal, stat, weight, decay);
    }

    @Override
    public void refresh(double lambda, double[] prior, InverseMethod method) {
        double[] inv = new double[diagonal.length];
        for (int e = 0; e < inv.length; e++) {
            inv[e] = prior == null ? 1.0 / (diagonal[e] + lambda) : 1.0 / (diagonal[e] + prior[e] + lambda);
        }
        inverse = inv;
    }

    @Override
    public void precondition(double[] v, int off, double[] out, int outOff) {
        scale(v, off, out, outOff, inverse);
    }

    @Override
    public void multiply(double[] v, int off, double[] out, int outOff) {
        scale(v, off, out, outOff, diagonal);
    }

    private void scale(double[] v, int off, double[] out, int outOff, double[] by) {
        double[] m = shape.toMatrix(v, off);
        for (int e = 0; e < m.length; e++) {
            m[e] *= by[e];
        }
        shape.fromMatrix(m, out, outOff);
    }

    @Override
    public void write(OptimizerState.Builder out, String prefix) {
        out.putDoubles(prefix + "diagonal", diagonal).putDouble(prefix + "weight", weight);
        if (inverse != null) {
            out.putDoubles(prefix + "inverse", inverse);
        }
    }

    @Override
    public void read(OptimizerState in, String prefix) {
        double[] d = LayerShape.restore(in, prefix + "diagonal", shape.size());
        double w = in.getDouble(prefix + "weight");
        double[] inv = in.has(prefix + "inverse") ? LayerShape.restore(in, prefix + "inverse", shape.size()) : null;
        diagonal = d;
        weight = w;
        inverse = inv;
    }
}
