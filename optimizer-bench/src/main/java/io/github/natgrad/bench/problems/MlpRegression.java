package io.github.natgrad.bench.problems;

import io.github.natgrad.Batch;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The damping grid's seeded regression data: x ~ N(0, I₄), y = sin(2x₀) + x₁x₂/2 − x₃/2 + 0.1·ε, drawn
 * from {@link Well19937c}({@code seed}) (inputs of an example, then its noise, example by example). Small
 * and smooth, fitted by a tanh MLP whose Hessian is indefinite at its initialisation.
 */
public final class MlpRegression {
    /** The inputs per example. */
    public static final int INPUTS = 4;

    private MlpRegression() {
    }

    /** {@code examples} examples drawn with {@code seed}. */
    public static Batch batch(int examples, long seed) {
        if (examples < 1) {
            throw new IllegalArgumentException("the MLP regression needs at least one example, got " + examples);
        }
        RandomGenerator random = new Well19937c(seed);
        int p = INPUTS;
        double[] x = new double[examples * p];
        double[] y = new double[examples];
        for (int i = 0; i < examples; i++) {
            for (int j = 0; j < p; j++) {
                x[i * p + j] = random.nextGaussian();
            }
            int o = i * p;
            y[i] = Math.sin(2 * x[o]) + 0.5 * x[o + 1] * x[o + 2] - 0.5 * x[o + 3] + 0.1 * random.nextGaussian();
        }
        return Batch.wrap(x, y, examples, p);
    }
}
