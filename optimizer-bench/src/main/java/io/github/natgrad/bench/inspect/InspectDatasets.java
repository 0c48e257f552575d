package io.github.natgrad.bench.inspect;

import io.github.natgrad.Batch;
import io.github.natgrad.datasets.SyntheticGlm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The datasets the {@code inspect} command reads: seeded synthetic problems, and the named files of the
 * shared data directory with the reproduction's conventions (raw features, no normalisation; the
 * models append the bias themselves; LIBSVM labels ±1 mapped to (y + 1)/2).
 *
 * <p>This is the single place where {@code inspect} obtains data ({@link #load}); the minimal readers of
 * the named files below are meant to be replaced by the project's shared dataset readers.
 */
public final class InspectDatasets {
    /** The synthetic problems. */
    public static final List<String> SYNTHETIC =
            List.of("synthetic-linear", "synthetic-logistic", "synthetic-probit", "synthetic-softmax");

    /** Named files: name → (file, format, task). */
    private static final Map<String, String[]> NAMED = Map.of(
            "breast-cancer", new String[] {"breast_cancer.csv", "csv", "binary"},
            "wine", new String[] {"wine_data.csv", "csv", "multiclass"},
            "a1a", new String[] {"a1a.libsvm", "libsvm:123", "binary"},
            "australian", new String[] {"australian.libsvm", "libsvm:14", "binary"},
            "diabetes", new String[] {"diabetes.libsvm", "libsvm:8", "binary"},
            "energy", new String[] {"energy_efficiency.txt", "uci", "regression"},
            "power-plant", new String[] {"power_plant.txt", "uci", "regression"},
            "yacht", new String[] {"yacht_hydrodynamics.txt", "uci", "regression"});

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
        NAMED.keySet().stream().sorted().forEach(all::add);
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
        String[] spec = NAMED.get(key);
        if (spec == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; choose one of " + names());
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("dataset '" + name + "' is read from the file " + spec[0]
                    + " in the data directory: pass --data-dir DIR or set NATGRAD_DATA");
        }
        Path file = dataDir.resolve(spec[0]);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("dataset '" + name + "': file " + file.toAbsolutePath()
                    + " not found; expected " + spec[0] + " in the data directory " + dataDir.toAbsolutePath());
        }
        Batch batch;
        if (spec[1].equals("csv")) {
            batch = readCountHeaderCsv(file);
        } else if (spec[1].startsWith("libsvm:")) {
            batch = readLibsvm(file, Integer.parseInt(spec[1].substring(7)));
        } else {
            batch = readWhitespace(file);
        }
        int classes = spec[2].equals("regression") ? 0 : spec[2].equals("binary") ? 2 : 3;
        return new Dataset(key, batch, classes);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static double parse(String token, Path file, int line) {
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ":" + line + ": '" + token + "' is not a number");
        }
    }

    /** The scikit-learn CSV: a header line "n,p,names…", then p features and the label per line. */
    static Batch readCountHeaderCsv(Path file) {
        List<String> lines = lines(file);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty; expected a header line 'n,p,...'");
        }
        String[] header = lines.get(0).split(",");
        int n;
        int p;
        try {
            n = Integer.parseInt(header[0].trim());
            p = Integer.parseInt(header[1].trim());
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(file + ":1: expected the header 'n,p,...', got '" + lines.get(0) + "'");
        }
        double[] x = new double[n * p];
        double[] y = new double[n];
        int row = 0;
        for (int l = 1; l < lines.size(); l++) {
            String s = lines.get(l).trim();
            if (s.isEmpty()) {
                continue;
            }
            String[] t = s.split(",");
            if (t.length != p + 1) {
                throw new IllegalArgumentException(file + ":" + (l + 1) + ": expected " + (p + 1) + " fields, got "
                        + t.length);
            }
            if (row >= n) {
                throw new IllegalArgumentException(file + ":" + (l + 1) + ": more rows than the header's " + n);
            }
            for (int j = 0; j < p; j++) {
                x[row * p + j] = parse(t[j].trim(), file, l + 1);
            }
            y[row] = parse(t[p].trim(), file, l + 1);
            row++;
        }
        if (row != n) {
            throw new IllegalArgumentException(file + ": the header announces " + n + " rows, the file has " + row);
        }
        return Batch.wrap(x, y, n, p);
    }

    /** LIBSVM: "label index:value …", 1-based indices, labels ±1 mapped to (y + 1)/2. */
    static Batch readLibsvm(Path file, int columns) {
        List<double[]> rows = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        List<String> lines = lines(file);
        for (int l = 0; l < lines.size(); l++) {
            String s = lines.get(l).trim();
            if (s.isEmpty()) {
                continue;
            }
            String[] t = s.split("\\s+");
            double label = parse(t[0], file, l + 1);
            if (label != 1 && label != -1) {
                throw new IllegalArgumentException(file + ":" + (l + 1) + ": label " + t[0] + " is not +1 or -1");
            }
            double[] row = new double[columns];
            for (int k = 1; k < t.length; k++) {
                int colon = t[k].indexOf(':');
                if (colon < 1) {
                    throw new IllegalArgumentException(file + ":" + (l + 1) + ": '" + t[k] + "' is not index:value");
                }
                int index;
                try {
                    index = Integer.parseInt(t[k].substring(0, colon));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + (l + 1) + ": bad index in '" + t[k] + "'");
                }
                if (index < 1 || index > columns) {
                    throw new IllegalArgumentException(file + ":" + (l + 1) + ": index " + index + " outside 1.."
                            + columns);
                }
                row[index - 1] = parse(t[k].substring(colon + 1), file, l + 1);
            }
            rows.add(row);
            labels.add((label + 1) / 2);
        }
        return toBatch(rows, labels, columns, file);
    }

    /** Whitespace-separated numbers, the target last. */
    static Batch readWhitespace(Path file) {
        List<double[]> rows = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        List<String> lines = lines(file);
        int columns = -1;
        for (int l = 0; l < lines.size(); l++) {
            String s = lines.get(l).trim();
            if (s.isEmpty()) {
                continue;
            }
            String[] t = s.split("\\s+");
            if (columns < 0) {
                columns = t.length - 1;
            }
            if (t.length != columns + 1 || columns < 1) {
                throw new IllegalArgumentException(file + ":" + (l + 1) + ": expected " + (columns + 1)
                        + " numbers, got " + t.length);
            }
            double[] row = new double[columns];
            for (int j = 0; j < columns; j++) {
                row[j] = parse(t[j], file, l + 1);
            }
            rows.add(row);
            labels.add(parse(t[columns], file, l + 1));
        }
        return toBatch(rows, labels, columns, file);
    }

    private static Batch toBatch(List<double[]> rows, List<Double> labels, int columns, Path file) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no examples");
        }
        int n = rows.size();
        double[] x = new double[n * columns];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, x, i * columns, columns);
            y[i] = labels.get(i);
        }
        return Batch.wrap(x, y, n, columns);
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
