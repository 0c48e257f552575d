package io.github.natgrad.bench.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The real datasets of Kunstner, Balles and Hennig (NeurIPS 2019), with the file each is read from, its
 * layout, its expected shape and the sha256 of the copy described in {@code ../shared/datasets/README.md}.
 * {@link #load(Path)} reads the file from a data directory and checks all three; the labels of the LIBSVM
 * sets are mapped to 0/1 with (y + 1)/2 as in the authors' code, the others are kept as written (wine's
 * class 0/1/2 is the regression target, as in their code).
 */
public enum NamedDataset {
    /** Breast Cancer Wisconsin (Diagnostic), 569 × 30, binary (logistic regression). */
    BREAST_CANCER("breast-cancer", "breast_cancer.csv", Format.COUNTED_CSV, 569, 30, true,
            "fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed"),
    /** Wine recognition, 178 × 13, class 0/1/2 used as a real target (linear regression). */
    WINE("wine", "wine_data.csv", Format.COUNTED_CSV, 178, 13, false,
            "10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede"),
    /** a1a (LIBSVM, from UCI Adult), 1605 × 123 binary features, binary (logistic regression). */
    A1A("a1a", "a1a.libsvm", Format.LIBSVM, 1605, 123, true,
            "eb54c45f1bdb51286f803dd092eb8202b44637a858fc6c4e533a2d64a0d94b4e"),
    /** Statlog Australian credit approval, 690 × 14, binary. */
    AUSTRALIAN("australian", "australian.libsvm", Format.LIBSVM, 690, 14, true,
            "a3b5960775ac0eff78b579ab43affd73b848bef6f59d1cc972fc60188f0fb6ba"),
    /** Pima Indians diabetes, 768 × 8, binary. */
    DIABETES("diabetes", "diabetes.libsvm", Format.LIBSVM, 768, 8, true,
            "419ba20be4862fc53a6fe92e55a84a53ae0075df06632c07592a17d619b5cb23"),
    /** Energy efficiency (heating load), 768 × 8, real target (linear regression). */
    ENERGY("energy", "energy_efficiency.txt", Format.WHITESPACE_TEXT, 768, 8, false,
            "7f8bf024cea437267d56be99b7af7bb3faebec8a7bccfbb20d06d52d9372a950"),
    /** Combined cycle power plant, 9568 × 4, real target. */
    POWER_PLANT("power-plant", "power_plant.txt", Format.WHITESPACE_TEXT, 9568, 4, false,
            "daebd20c408dfc5c4979604f240e891be162c3a5d00d662380aa669044a1fb31"),
    /** Yacht hydrodynamics, 308 × 6, real target. */
    YACHT("yacht", "yacht_hydrodynamics.txt", Format.WHITESPACE_TEXT, 308, 6, false,
            "00dfecc0fc01ddd4c90b558a3ac11b246df8ebcfea130724223475a9a67f0ea1");

    /** The three file layouts. */
    public enum Format {
        /** LIBSVM / svmlight, labels ±1 mapped to 1/0. */
        LIBSVM,
        /** scikit-learn's CSV with a count header. */
        COUNTED_CSV,
        /** whitespace-separated numbers, target last. */
        WHITESPACE_TEXT
    }

    private final String id;
    private final String file;
    private final Format format;
    private final int rows;
    private final int columns;
    private final boolean binary;
    private final String sha256;

    NamedDataset(String id, String file, Format format, int rows, int columns, boolean binary, String sha256) {
        this.id = id;
        this.file = file;
        this.format = format;
        this.rows = rows;
        this.columns = columns;
        this.binary = binary;
        this.sha256 = sha256;
    }

    /** The name used on the command line and in the outputs, e.g. {@code breast-cancer}. */
    public String id() {
        return id;
    }

    /** The file name inside the data directory. */
    public String fileName() {
        return file;
    }

    /** The expected number of rows N. */
    public int rows() {
        return rows;
    }

    /** The expected number of feature columns p (before any bias). */
    public int columns() {
        return columns;
    }

    /** True for the classification sets (0/1 labels, logistic regression), false for regression. */
    public boolean binary() {
        return binary;
    }

    /** The expected sha256 of the file, lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** A one-line description: name, file, layout, shape. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %s (%s, %d x %d, sha256 %s)", id, file, format, rows, columns, sha256);
    }

    /** The dataset with the given {@link #id()}. */
    public static NamedDataset byId(String id) {
        for (NamedDataset d : values()) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + id + "'; known: "
                + Arrays.stream(values()).map(NamedDataset::id).toList());
    }

    /**
     * Reads this dataset from {@code dataDir}, checking the file's sha256 and shape.
     *
     * @throws DatasetException if the directory is not given, the file is missing, its checksum or shape
     *                          differs, or a line is malformed
     */
    public Table load(Path dataDir) {
        if (dataDir == null) {
            throw new DatasetException("no data directory for dataset " + id + ": pass --data-dir DIR (or set "
                    + "NATGRAD_DATA) to the directory holding " + file);
        }
        Path path = dataDir.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new DatasetException("dataset " + id + ": file " + path.toAbsolutePath() + " not found; expected "
                    + describe() + " (the copies in ../shared/datasets, see its README.md)");
        }
        String actual = sha256(path);
        if (!actual.equals(sha256)) {
            throw new DatasetException("dataset " + id + ": " + path + " has sha256 " + actual + " but the expected "
                    + "copy has " + sha256 + "; the file differs from the one the reproduction was checked with "
                    + "(see ../shared/datasets/README.md)");
        }
        Table t = switch (format) {
            case LIBSVM -> DataReaders.libsvm(path, columns);
            case COUNTED_CSV -> DataReaders.countedCsv(path);
            case WHITESPACE_TEXT -> DataReaders.whitespaceText(path);
        };
        if (t.rows() != rows || t.columns() != columns) {
            throw new DatasetException("dataset " + id + ": " + path + " has " + t.rows() + " x " + t.columns()
                    + ", expected " + rows + " x " + columns);
        }
        if (format == Format.LIBSVM) {
            double[] y = t.y();
            for (int i = 0; i < y.length; i++) {
                if (y[i] != 1 && y[i] != -1) {
                    throw new DatasetException(path + ", example " + (i + 1) + ": label " + y[i]
                            + " is not +1 or -1");
                }
                y[i] = (y[i] + 1) / 2;
            }
        }
        return t;
    }

    /** The sha256 of a file, lower-case hex. */
    public static String sha256(Path path) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream digest = (DigestInputStream) in;
            digest.readAllBytes();
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (IOException e) {
            throw new DatasetException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
