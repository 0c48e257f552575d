package io.github.natgrad.datasets;

import io.github.natgrad.data.MalformedDataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one registry of natgrad's datasets, by name: the real files of Kunstner, Balles and Hennig (2019)
 * ({@link NamedDataset}: breast-cancer, wine, a1a, australian, diabetes, energy, power-plant, yacht, each
 * checked against its sha256), Fashion-MNIST ({@link FashionMnist}, the training images) and the seeded
 * synthetic generators ({@link SyntheticGlm}). A file dataset is read from a data directory (the shared
 * {@code datasets/} folder); a generator draws from a seed (the same seed gives the same data).
 * <pre>{@code
 * Dataset a1a = Datasets.named("a1a").load(Path.of("../shared/datasets"), 0);
 * Dataset toy = Datasets.named("synthetic-logistic").load(null, 42);
 * }</pre>
 * Readers for any other file: {@link io.github.natgrad.data.LibsvmReader}, {@link io.github.natgrad.data.CsvReader},
 * {@link IdxFiles}; for sizes other than the registered ones, call the generators directly.
 */
public final class Datasets {
    /** The generators' names, in registry order. */
    public static final List<String> SYNTHETIC =
            List.of("synthetic-linear", "synthetic-logistic", "synthetic-probit", "synthetic-softmax");
    /** The Fashion-MNIST name. */
    public static final String FASHION_MNIST = "fashion-mnist";

    private static final Map<String, Entry> ENTRIES = entries();

    private Datasets() {
    }

    /** How an entry makes its dataset. */
    @FunctionalInterface
    public interface Loader {
        /** Reads from {@code dataDir} (files) or draws from {@code seed} (generators). */
        Dataset load(Path dataDir, long seed);
    }

    /**
     * One registered dataset.
     *
     * @param name        the registry name
     * @param description one line: what it is and its shape
     * @param readsFiles  true for the file datasets (they need a data directory), false for generators
     * @param loader      how it is read or generated
     */
    public record Entry(String name, String description, boolean readsFiles, Loader loader) {
        /**
         * The dataset: read from {@code dataDir} (file datasets; the seed is unused) or generated from
         * {@code seed} (generators; the directory is unused and may be null).
         *
         * @throws MalformedDataException naming the file when a file is missing, differs from the expected
         *                                copy or holds a malformed line
         */
        public Dataset load(Path dataDir, long seed) {
            return loader.load(dataDir, seed);
        }
    }

    /** Every registered name: the paper's files, fashion-mnist, the generators. */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    /** Every entry, in {@link #names()} order. */
    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }

    /**
     * The entry named {@code name} (any case).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Entry named(String name) {
        Entry e = ENTRIES.get(name == null ? "" : name.strip().toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + names());
        }
        return e;
    }

    /** Shorthand for {@code named(name).load(dataDir, seed)}. */
    public static Dataset load(String name, Path dataDir, long seed) {
        return named(name).load(dataDir, seed);
    }

    /** Where Fashion-MNIST's files are: {@code dir/fashion-mnist} if that folder exists, else {@code dir}. */
    public static Path fashionMnistDir(Path dir) {
        Path sub = dir.resolve(FASHION_MNIST);
        return Files.isDirectory(sub) ? sub : dir;
    }

    private static Map<String, Entry> entries() {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (NamedDataset d : NamedDataset.values()) {
            add(m, new Entry(d.id(), d.describe(), true, (dir, seed) -> d.load(dir)));
        }
        add(m, new Entry(FASHION_MNIST, "Fashion-MNIST training images, 60000 x 784, 10 classes (IDX files in "
                + "DIR/fashion-mnist or DIR)", true, (dir, seed) -> {
                    if (dir == null) {
                        throw new MalformedDataException(Path.of(FASHION_MNIST), 0, "no data directory for "
                                + "fashion-mnist: give the directory holding its four IDX files");
                    }
                    try {
                        return new Dataset(FASHION_MNIST, FashionMnist.load(fashionMnistDir(dir)).train(),
                                FashionMnist.CLASSES);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e.getMessage(), e);
                    }
                }));
        add(m, new Entry("synthetic-linear", "linear regression, 500 x 5, unit noise, conditioning 10", false,
                (dir, seed) -> new Dataset("synthetic-linear", SyntheticGlm.linear(500, 5, 10, seed).batch(), 0)));
        add(m, new Entry("synthetic-logistic", "logistic regression, 500 x 5, conditioning 10", false,
                (dir, seed) -> new Dataset("synthetic-logistic", SyntheticGlm.logistic(500, 5, 10, seed).batch(), 2)));
        add(m, new Entry("synthetic-probit", "probit regression, 500 x 5", false,
                (dir, seed) -> new Dataset("synthetic-probit", SyntheticGlm.probit(500, 5, seed).batch(), 2)));
        add(m, new Entry("synthetic-softmax", "softmax regression, 600 x 4, 3 classes", false,
                (dir, seed) -> new Dataset("synthetic-softmax", SyntheticGlm.softmax(600, 4, 3, seed).batch(), 3)));
        return Collections.unmodifiableMap(m);
    }

    private static void add(Map<String, Entry> m, Entry e) {
        if (m.put(e.name(), e) != null) {
            throw new IllegalStateException("two datasets named " + e.name());
        }
    }
}
