package io.github.natgrad;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/** Seeded random test data shared by the tests: Gaussian inputs with class labels, Gaussian vectors. */
public final class RandomData {
    private RandomData() {
    }

    /**
     * N examples for {@code model}: standard-normal inputs and labels uniform over the K outputs of its likelihood
     * (0 or 1 when K = 1), from one {@link Well19937c} stream seeded with {@code seed}.
     */
    public static Batch labelled(Model model, int n, long seed) {
        RandomGenerator r = new Well19937c(seed);
        int p = model.inputColumns();
        double[] x = new double[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        double[] y = new double[n];
        int k = model.likelihood().outputsPerExample();
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k == 1 ? 2 : k);
        }
        return Batch.wrap(x, y, n, p);
    }

    /** d entries scale · N(0, 1) from a {@link Well19937c} seeded with {@code seed}. */
    public static double[] gaussian(int d, long seed, double scale) {
        RandomGenerator r = new Well19937c(seed);
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return v;
    }
}
