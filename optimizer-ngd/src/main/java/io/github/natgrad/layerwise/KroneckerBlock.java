package io.github.natgrad.layerwise;

import io.github.natgrad.OptimizerState;
import io.github.natgrad.linalg.Gemm;

/**
 * K-FAC's block for a dense layer (Martens and Grosse 2015, sections 3 and 6.3): the layer's Fisher block
 * E[(ā āᵀ) ⊗ (g gᵀ)] approximated by A ⊗ G with A = E[ā āᵀ] over the inputs ā = [a; 1] (bias included,
 * (in + 1)²) and G = E[g gᵀ] over the pre-activation gradients (out²). In θ's row-major order of [W | b]
 * the block is G ⊗ A: F̂ vec(V) = vec(G V A).
 *
 * <p>Factored Tikhonov damping with the π correction (section 6.3): (A ⊗ G + λI)⁻¹ is approximated by
 * (A + π√λ I)⁻¹ ⊗ (G + √λ/π I)⁻¹ with π = √((tr A/(in + 1)) / (tr G/out)), which keeps the damping's
 * share of each factor proportional to its scale; the preconditioned gradient is
 * (G + √λ/π I)⁻¹ V (A + π√λ I)⁻¹, two matrix products.
 */
final class KroneckerBlock implements CurvatureBlock {
    private final LayerShape shape;
    private double[] a;
    private double[] g;
    private double weight;
    private double[] aInverse;
    private double[] gInverse;

    KroneckerBlock(LayerShape shape) {
        this.shape = shape;
        int p = shape.augmented();
        a = new double[p * p];
        g = new double[shape.out() * shape.out()];
    }

    @Override
    public void accumulate(double[] inputs, double[] gradients, int n, int m, double decay) {
        int p = shape.augmented();
        int out = shape.out();
        double[] abar = shape.withOnes(inputs, n);
        double[] aStat = new double[p * p];
        Gemm.gram(n, p, 1.0 / n, abar, 0.0, aStat);
        double[] gStat = new double[out * out];
        Gemm.gram(n * m, out, 1.0 / n, gradients, 0.0, gStat);
        double w = LayerShape.average(a, aStat, weight, decay);
        LayerShape.average(g, gStat, weight, decay);
        weight = w;
    }

    /** π = √((tr A / dim A) / (tr G / dim G)), 1 when a trace vanishes (a dead layer). */
    double pi() {
        int p = shape.augmented();
        int out = shape.out();
        double ta = 0;
        for (int i = 0; i < p; i++) {
            ta += a[i * p + i];
        }
        double tg = 0;
        for (int i = 0; i < out; i++) {
            tg += g[i * out + i];
        }
        double pi = Math.sqrt((ta / p) / (tg / out));
        return pi > 0 && Double.isFinite(pi) ? pi : 1.0;
    }

    @Override
    public void refresh(double lambda, double[] prior, InverseMethod method) {
        double total = lambda;
        if (prior != null) {
            double sum = 0;
            for (double p : prior) {
                sum += p;
            }
            total += sum / prior.length;
        }
        double gamma = Math.sqrt(total);
        double pi = pi();
        aInverse = SymmetricInverse.of(a, shape.augmented(), pi * gamma, method, "K-FAC input factor A");
        gInverse = SymmetricInverse.of(g, shape.out(), gamma / pi, method, "K-FAC gradient factor G");
    }

    @Override
    public void precondition(double[] v, int off, double[] out, int outOff) {
        product(v, off, out, outOff, gInverse, aInverse);
    }

    @Override
    public void multiply(double[] v, int off, double[] out, int outOff) {
        product(v, off, out, outOff, g, a);
    }

    /** out = L V R for V the layer's [W | b]. */
    private void product(double[] v, int off, double[] out, int outOff, double[] left, double[] right) {
        int o = shape.out();
        int p = shape.augmented();
        double[] vm = shape.toMatrix(v, off);
        double[] t = new double[o * p];
        Gemm.multiply(false, false, o, p, o, 1.0, left, vm, 0.0, t);
        double[] r = new double[o * p];
        Gemm.multiply(false, false, o, p, p, 1.0, t, right, 0.0, r);
        shape.fromMatrix(r, out, outOff);
    }

    /** The input factor A ((in + 1)², bias last). */
    double[] inputFactor() {
        return a.clone();
    }

    /** The gradient factor G (out²). */
    double[] gradientFactor() {
        return g.clone();
    }

    @Override
    public void write(OptimizerState.Builder out, String prefix) {
        out.putDoubles(prefix + "A", a).putDoubles(prefix + "G", g).putDouble(prefix + "weight", weight);
        if (aInverse != null) {
            out.putDoubles(prefix + "Ainv", aInverse).putDoubles(prefix + "Ginv", gInverse);
        }
    }

    @Override
    public void read(OptimizerState in, String prefix) {
        int p = shape.augmented();
        int o = shape.out();
        double[] na = LayerShape.restore(in, prefix + "A", p * p);
        double[] ng = LayerShape.restore(in, prefix + "G", o * o);
        double nw = in.getDouble(prefix + "weight");
        double[] nai = in.has(prefix + "Ainv") ? LayerShape.restore(in, prefix + "Ainv", p * p) : null;
        double[] ngi = in.has(prefix + "Ginv") ? LayerShape.restore(in, prefix + "Ginv", o * o) : null;
        a = na;
        g = ng;
        weight = nw;
        aInverse = nai;
        gInverse = ngi;
    }
}
