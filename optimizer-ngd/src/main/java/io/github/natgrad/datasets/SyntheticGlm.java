package io.github.natgrad.datasets;

import io.github.natgrad.Batch;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Seeded synthetic data from a well-specified generalised linear model: x ~ N(0, I_p) (with a
 * geometric spread of column scales so the curvature is ill-conditioned), θ* ~ N(0, I_p)·scale, and y
 * drawn from the model at θ* (Bernoulli(σ(xᵀθ*)) or xᵀθ* + N(0, 1)); also probit and softmax problems
 * ({@link #probit}, {@link #softmax}). The same seed gives the same data.
 *
 * @param batch     the examples
 * @param truth     the parameters θ* the labels were drawn from
 */
public record SyntheticGlm(Batch batch, double[] truth) {

    /**
     * A logistic-regression problem with n examples and p inputs; column j is scaled by
     * {@code conditioning^(j/(p−1))} so the Fisher's condition number grows like conditioning².
     */
    public static SyntheticGlm logistic(int n, int p, double conditioning, long seed) {
        return generate(n, p, conditioning, seed, true);
    }

    /** A linear-regression problem (unit noise) with n examples and p inputs, columns scaled as above. */
    public static SyntheticGlm linear(int n, int p, double conditioning, long seed) {
        return generate(n, p, conditioning, seed, false);
    }

    /**
     * A probit problem: x ~ N(0, I_p), θ* ~ N(0, I_p)·(2/√p), y ~ Bernoulli(Φ(xᵀθ*)) (Well19937c stream:
     * θ* first, then per example its inputs and one uniform).
     */
    public static SyntheticGlm probit(int n, int p, long seed) {
        requireShape(n, p);
        RandomGenerator random = new Well19937c(seed);
        double[] theta = new double[p];
        for (int j = 0; j < p; j++) {
            theta[j] = 2 * random.nextGaussian() / Math.sqrt(p);
        }
        double[] x = new double[n * p];
        double[] y = new double[n];
        NormalDistribution normal = new NormalDistribution(null, 0, 1);
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int j = 0; j < p; j++) {
                x[i * p + j] = random.nextGaussian();
                f += x[i * p + j] * theta[j];
            }
            y[i] = random.nextDouble() < normal.cumulativeProbability(f) ? 1 : 0;
        }
        return new SyntheticGlm(Batch.wrap(x, y, n, p), theta);
    }

    /**
     * A softmax (multinomial logistic) problem with k classes: x ~ N(0, I_p), class logits W*x with W* ~
     * N(0, 1)·(2/√p) (k × p, row-major, the {@link #truth()}), y drawn from softmax(W*x) by one uniform per
     * example (Well19937c stream).
     */
    public static SyntheticGlm softmax(int n, int p, int k, long seed) {
        requireShape(n, p);
        if (k < 2) {
            throw new IllegalArgumentException("a softmax problem needs k >= 2 classes, got " + k);
        }
        RandomGenerator random = new Well19937c(seed);
        double[] w = new double[k * p];
        for (int e = 0; e < w.length; e++) {
            w[e] = 2 * random.nextGaussian() / Math.sqrt(p);
        }
        double[] x = new double[n * p];
        double[] y = new double[n];
        double[] logits = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i * p + j] = random.nextGaussian();
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < p; j++) {
                    s += w[c * p + j] * x[i * p + j];
                }
                logits[c] = s;
                max = Math.max(max, s);
            }
            double z = 0;
            for (int c = 0; c < k; c++) {
                logits[c] = Math.exp(logits[c] - max);
                z += logits[c];
            }
            double u = random.nextDouble() * z;
            int label = k - 1;
            for (int c = 0; c < k - 1; c++) {
                u -= logits[c];
                if (u < 0) {
                    label = c;
                    break;
                }
            }
            y[i] = label;
        }
        return new SyntheticGlm(Batch.wrap(x, y, n, p), w);
    }

    private static void requireShape(int n, int p) {
        if (n < 1 || p < 1) {
            throw new IllegalArgumentException("need n >= 1 and p >= 1, got n = " + n + ", p = " + p);
        }
    }

    private static SyntheticGlm generate(int n, int p, double conditioning, long seed, boolean logistic) {
        requireShape(n, p);
        if (!(conditioning >= 1)) {
            throw new IllegalArgumentException("conditioning must be >= 1, got " + conditioning);
        }
        RandomGenerator random = new Well19937c(seed);
        double[] theta = new double[p];
        double[] scale = new double[p];
        for (int j = 0; j < p; j++) {
            scale[j] = p == 1 ? 1.0 : Math.pow(conditioning, -(double) j / (p - 1));
            theta[j] = random.nextGaussian() / (scale[j] * Math.sqrt(p));
        }
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int j = 0; j < p; j++) {
                double v = scale[j] * random.nextGaussian();
                x[i * p + j] = v;
                f += v * theta[j];
            }
            if (logistic) {
                y[i] = random.nextDouble() < 1.0 / (1.0 + Math.exp(-f)) ? 1.0 : 0.0;
            } else {
                y[i] = f + random.nextGaussian();
            }
        }
        return new SyntheticGlm(Batch.wrap(x, y, n, p), theta);
    }
}
