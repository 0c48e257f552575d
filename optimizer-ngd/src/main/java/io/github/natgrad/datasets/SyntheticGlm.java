package io.github.natgrad.datasets;

import io.github.natgrad.Batch;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Seeded synthetic data from a well-specified generalised linear model: x ~ N(0, I_p) (with a
 * geometric spread of column scales so the curvature is ill-conditioned), θ* ~ N(0, I_p)·scale, and y
 * drawn from the model at θ* (Bernoulli(σ(xᵀθ*)) or xᵀθ* + N(0, 1)). The same seed gives the same data.
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

    private static SyntheticGlm generate(int n, int p, double conditioning, long seed, boolean logistic) {
        if (n < 1 || p < 1) {
            throw new IllegalArgumentException("need n >= 1 and p >= 1, got n = " + n + ", p = " + p);
        }
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
