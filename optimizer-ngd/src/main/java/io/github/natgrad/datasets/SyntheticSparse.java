package io.github.natgrad.datasets;

import io.github.natgrad.Batch;
import io.github.natgrad.CsrMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded synthetic sparse classification data with text-like column frequencies: each of the N rows
 * holds ⌊nnz/N⌋ distinct columns drawn from a Zipf (power-law) distribution, P(column j) ∝ 1/(j + 1)^s
 * with s = {@code exponent} (about 1 for word frequencies), values 1/√(row length) (L2-normalised binary
 * bag of words, as in text classification), and labels drawn from a logistic model at a planted θ*
 * ~ N(0, 4) on the columns (unit-norm rows, so f ~ N(0, 4)). Memory O(nnz + D); the same seed gives the same data.
 *
 * @param batch the examples (sparse)
 * @param truth the planted parameters θ* (no bias)
 */
public record SyntheticSparse(Batch batch, double[] truth) {

    /**
     * @param n        examples N
     * @param d        columns D
     * @param nnz      stored entries in all (each row gets ⌊nnz/N⌋ distinct columns, at most D)
     * @param exponent the Zipf exponent s ≥ 0 (0: uniform columns)
     * @param seed     the seed
     */
    public static SyntheticSparse logistic(int n, int d, long nnz, double exponent, long seed) {
        if (n < 1 || d < 1 || nnz < n) {
            throw new IllegalArgumentException("need N >= 1, D >= 1 and nnz >= N, got " + n + ", " + d + ", " + nnz);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] cumulative = new double[d];
        double total = 0;
        for (int j = 0; j < d; j++) {
            total += Math.pow(j + 1, -exponent);
            cumulative[j] = total;
        }
        int perRow = (int) Math.max(1, Math.min(d, nnz / n));
        double[] truth = new double[d];
        double scale = 2.0; // θ*_j ~ N(0, 4); with unit-norm rows f ~ N(0, 4)
        for (int j = 0; j < d; j++) {
            truth[j] = scale * gaussian(random);
        }
        int[] start = new int[n + 1];
        int[] col = new int[(int) Math.min(Integer.MAX_VALUE - 8, (long) n * perRow)];
        double[] val = new double[col.length];
        double[] y = new double[n];
        int[] row = new int[perRow];
        int k = 0;
        for (int i = 0; i < n; i++) {
            // perRow distinct columns: draw, and draw again on a repeat (perRow is far below D)
            int len = 0;
            while (len < perRow) {
                double u = random.nextDouble() * total;
                int j = Arrays.binarySearch(cumulative, u);
                int c = Math.min(d - 1, j >= 0 ? j : -j - 1);
                boolean repeat = false;
                for (int t = 0; t < len && !repeat; t++) {
                    repeat = row[t] == c;
                }
                if (!repeat) {
                    row[len++] = c;
                }
            }
            Arrays.sort(row, 0, len);
            double v = 1.0 / Math.sqrt(len);
            double f = 0;
            for (int t = 0; t < len; t++) {
                col[k] = row[t];
                val[k++] = v;
                f += v * truth[row[t]];
            }
            start[i + 1] = k;
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-f)) ? 1 : 0;
        }
        CsrMatrix x = CsrMatrix.of(n, d, start, Arrays.copyOf(col, k), Arrays.copyOf(val, k));
        return new SyntheticSparse(Batch.of(x, y), truth);
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
