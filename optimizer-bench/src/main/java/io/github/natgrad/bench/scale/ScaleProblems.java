package io.github.natgrad.bench.scale;

import io.github.natgrad.Batch;
import io.github.natgrad.datasets.NamedDataset;
import io.github.natgrad.datasets.SyntheticSparse;
import java.nio.file.Path;

/**
 * The problems of the vs-liblinear benchmark: a1a (the library's {@link NamedDataset#A1A}, sha256-checked,
 * read sparse with its largest index as column count, as LIBLINEAR reads it) and the library's seeded
 * power-law sparse data ({@link SyntheticSparse}) at two sizes.
 */
public final class ScaleProblems {
    private ScaleProblems() {
    }

    /** A named problem with its batch. */
    public record Named(String name, Batch batch) {
    }

    /** {@code a1a}, {@code 1e4} (N, D, nnz) = (1e4, 1e5, 1e6), {@code 1e5} = (1e5, 1e6, 1e7), or N,D,NNZ. */
    public static Named of(String name, Path dataDir, double exponent, long seed) {
        switch (name) {
            case "a1a":
                return new Named("a1a", NamedDataset.A1A.loadSparse(dataDir).batch());
            case "1e4":
                return synthetic(name, 10_000, 100_000, 1_000_000L, exponent, seed);
            case "1e5":
                return synthetic(name, 100_000, 1_000_000, 10_000_000L, exponent, seed);
            default: {
                String[] parts = name.split(",");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("unknown problem '" + name + "'; use a1a, 1e4, 1e5 or N,D,NNZ");
                }
                return synthetic(name, (int) Double.parseDouble(parts[0]), (int) Double.parseDouble(parts[1]),
                        (long) Double.parseDouble(parts[2]), exponent, seed);
            }
        }
    }

    private static Named synthetic(String name, int n, int d, long nnz, double exponent, long seed) {
        Batch b = SyntheticSparse.logistic(n, d, nnz, exponent, seed).batch();
        return new Named(String.format("power-law N=%d D=%d nnz=%d", n, d, b.nonZeros()), b);
    }
}
