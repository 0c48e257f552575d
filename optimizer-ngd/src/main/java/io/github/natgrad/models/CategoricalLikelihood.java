package io.github.natgrad.models;

import io.github.natgrad.Checks;
import io.github.natgrad.Likelihood;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The categorical likelihood over K classes with the softmax (canonical) link: p = softmax(f),
 * ℓ(y, f) = log Σ_k e^{f_k} − f_y, r = ∂ℓ/∂f = p − e_y, and
 * Λ(f) = ∇²_f ℓ = diag(p) − p pᵀ, independent of y (canonical link, so the Fisher and the loss Hessian
 * in output space coincide). Labels are the class indices 0, …, K−1 stored as doubles.
 *
 * <p>The factor is B = diag(√p) − p √pᵀ: B Bᵀ = diag(p) − 2 p pᵀ + p (Σ_k p_k) pᵀ = diag(p) − p pᵀ.
 * The loss is computed with the log-sum-exp shifted by max_k f_k, finite for every finite f.
 * K logits for K classes over-parameterise the distribution (adding a constant to every logit changes
 * nothing), so Λ is singular along (1, …, 1): curvature kinds built from it need damping.
 */
public final class CategoricalLikelihood implements Likelihood {
    private final int classes;

    CategoricalLikelihood(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a categorical likelihood needs at least 2 classes, got " + classes);
        }
        this.classes = classes;
    }

    /** The number of classes K. */
    public int classes() {
        return classes;
    }

    @Override
    public String name() {
        return "categorical(" + classes + ")";
    }

    @Override
    public int outputsPerExample() {
        return classes;
    }

    @Override
    public void checkLabels(double[] y, int n) {
        for (int i = 0; i < n; i++) {
            double v = y[i];
            if (!(v >= 0 && v < classes && v == Math.rint(v))) {
                throw new IllegalArgumentException("categorical label y[" + i + "] is " + v
                        + "; labels must be class indices 0.." + (classes - 1));
            }
        }
    }

    /** Writes softmax(f_i) into {@code p[0..K)} and returns log Σ_k e^{f_ik} (stable). */
    private double softmax(double[] f, int offset, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, f[offset + k]);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            double e = Math.exp(f[offset + k] - max);
            p[k] = e;
            sum += e;
        }
        for (int k = 0; k < classes; k++) {
            p[k] /= sum;
        }
        return max + Math.log(sum);
    }

    @Override
    public double lossAndResidual(double[] f, double[] y, int n, double[] residual) {
        double[] p = new double[classes];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int o = i * classes;
            double lse = softmax(f, o, p);
            int label = (int) y[i];
            total += lse - f[o + label];
            if (residual != null) {
                for (int k = 0; k < classes; k++) {
                    residual[o + k] = p[k] - (k == label ? 1.0 : 0.0);
                }
            }
        }
        return total;
    }

    @Override
    public void fisherFactor(double[] f, int n, double[] out) {
        double[] p = new double[classes];
        int kk = classes * classes;
        for (int i = 0; i < n; i++) {
            softmax(f, i * classes, p);
            int o = i * kk;
            for (int a = 0; a < classes; a++) {
                double sa = Math.sqrt(p[a]);
                for (int b = 0; b < classes; b++) {
                    // B[a][b] = δ_ab √p_a − p_a √p_b
                    out[o + a * classes + b] = (a == b ? sa : 0.0) - p[a] * Math.sqrt(p[b]);
                }
            }
        }
    }

    @Override
    public void hessianFactor(double[] f, double[] y, int n, double[] out) {
        // ∇²_f ℓ = diag(p) − p pᵀ does not depend on y: the canonical link makes it the Fisher
        fisherFactor(f, n, out);
    }

    @Override
    public void sample(double[] f, int n, RandomGenerator random, double[] out) {
        Checks.notNull(random, "random");
        double[] p = new double[classes];
        for (int i = 0; i < n; i++) {
            softmax(f, i * classes, p);
            double u = random.nextDouble();
            int label = classes - 1;
            double cumulative = 0;
            for (int k = 0; k < classes - 1; k++) {
                cumulative += p[k];
                if (u < cumulative) {
                    label = k;
                    break;
                }
            }
            out[i] = label;
        }
    }
}
