package io.github.natgrad.bench.problems;

import io.github.natgrad.Batch;
import io.github.natgrad.bench.datasets.NamedDataset;
import io.github.natgrad.bench.datasets.Table;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The problems of Kunstner, Balles and Hennig, "Limitations of the Empirical Fisher Approximation for
 * Natural Gradient Descent" (NeurIPS 2019), as their public code sets them up: the seeded synthetic
 * problems of the vector-field figure (Fig. 1) and the misspecification figure (Fig. 2 and its linear
 * appendix variant), and the real datasets of the optimisation figure (Fig. 3). Every random draw comes
 * from a {@link Well19937c} seeded from the given seed, so the same seed gives the same data.
 */
public final class PaperProblems {
    /** Examples of the vector-field problem. */
    public static final int VECFIELD_N = 1000;
    /** Examples per class of the logistic misspecification problems. */
    public static final int MISSPEC_PER_CLASS = 500;
    /** Examples of the linear misspecification problems. */
    public static final int MISSPEC_LINEAR_N = 1000;
    /** Prior variance of the vector-field and linear misspecification problems. */
    public static final double PRIOR_VARIANCE = 0.1;

    /** The three variants of the misspecification figure. */
    public enum Variant {
        /** The data follow the model. */
        WELL_SPECIFIED("well-specified"),
        /** The noise is not the model's. */
        MISSPECIFIED_NOISE("misspecified-noise"),
        /** The model family is wrong. */
        MISSPECIFIED_MODEL("misspecified-model");

        private final String label;

        Variant(String label) {
            this.label = label;
        }

        /** A short name, e.g. {@code misspecified-noise}. */
        public String label() {
            return label;
        }
    }

    private PaperProblems() {
    }

    /**
     * The 2-D linear regression of Fig. 1: x = [1, lognormal(0, 0.75)] (the bias is the FIRST input and the
     * model appends none), θ = (2, 2), y = xᵀθ + N(0, 1), N = 1000, L2 prior of variance 0.1.
     */
    public static Problem vecfield(long seed) {
        RandomGenerator random = new Well19937c(seed);
        int n = VECFIELD_N;
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double z = Math.exp(0.75 * random.nextGaussian());
            x[2 * i] = 1.0;
            x[2 * i + 1] = z;
            y[i] = 2.0 + 2.0 * z + random.nextGaussian();
        }
        return new Problem("vecfield", Batch.wrap(x, y, n, 2), false, false, PRIOR_VARIANCE);
    }

    /**
     * A logistic problem of Fig. 2: 500 points of class y = 0 then 500 of class y = 1, each mean + A z with
     * z ~ N(0, I₂). Well-specified: means (1, 1) and (−1, −1), A = 2I for both. Misspecified noise: means
     * (1.5, 1.5) and (−1.5, −1.5), A = 3I for y = 0 and I for y = 1. Misspecified model: means (1, 1) and
     * (−1, −1), A = 1.5·[[1, −0.6], [−0.6, 1]] for y = 0 and 1.5·[[1, 0.6], [0.6, 1]] for y = 1.
     * No bias, no prior.
     */
    public static Problem misspecLogistic(Variant variant, long seed) {
        RandomGenerator random = new Well19937c(seed * 31 + 1 + variant.ordinal());
        int n = 2 * MISSPEC_PER_CLASS;
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int label = i < MISSPEC_PER_CLASS ? 0 : 1;
            double sign = label == 0 ? 1 : -1;
            double mean = variant == Variant.MISSPECIFIED_NOISE ? 1.5 * sign : sign;
            double[][] a = switch (variant) {
                case WELL_SPECIFIED -> new double[][] {{2, 0}, {0, 2}};
                case MISSPECIFIED_NOISE -> label == 0 ? new double[][] {{3, 0}, {0, 3}} : new double[][] {{1, 0}, {0, 1}};
                case MISSPECIFIED_MODEL -> label == 0 ? new double[][] {{1.5, -0.9}, {-0.9, 1.5}}
                        : new double[][] {{1.5, 0.9}, {0.9, 1.5}};
            };
            double z0 = random.nextGaussian();
            double z1 = random.nextGaussian();
            x[2 * i] = mean + a[0][0] * z0 + a[0][1] * z1;
            x[2 * i + 1] = mean + a[1][0] * z0 + a[1][1] * z1;
            y[i] = label;
        }
        return new Problem("logistic-" + variant.label(), Batch.wrap(x, y, n, 2), true, false, 0);
    }

    /**
     * A linear problem of the appendix of Fig. 2: x = [z, 1] with z ~ N(0, 1) (the bias is the second input
     * and the model appends none), θ = (1, 1), y = xᵀθ + ε with ε ~ N(0, 1) (well-specified), 2·N(0, 1)
     * (misspecified noise) or N(0, 1) + 0.5 z² (misspecified model); N = 1000, L2 prior of variance 0.1.
     */
    public static Problem misspecLinear(Variant variant, long seed) {
        RandomGenerator random = new Well19937c(seed * 31 + 11 + variant.ordinal());
        int n = MISSPEC_LINEAR_N;
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double z = random.nextGaussian();
            double e = random.nextGaussian();
            double noise = switch (variant) {
                case WELL_SPECIFIED -> e;
                case MISSPECIFIED_NOISE -> 2 * e;
                case MISSPECIFIED_MODEL -> e + 0.5 * z * z;
            };
            x[2 * i] = z;
            x[2 * i + 1] = 1.0;
            y[i] = z + 1.0 + noise;
        }
        return new Problem("linear-" + variant.label(), Batch.wrap(x, y, n, 2), false, false, PRIOR_VARIANCE);
    }

    /** The three logistic misspecification problems, in {@link Variant} order. */
    public static List<Problem> misspecLogistic(long seed) {
        return List.of(Variant.values()).stream().map(v -> misspecLogistic(v, seed)).toList();
    }

    /** The three linear misspecification problems, in {@link Variant} order. */
    public static List<Problem> misspecLinear(long seed) {
        return List.of(Variant.values()).stream().map(v -> misspecLinear(v, seed)).toList();
    }

    /**
     * A real dataset as the optimisation figure uses it: logistic regression for the binary sets, linear
     * regression otherwise, bias appended last, no prior, no normalisation.
     */
    public static Problem named(NamedDataset dataset, Path dataDir) {
        Table t = dataset.load(dataDir);
        return new Problem(dataset.id(), t.batch(), dataset.binary(), true, 0);
    }
}
