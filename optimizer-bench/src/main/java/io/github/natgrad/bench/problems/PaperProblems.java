package io.github.natgrad.bench.problems;

import io.github.natgrad.Batch;
import io.github.natgrad.datasets.NamedDataset;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The problems of Kunstner, Balles and Hennig, "Limitations of the Empirical Fisher Approximation for
 * Natural Gradient Descent" (NeurIPS 2019), as their public code sets them up: the seeded synthetic
 * problems of the vector-field figure (Fig. 1) and the misspecification figure (Fig. 2 and its linear
 * appendix variant), and the real datasets of the optimisation figure (Fig. 3).
 *
 * <p>The synthetic problems come from one of two random streams ({@link Stream}): by default the authors'
 * own, numpy's legacy {@code RandomState} seeded as their scripts seed it ({@link NumpyRandomState}; seed 0
 * gives the paper's samples, draw for draw in the order of their {@code toydata.py}), or natgrad's own
 * {@link Well19937c}. Either way the same seed gives the same data.
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

    /** Where the random draws of a synthetic problem come from. */
    public enum Stream {
        /** numpy's legacy {@code RandomState} (MT19937), drawn as the authors' Python code draws: the paper's samples. */
        NUMPY("numpy"),
        /** natgrad's own {@link Well19937c} stream (the problems' distributions, another sample). */
        NATGRAD("natgrad");

        private final String label;

        Stream(String label) {
            this.label = label;
        }

        /** The name used on the command line and in outputs: {@code numpy} or {@code natgrad}. */
        public String label() {
            return label;
        }

        /** The stream named {@code name} ({@code numpy} or {@code natgrad}, any case). */
        public static Stream byName(String name) {
            for (Stream s : values()) {
                if (s.label.equalsIgnoreCase(name.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown random stream '" + name + "': use numpy (the authors' "
                    + "stream, the paper's samples) or natgrad");
        }
    }

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
     * The 2-D linear regression of Fig. 1 from the authors' stream ({@link Stream#NUMPY}) with this seed.
     *
     * @see #vecfield(Stream, long)
     */
    public static Problem vecfield(long seed) {
        return vecfield(Stream.NUMPY, seed);
    }

    /**
     * The 2-D linear regression of Fig. 1: x = [1, lognormal(0, 0.75)] (the bias is the FIRST input and the
     * model appends none), θ = (2, 2), y = xᵀθ + N(0, 1), N = 1000, L2 prior of variance 0.1.
     * {@link Stream#NUMPY}: as {@code np.random.seed(seed); toydata.gradient_field_problem(1000)} draws it,
     * all 1000 lognormal inputs, then the 1000 noise values; {@link Stream#NATGRAD}: input and noise per
     * example from natgrad's own stream.
     */
    public static Problem vecfield(Stream stream, long seed) {
        int n = VECFIELD_N;
        double[] x = new double[2 * n];
        double[] y = new double[n];
        if (stream == Stream.NUMPY) {
            NumpyRandomState random = new NumpyRandomState(seed);
            double[] z = random.lognormal(0, 0.75, n);
            double[] e = random.randn(n, 1);
            for (int i = 0; i < n; i++) {
                x[2 * i] = 1.0;
                x[2 * i + 1] = z[i];
                y[i] = (1.0 * 2 + z[i] * 2) + e[i]; // X @ [[2], [2]] + randn
            }
        } else {
            RandomGenerator random = new Well19937c(seed);
            for (int i = 0; i < n; i++) {
                double z = Math.exp(0.75 * random.nextGaussian());
                x[2 * i] = 1.0;
                x[2 * i + 1] = z;
                y[i] = 2.0 + 2.0 * z + random.nextGaussian();
            }
        }
        return new Problem("vecfield", Batch.wrap(x, y, n, 2), false, false, PRIOR_VARIANCE);
    }

    /**
     * A logistic problem of Fig. 2 from the authors' stream ({@link Stream#NUMPY}) with this seed.
     *
     * @see #misspecLogistic(Variant, Stream, long)
     */
    public static Problem misspecLogistic(Variant variant, long seed) {
        return misspecLogistic(variant, Stream.NUMPY, seed);
    }

    /**
     * A logistic problem of Fig. 2: 500 points of class y = 0 then 500 of class y = 1 (stacked, class 0
     * first), each row mean + zᵀA with z ~ N(0, I₂). Well-specified: means (1, 1) and (−1, −1), A = 2I for
     * both. Misspecified noise: means (1.5, 1.5) and (−1.5, −1.5), A = 3I for y = 0 and I for y = 1.
     * Misspecified model: means (1, 1) and (−1, −1), A = 1.5·[[1, −0.6], [−0.6, 1]] for y = 0 and
     * 1.5·[[1, 0.6], [0.6, 1]] for y = 1. No bias, no prior. {@link Stream#NUMPY}: as
     * {@code np.random.seed(seed)} then {@code toydata.wellspecified_logreg}, {@code missnoise_logreg} or
     * {@code misspecified_logreg} (1000) draw it — the authors reseed before each problem, so the three
     * share their normal draws; {@link Stream#NATGRAD}: natgrad's stream, seeded per variant.
     */
    public static Problem misspecLogistic(Variant variant, Stream stream, long seed) {
        int half = MISSPEC_PER_CLASS;
        int n = 2 * half;
        double[] x = new double[2 * n];
        double[] y = new double[n];
        NumpyRandomState numpy = stream == Stream.NUMPY ? new NumpyRandomState(seed) : null;
        RandomGenerator natgrad = stream == Stream.NUMPY ? null : new Well19937c(seed * 31 + 1 + variant.ordinal());
        for (int label = 0; label <= 1; label++) {
            double sign = label == 0 ? 1 : -1;
            double mean = variant == Variant.MISSPECIFIED_NOISE ? 1.5 * sign : sign;
            double[][] a = switch (variant) {
                case WELL_SPECIFIED -> new double[][] {{2, 0}, {0, 2}};
                case MISSPECIFIED_NOISE -> label == 0 ? new double[][] {{3, 0}, {0, 3}} : new double[][] {{1, 0}, {0, 1}};
                case MISSPECIFIED_MODEL -> new double[][] {{1.5, -sign * 0.6 * 1.5}, {-sign * 0.6 * 1.5, 1.5}};
            };
            double[] z = numpy != null ? numpy.randn(half, 2) : null;
            for (int k = 0; k < half; k++) {
                int i = label * half + k;
                double z0 = numpy != null ? z[2 * k] : natgrad.nextGaussian();
                double z1 = numpy != null ? z[2 * k + 1] : natgrad.nextGaussian();
                // z · A as numpy's matmul (OpenBLAS dgemm on x86-64) forms it: z1·a1j fused onto z0·a0j
                x[2 * i] = mean + Math.fma(z1, a[1][0], z0 * a[0][0]);
                x[2 * i + 1] = mean + Math.fma(z1, a[1][1], z0 * a[0][1]);
                y[i] = label;
            }
        }
        return new Problem("logistic-" + variant.label(), Batch.wrap(x, y, n, 2), true, false, 0);
    }

    /**
     * A linear problem of the appendix of Fig. 2 from the authors' stream ({@link Stream#NUMPY}) with this
     * seed.
     *
     * @see #misspecLinear(Variant, Stream, long)
     */
    public static Problem misspecLinear(Variant variant, long seed) {
        return misspecLinear(variant, Stream.NUMPY, seed);
    }

    /**
     * A linear problem of the appendix of Fig. 2: x = [z, 1] with z ~ N(0, 1) (the bias is the second input
     * and the model appends none), θ = (1, 1), y = xᵀθ + ε with ε ~ N(0, 1) (well-specified), 2·N(0, 1)
     * (misspecified noise) or 0.5 z² + N(0, 1) (misspecified model); N = 1000, L2 prior of variance 0.1.
     * {@link Stream#NUMPY}: as {@code np.random.seed(seed)} then {@code toydata.correct_linearRegression2},
     * {@code missspecified_noise_linearRegression2} or {@code missspecified_model_linearRegression2} (1000)
     * draw it: all 1000 inputs, then the 1000 noise values; {@link Stream#NATGRAD}: input and noise per
     * example from natgrad's stream, seeded per variant.
     */
    public static Problem misspecLinear(Variant variant, Stream stream, long seed) {
        int n = MISSPEC_LINEAR_N;
        double[] x = new double[2 * n];
        double[] y = new double[n];
        double[] z = new double[n];
        double[] e = new double[n];
        if (stream == Stream.NUMPY) {
            NumpyRandomState random = new NumpyRandomState(seed);
            z = random.randn(n, 1);
            e = random.randn(n, 1);
        } else {
            RandomGenerator random = new Well19937c(seed * 31 + 11 + variant.ordinal());
            for (int i = 0; i < n; i++) {
                z[i] = random.nextGaussian();
                e[i] = random.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            double f = z[i] * 1 + 1.0 * 1; // X @ [[1], [1]]
            x[2 * i] = z[i];
            x[2 * i + 1] = 1.0;
            y[i] = switch (variant) {
                case WELL_SPECIFIED -> f + e[i];
                case MISSPECIFIED_NOISE -> f + 2 * e[i];
                case MISSPECIFIED_MODEL -> (f + 0.5 * (z[i] * z[i])) + e[i];
            };
        }
        return new Problem("linear-" + variant.label(), Batch.wrap(x, y, n, 2), false, false, PRIOR_VARIANCE);
    }

    /** The three logistic misspecification problems, in {@link Variant} order. */
    public static List<Problem> misspecLogistic(Stream stream, long seed) {
        return List.of(Variant.values()).stream().map(v -> misspecLogistic(v, stream, seed)).toList();
    }

    /** The three linear misspecification problems, in {@link Variant} order. */
    public static List<Problem> misspecLinear(Stream stream, long seed) {
        return List.of(Variant.values()).stream().map(v -> misspecLinear(v, stream, seed)).toList();
    }

    /** The three logistic misspecification problems from the authors' stream, in {@link Variant} order. */
    public static List<Problem> misspecLogistic(long seed) {
        return misspecLogistic(Stream.NUMPY, seed);
    }

    /** The three linear misspecification problems from the authors' stream, in {@link Variant} order. */
    public static List<Problem> misspecLinear(long seed) {
        return misspecLinear(Stream.NUMPY, seed);
    }

    /**
     * A real dataset as the optimisation figure uses it: logistic regression for the binary sets, linear
     * regression otherwise, bias appended last, no prior, no normalisation; read by the library's
     * {@link NamedDataset#load} (sha256 and shape checked).
     */
    public static Problem named(NamedDataset dataset, Path dataDir) {
        return new Problem(dataset.id(), dataset.load(dataDir).batch(), dataset.binary(), true, 0);
    }
}
