package io.github.natgrad.cli;

import io.github.natgrad.Batch;
import io.github.natgrad.CsrMatrix;
import io.github.natgrad.bench.options.SeedOption;
import io.github.natgrad.datasets.SyntheticSparse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code natgrad synthetic-sparse}: writes the library's seeded power-law sparse logistic data
 * ({@link SyntheticSparse}) as a LIBSVM file (labels ±1, 1-based columns, values in Java's shortest round-trip
 * form), so that {@code train} and native {@code liblinear-train} can be timed on the same file.
 */
@Command(name = "synthetic-sparse", mixinStandardHelpOptions = true,
        description = "Write seeded synthetic sparse logistic data as a LIBSVM file (for train vs liblinear-train).")
public final class SyntheticSparseCommand implements Callable<Integer> {

    @Option(names = "--n", defaultValue = "100000", description = "examples (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--d", defaultValue = "1000000", description = "columns (default ${DEFAULT-VALUE})")
    int d;

    @Option(names = "--nnz", defaultValue = "10000000", description = "stored entries in all (default ${DEFAULT-VALUE})")
    long nnz;

    @Option(names = "--exponent", defaultValue = "1.0", description = "Zipf exponent of the columns (default ${DEFAULT-VALUE})")
    double exponent;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--out", required = true, description = "the LIBSVM file to write")
    Path out;

    @Override
    public Integer call() {
        long seed = seedOption.seed;
        Batch batch = SyntheticSparse.logistic(n, d, nnz, exponent, seed).batch();
        CsrMatrix x = batch.csr();
        int[] start = x.rowStart();
        int[] col = x.columnIndex();
        double[] val = x.values();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
            StringBuilder line = new StringBuilder(4096);
            for (int i = 0; i < x.rows(); i++) {
                line.setLength(0);
                line.append(batch.y()[i] == 1 ? "+1" : "-1");
                for (int k = start[i]; k < start[i + 1]; k++) {
                    line.append(' ').append(col[k] + 1).append(':').append(val[k]);
                }
                line.append('\n');
                w.append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        System.out.printf("wrote %s: N = %d, D = %d, nnz = %d%n", out, x.rows(), x.columns(), x.nonZeros());
        return 0;
    }
}
