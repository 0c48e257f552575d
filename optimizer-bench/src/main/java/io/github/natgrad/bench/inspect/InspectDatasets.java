package io.github.natgrad.bench.inspect;

import io.github.natgrad.Batch;
import io.github.natgrad.bench.datasets.DatasetException;
import io.github.natgrad.bench.datasets.NamedDataset;
import io.github.natgrad.datasets.SyntheticGlm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The datasets the {@code inspect} command reads: seeded synthetic problems, and the named files of the
 * shared data directory with the reproduction's conventions (raw features, no normalisation; the
 * models append the bias themselves; LIBSVM labels ±1 mapped to (y + 1)/2).
 *
 * <p>Named datasets go through {@link NamedDataset} (the reproduction's readers, with shape and sha256
 * checks); this class adds the synthetic problems and the number of classes.
 */
public final class InspectDatasets {
    /** The synthetic problems. */
    public static final List<String> SYNTHETIC =
            List.of("synthetic-linear", "synthetic-logistic", "synthetic-probit", "synthetic-softmax");

    private InspectDatasets() {
    }

    /**
     * A dataset and what its labels are.
     *
     * @param name    the name it was loaded by
     * @param batch   inputs (without bias column) and labels
     * @param classes 0 for real-valued labels, else the number of classes (labels 0..classes−1)
     */
    public record Dataset(String name, Batch batch, int classes) {
    }

    /** Every name {@link #load} accepts. */
    public static List<String> names() {
        List<String> all = new ArrayList<>(SYNTHETIC);
        Arrays.stream(NamedDataset.values()).map(NamedDataset::id).forEach(all::add);
        return all;
    }

    /**
     * Loads a named dataset from {@code dataDir} or generates a synthetic one from {@code seed}.
     *
     * @throws IllegalArgumentException for an unknown name, a missing data directory or file, or a
     *                                  malformed line (naming the file and line)
     */
    public static Dataset load(String name, Path dataDir, long seed) {
        String key = name.toLowerCase(Locale.ROOT);
        switch (key) {
            case "synthetic-linear":
                return new Dataset(key, SyntheticGlm.linear(500, 5, 10, seed).batch(), 0);
            case "synthetic-logistic":
                return new Dataset(key, SyntheticGlm.logistic(500, 5, 10, seed).batch(), 2);
            case "synthetic-probit":
                return new Dataset(key, probit(500, 5, seed), 2);
            case "synthetic-softmax":
                return new Dataset(key, softmax(600, 4, 3, seed), 3);
            default:
                break;
        }
        NamedDataset dataset = NamedDataset.byId(key);
        Batch batch;
        try {
            batch = dataset.load(dataDir).batch();
        } catch (DatasetException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        int classes = dataset.binary() ? 2 : dataset == NamedDataset.WINE ? 3 : 0;
        return new Dataset(key, batch, classes);
    }

    /** x ~ N(0, I_p), θ* ~ N(0, I_p)·(2/√p), y ~ Bernoulli(Φ(xᵀθ*)). */
    private static Batch probit(int n, int p, long seed) {
        RandomGenerator random = new Well19937c(seed);
        double[] theta = new double[p];
        for (int j = 0; j < p; j++) {
            theta[j] = 2 * random.nextGaussian() / Math.sqrt(p);
        }
        double[] x = new double[n * p];
        double[] y = new double[n];
        var normal = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int j = 0; j < p; j++) {
                x[i * p + j] = random.nextGaussian();
                f += x[i * p + j] * theta[j];
            }
            y[i] = random.nextDouble() < normal.cumulativeProbability(f) ? 1 : 0;
        }
        return Batch.wrap(x, y, n, p);
    }

    /** x ~ N(0, I_p), class logits W*x with W* ~ N(0, 1)·(2/√p), y ~ softmax. */
    private static Batch softmax(int n, int p, int k, long seed) {
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
        return Batch.wrap(x, y, n, p);
    }
}
