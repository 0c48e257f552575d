package io.github.natgrad.datasets;

import io.github.natgrad.Batch;
import io.github.natgrad.data.CsvReader;
import io.github.natgrad.data.LabelMapping;
import io.github.natgrad.data.LabeledData;
import io.github.natgrad.data.LibsvmReader;
import io.github.natgrad.data.MalformedDataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The small real datasets of Kunstner, Balles and Hennig, "Limitations of the Empirical Fisher Approximation
 * for Natural Gradient Descent" (NeurIPS 2019), each with its file name, layout, shape and the sha256 of the
 * public copy described in natgrad's shared {@code datasets/README.md}. {@link #load(Path)} checks the
 * checksum and the shape and reads the file through the library's readers ({@link LibsvmReader},
 * {@link CsvReader}) as the authors' code reads it: LIBSVM labels ±1 become 1/0 ((y + 1)/2), the others are
 * kept as written (wine's class 0/1/2 is their regression target). Found by name through {@link Datasets}.
 */
public enum NamedDataset {
    /** Breast Cancer Wisconsin (Diagnostic), 569 × 30, labels 0/1 (malignant/benign). */
    BREAST_CANCER("breast-cancer", "breast_cancer.csv", Format.COUNTED_CSV, 569, 30, 2,
            "fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed"),
    /** Wine recognition, 178 × 13, class 0/1/2 (the paper uses it as a real target). */
    WINE("wine", "wine_data.csv", Format.COUNTED_CSV, 178, 13, 3,
            "10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede"),
    /** a1a (LIBSVM, from UCI Adult), 1605 × 123 binary features, labels 0/1. */
    A1A("a1a", "a1a.libsvm", Format.LIBSVM, 1605, 123, 2,
            "eb54c45f1bdb51286f803dd092eb8202b44637a858fc6c4e533a2d64a0d94b4e"),
    /** Statlog Australian credit approval, 690 × 14, labels 0/1. */
    AUSTRALIAN("australian", "australian.libsvm", Format.LIBSVM, 690, 14, 2,
            "a3b5960775ac0eff78b579ab43affd73b848bef6f59d1cc972fc60188f0fb6ba"),
    /** Pima Indians diabetes, 768 × 8, labels 0/1. */
    DIABETES("diabetes", "diabetes.libsvm", Format.LIBSVM, 768, 8, 2,
            "419ba20be4862fc53a6fe92e55a84a53ae0075df06632c07592a17d619b5cb23"),
    /** Energy efficiency (heating load), 768 × 8, real target. */
    ENERGY("energy", "energy_efficiency.txt", Format.WHITESPACE_TEXT, 768, 8, 0,
            "7f8bf024cea437267d56be99b7af7bb3faebec8a7bccfbb20d06d52d9372a950"),
    /** Combined cycle power plant, 9568 × 4, real target. */
    POWER_PLANT("power-plant", "power_plant.txt", Format.WHITESPACE_TEXT, 9568, 4, 0,
            "daebd20c408dfc5c4979604f240e891be162c3a5d00d662380aa669044a1fb31"),
    /** Yacht hydrodynamics, 308 × 6, real target. */
    YACHT("yacht", "yacht_hydrodynamics.txt", Format.WHITESPACE_TEXT, 308, 6, 0,
            "00dfecc0fc01ddd4c90b558a3ac11b246df8ebcfea130724223475a9a67f0ea1");

    /** The three file layouts. */
    public enum Format {
        /** LIBSVM / svmlight ({@link LibsvmReader}), labels ±1 mapped to 1/0. */
        LIBSVM,
        /** scikit-learn's CSV with a count header ({@link CsvReader#withCountHeader()}). */
        COUNTED_CSV,
        /** whitespace-separated numbers, target last ({@link CsvReader#whitespace}). */
        WHITESPACE_TEXT
    }

    private final String id;
    private final String file;
    private final Format format;
    private final int rows;
    private final int columns;
    private final int classes;
    private final String sha256;

    NamedDataset(String id, String file, Format format, int rows, int columns, int classes, String sha256) {
        this.id = id;
        this.file = file;
        this.format = format;
        this.rows = rows;
        this.columns = columns;
        this.classes = classes;
        this.sha256 = sha256;
    }

    /** The name used on the command line, in study files and in the outputs, e.g. {@code breast-cancer}. */
    public String id() {
        return id;
    }

    /** The file name inside the data directory. */
    public String fileName() {
        return file;
    }

    /** The file layout. */
    public Format format() {
        return format;
    }

    /** The expected number of rows N. */
    public int rows() {
        return rows;
    }

    /** The expected number of feature columns p (before any bias). */
    public int columns() {
        return columns;
    }

    /** True for the two-class sets (0/1 labels, logistic regression in the paper), false otherwise. */
    public boolean binary() {
        return classes == 2;
    }

    /** 2 for the two-class sets, 3 for wine's classes, 0 for the real-valued targets. */
    public int classes() {
        return classes;
    }

    /** The expected sha256 of the file, lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** A one-line description: name, file, layout, shape. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %s (%s, %d x %d, sha256 %s)", id, file, format, rows, columns, sha256);
    }

    /** The dataset with the given {@link #id()} (any case). */
    public static NamedDataset byId(String id) {
        for (NamedDataset d : values()) {
            if (d.id.equalsIgnoreCase(id.strip())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + id + "'; known: "
                + Arrays.stream(values()).map(NamedDataset::id).toList());
    }

    /**
     * The file in {@code dataDir}, after checking that it is there and has the expected sha256.
     *
     * @throws MalformedDataException naming the file, if the directory is not given, the file is missing or
     *                                its checksum differs (and where the expected copy is)
     */
    public Path verifiedFile(Path dataDir) {
        if (dataDir == null) {
            throw new MalformedDataException(Path.of(file), 0, "no data directory for dataset " + id + ": give the "
                    + "directory holding " + file + " (natgrad's commands: --data-dir DIR or NATGRAD_DATA)");
        }
        Path path = dataDir.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new MalformedDataException(path.toAbsolutePath(), 0, "dataset " + id + " not found; expected "
                    + describe() + " (the copies in ../shared/datasets, see its README.md)");
        }
        String actual = sha256(path);
        if (!actual.equals(sha256)) {
            throw new MalformedDataException(path, 0, "dataset " + id + " has sha256 " + actual + " but the expected "
                    + "copy has " + sha256 + "; the file differs from the one the reproduction was checked with "
                    + "(see ../shared/datasets/README.md)");
        }
        return path;
    }

    /**
     * Reads this dataset from {@code dataDir} as the authors' code reads it, dense, checking the file's sha256
     * and shape (a LIBSVM file gets its published column count, e.g. 123 for a1a).
     *
     * @throws MalformedDataException naming the file (and line) if the directory is not given, the file is
     *                                missing, its checksum or shape differs, or a line is malformed
     */
    public Dataset load(Path dataDir) {
        Path path = verifiedFile(dataDir);
        LabeledData d = switch (format) {
            case LIBSVM -> LibsvmReader.of(LabelMapping.BINARY).withColumns(columns).read(path);
            case COUNTED_CSV -> CsvReader.of(LabelMapping.REAL).withCountHeader().read(path);
            case WHITESPACE_TEXT -> CsvReader.whitespace(LabelMapping.REAL).read(path);
        };
        if (d.rows() != rows || d.columns() != columns) {
            throw new MalformedDataException(path, 0, "dataset " + id + " has " + d.rows() + " x " + d.columns()
                    + ", expected " + rows + " x " + columns);
        }
        return new Dataset(id, Batch.wrap(d.denseInputs(), d.y(), d.rows(), d.columns()), classes);
    }

    /**
     * Reads a LIBSVM dataset sparse (CSR), its column count the largest index in the file (as scikit-learn's
     * {@code load_svmlight_file} without {@code n_features}: 119 for a1a), labels ±1 mapped to 1/0.
     *
     * @throws IllegalStateException for a dataset that is not a LIBSVM file
     */
    public LabeledData loadSparse(Path dataDir) {
        if (format != Format.LIBSVM) {
            throw new IllegalStateException(id + " is not a LIBSVM file; use load(dataDir)");
        }
        return LibsvmReader.of(LabelMapping.BINARY).read(verifiedFile(dataDir));
    }

    /** The sha256 of a file, lower-case hex. */
    public static String sha256(Path path) {
        try (DigestInputStream digest = new DigestInputStream(Files.newInputStream(path),
                MessageDigest.getInstance("SHA-256"))) {
            digest.readAllBytes();
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
