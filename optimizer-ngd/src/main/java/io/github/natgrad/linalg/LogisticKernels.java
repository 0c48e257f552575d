package io.github.natgrad.linalg;

/**
 * The per-example arithmetic of the logistic (Bernoulli) likelihood after its exponential, over long arrays
 * (one example, or one run's example, per element): from e_i = exp(−|f_i|) the probabilities
 * p₁ = σ(f_i) = 1/(1 + e) for f_i ≥ 0 and e/(1 + e) otherwise, p₀ = 1 − p₁ formed the other way round, each
 * clipped to [ε, 1 − ε] when ε &gt; 0 ({@code min(1 − ε, max(ε, p))}), the residual p₁ − y_i and the Fisher
 * weight p₁p₀. On the Vector API where on ({@link VectorLogisticKernels}): the same IEEE operations lane by
 * lane (division, addition, multiplication, min, max, a comparison), so the same bits as these scalar loops
 * at every width. Used by {@code models.BernoulliLikelihood}, whose formulas they are.
 */
public final class LogisticKernels {
    private LogisticKernels() {
    }

    /**
     * residual[i] = p₁(f_i, e_i) − y_i (clipped with {@code clip} &gt; 0) for i &lt; n; {@code e} may be
     * {@code residual} (overwritten in place).
     */
    public static void residual(int n, double[] f, double[] y, double clip, double[] e, double[] residual) {
        if (Simd.enabled()) {
            VectorLogisticKernels.residual(n, f, y, clip, e, residual);
            return;
        }
        for (int i = 0; i < n; i++) {
            residual[i] = residualAt(f[i], y[i], clip, e[i]);
        }
    }

    /**
     * residual[i] = p₁ − y_i and weight[i] = p₁p₀ (both clipped with {@code clip} &gt; 0) for i &lt; n;
     * {@code e} may be {@code weight} (overwritten in place).
     */
    public static void residualAndWeight(int n, double[] f, double[] y, double clip, double[] e,
            double[] residual, double[] weight) {
        if (Simd.enabled()) {
            VectorLogisticKernels.residualAndWeight(n, f, y, clip, e, residual, weight);
            return;
        }
        for (int i = 0; i < n; i++) {
            residualAndWeightAt(i, f, y, clip, e, residual, weight);
        }
    }

    static double residualAt(double f, double y, double clip, double e) {
        double p1 = f >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        return (clip > 0 ? clipped(p1, clip) : p1) - y;
    }

    static void residualAndWeightAt(int i, double[] f, double[] y, double clip, double[] e, double[] residual,
            double[] weight) {
        double ei = e[i];
        boolean positive = f[i] >= 0;
        double p1 = positive ? 1.0 / (1.0 + ei) : ei / (1.0 + ei);
        double p0 = positive ? ei / (1.0 + ei) : 1.0 / (1.0 + ei);
        if (clip > 0) {
            p1 = clipped(p1, clip);
            p0 = clipped(p0, clip);
        }
        residual[i] = p1 - y[i];
        weight[i] = p1 * p0;
    }

    static double clipped(double p, double clip) {
        return Math.min(1 - clip, Math.max(clip, p));
    }
}
