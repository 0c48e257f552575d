package io.github.natgrad.models;

import io.github.natgrad.Checks;
import io.github.natgrad.Likelihood;
import io.github.natgrad.linalg.Kernels;
import io.github.natgrad.linalg.LogisticKernels;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Bernoulli with the logit (canonical) link: p(y = 1 | f) = σ(f), ℓ = log(1 + eᶠ) − y·f,
 * r = σ(f) − y, Λ = ∇²_f ℓ = σ(f)(1 − σ(f)). The loss is computed as max(f, 0) + log1p(e^{−|f|}) − y·f,
 * finite for every finite f.
 *
 * <p>With a clip ε &gt; 0 the probabilities p₁ = clip(σ(f)) and p₀ = clip(σ(−f)) are each clipped to
 * [ε, 1 − ε] and used in the loss (−y log p₁ − (1 − y) log p₀), the residual (p₁ − y) and the
 * curvature (p₁p₀) alike, as in Kunstner et al.'s code (ε = 1e-8); the loss is then at most −log ε.
 * Note the residual is then not the derivative of the clipped loss where the clip is active.
 */
public final class BernoulliLikelihood implements Likelihood, LikelihoodShortcuts {
    private final double clip;

    BernoulliLikelihood(double clip) {
        if (!(clip >= 0 && clip < 0.5)) {
            throw new IllegalArgumentException("probability clip must be in [0, 0.5), got " + clip);
        }
        this.clip = clip;
    }

    /** The clip ε (0 when off). */
    public double clip() {
        return clip;
    }

    /** This likelihood with probabilities clipped to [ε, 1 − ε] (0 turns clipping off). */
    public BernoulliLikelihood withClip(double epsilon) {
        return new BernoulliLikelihood(epsilon);
    }

    @Override
    public String name() {
        return clip > 0 ? "bernoulli(clip=" + clip + ")" : "bernoulli";
    }

    @Override
    public int outputsPerExample() {
        return 1;
    }

    @Override
    public void checkLabels(double[] y, int n) {
        Checks.binaryLabels(y, n, "Bernoulli");
    }

    /** σ(f), computed without overflow. */
    static double sigmoid(double f) {
        double e = Math.exp(-Math.abs(f));
        return f >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    private double clipped(double p) {
        return clip > 0 ? Math.min(1 - clip, Math.max(clip, p)) : p;
    }

    @Override
    public double lossAndResidual(double[] f, double[] y, int n, double[] residual) {
        if (clip == 0) {
            // one pass: e = exp(−|f|), the loss term and the residual, the terms in 8 fixed partial sums
            return Kernels.logisticLoss(n, f, y, residual);
        }
        // clipped: e = exp(−|f|) for every example in one pass (SIMD where on), into the residual's own array
        double[] e = residual != null ? residual : new double[n];
        Kernels.expNegativeAbs(n, f, 1.0, e);
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double fi = f[i];
            double ei = e[i];
            double p1 = clipped(fi >= 0 ? 1.0 / (1.0 + ei) : ei / (1.0 + ei));
            double p0 = clipped(fi >= 0 ? ei / (1.0 + ei) : 1.0 / (1.0 + ei));
            // one logarithm for a 0/1 label (the same value: the other term is exactly 0)
            sum -= y[i] == 1.0 ? Math.log(p1) : y[i] == 0.0 ? Math.log(p0)
                    : y[i] * Math.log(p1) + (1 - y[i]) * Math.log(p0);
            if (residual != null) {
                residual[i] = p1 - y[i];
            }
        }
        return sum;
    }

    /** The residual r = p₁ − y alone, without the logarithms of the loss (same values as {@link #lossAndResidual}). */
    @Override
    public void residual(double[] f, double[] y, int n, double[] out) {
        Kernels.expNegativeAbs(n, f, 1.0, out);
        LogisticKernels.residual(n, f, y, clip, out, out);
    }

    /**
     * The residual p₁ − y (the bits of {@link #residual}) and the Fisher weight p₁p₀ (clipped, as in
     * {@link #fisherFactor}) from one exponential e^{−|f|} per example.
     */
    @Override
    public void residualAndFisherWeight(double[] f, double[] y, int n, double[] residual, double[] weight) {
        Kernels.expNegativeAbs(n, f, 1.0, weight);
        LogisticKernels.residualAndWeight(n, f, y, clip, weight, residual, weight);
    }

    /** −log ε with a clip ε &gt; 0 (every clipped probability is at least ε), else +∞. */
    @Override
    public double maxLoss() {
        return clip > 0 ? -Math.log(clip) : Double.POSITIVE_INFINITY;
    }

    @Override
    public void fisherFactor(double[] f, int n, double[] out) {
        if (clip > 0) {
            Kernels.expNegativeAbs(n, f, 1.0, out);
            for (int i = 0; i < n; i++) {
                double e = out[i];
                double p1 = f[i] >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                double p0 = f[i] >= 0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
                out[i] = Math.sqrt(clipped(p1) * clipped(p0));
            }
            return;
        }
        // sqrt(σ(f)σ(−f)) = sqrt(e)/(1 + e) with e = exp(−|f|) = h², h = exp(−|f|/2): one exp, no sqrt
        Kernels.expNegativeAbs(n, f, 0.5, out);
        Kernels.overOnePlusSquare(n, out);
    }

    @Override
    public void hessianFactor(double[] f, double[] y, int n, double[] out) {
        // ∇²_f ℓ = dσ/df = σ(f)σ(−f), independent of y: the same closed form as the Fisher (canonical link)
        fisherFactor(f, n, out);
    }

    @Override
    public void sample(double[] f, int n, RandomGenerator random, double[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = random.nextDouble() < clipped(sigmoid(f[i])) ? 1.0 : 0.0;
        }
    }
}
