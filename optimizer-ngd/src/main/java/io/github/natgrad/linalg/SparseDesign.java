package io.github.natgrad.linalg;

import java.util.Arrays;

/**
 * A design matrix X (N × D, row-major) with few non-zero entries per row, held for the products a linear
 * model's step needs when many runs share X: f = Xθ, g = Xᵀr and the weighted Gram matrices
 * C_s = Σ_i w_si x_i x_iᵀ of R runs at once. Immutable and safe to share between threads.
 *
 * <p>The Gram sums run over each row's non-zero pairs only: the pairs (a ≤ b) of every row are grouped
 * by their position in the packed upper triangle (a compressed-column copy of the N × D(D+1)/2 matrix of
 * outer products x_i x_iᵀ), computed once. {@link #gram} then sums, for each packed entry, w_si x_ia x_ib
 * over the rows that have both entries, in row order, for blocks of 8 runs at a time, two blocks side by side with SIMD on (a block's weights
 * stay in the L1 cache and its 8 sums in registers). For a1a (about 15 of 124 entries set per row) this
 * costs 1/60 of the dense product.
 */
public final class SparseDesign extends PackedDesign {
    private final int[] rowStart;
    private final int[] columns;
    private final double[] values;
    private final int[] pairStart;
    private final int[] pairRow;
    private final double[] pairValue;
    /** Whether every non-zero entry is 1 (a1a): the Gram's products with it are exact and skipped. */
    private final boolean binary;
    /** Whether every non-zero entry is 1: the products X θ and Xᵀ r skip their multiplications (exact). */
    private final boolean unitValues;

    private SparseDesign(double[] x, int n, int d) {
        super(n, d);
        int nonZeros = 0;
        for (int i = 0; i < n * d; i++) {
            nonZeros += x[i] != 0 ? 1 : 0;
        }
        rowStart = new int[n + 1];
        columns = new int[nonZeros];
        values = new double[nonZeros];
        int[] count = new int[q + 1];
        int k = 0;
        for (int i = 0; i < n; i++) {
            rowStart[i] = k;
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                if (v != 0) {
                    columns[k] = j;
                    values[k++] = v;
                }
            }
            for (int a = rowStart[i]; a < k; a++) {
                for (int b = a; b < k; b++) {
                    count[packed(columns[a], columns[b]) + 1]++;
                }
            }
        }
        rowStart[n] = k;
        pairStart = new int[q + 1];
        for (int p = 0; p < q; p++) {
            pairStart[p + 1] = pairStart[p] + count[p + 1];
        }
        pairRow = new int[pairStart[q]];
        pairValue = new double[pairStart[q]];
        int[] fill = Arrays.copyOf(pairStart, q);
        for (int i = 0; i < n; i++) {
            for (int a = rowStart[i]; a < rowStart[i + 1]; a++) {
                for (int b = a; b < rowStart[i + 1]; b++) {
                    int p = fill[packed(columns[a], columns[b])]++;
                    pairRow[p] = i;
                    pairValue[p] = values[a] * values[b];
                }
            }
        }
        boolean ones = true;
        for (double v : pairValue) {
            ones &= v == 1.0;
        }
        binary = ones;
        boolean unit = true;
        for (double v : values) {
            unit &= v == 1.0;
        }
        unitValues = unit;
    }

    /** The share of non-zero entries of a row-major n × d matrix. */
    public static double density(double[] x, int n, int d) {
        long nonZeros = 0;
        for (int i = 0; i < n * d; i++) {
            nonZeros += x[i] != 0 ? 1 : 0;
        }
        return (double) nonZeros / ((double) n * d);
    }

    /** The sparse form of the row-major n × d {@code x} (not kept: the non-zeros are copied). */
    public static SparseDesign of(double[] x, int n, int d) {
        if (x.length != (long) n * d || n < 1 || d < 1) {
            throw new IllegalArgumentException("a design of " + n + " x " + d + " needs " + (long) n * d
                    + " values, got " + x.length);
        }
        return new SparseDesign(x, n, d);
    }

    /** The number of non-zero pairs summed per run by {@link #gram} (its cost is 2 flops each). */
    public long pairs() {
        return pairRow.length;
    }

    /** f = X θ, for θ = {@code theta[thetaOffset …+D)}, into {@code f[0..N)}; each sum in column order. */
    public void multiply(double[] theta, int thetaOffset, double[] f) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                s += values[k] * theta[thetaOffset + columns[k]];
            }
            f[i] = s;
        }
    }

    /** out[outOffset …+D) = Xᵀ r for r = {@code r[0..N)}; each sum in row order. */
    public void multiplyTransposed(double[] r, double[] out, int outOffset) {
        Arrays.fill(out, outOffset, outOffset + d, 0.0);
        for (int i = 0; i < n; i++) {
            double ri = r[i];
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                out[outOffset + columns[k]] += values[k] * ri;
            }
        }
    }

    /** The length of the {@code scratch} array that {@link #multiplyRuns} and {@link #multiplyTransposedRuns} need. */
    public int runsScratchSize() {
        return 8 * (n + d);
    }

    /**
     * f_k = X θ_k for the runs 0 ≤ k &lt; {@code runs} at once, θ_k = {@code theta[rows[k]·D …+D)}, into
     * {@code out[k·N …+N)}: each run gets exactly the bits of {@link #multiply} (with SIMD on, 8 runs per
     * vector, each lane summing as the one-run loop does). {@code scratch} holds {@link #runsScratchSize()}
     * doubles.
     */
    public void multiplyRuns(double[] theta, int[] rows, int runs, double[] out, double[] scratch) {
        if (!Simd.enabled()) {
            double[] f = new double[n];
            for (int k = 0; k < runs; k++) {
                multiply(theta, rows[k] * d, f);
                System.arraycopy(f, 0, out, k * n, n);
            }
            return;
        }
        int fOffset = 8 * d;
        for (int first = 0; first < runs; first += 8) {
            int width = Math.min(8, runs - first);
            for (int l = 0; l < 8; l++) {
                int o = (l < width ? rows[first + l] : rows[first]) * d;
                for (int j = 0; j < d; j++) {
                    scratch[8 * j + l] = theta[o + j];
                }
            }
            SparseProductLanes.multiply(n, rowStart, columns, values, unitValues, scratch, scratch, fOffset);
            for (int l = 0; l < width; l++) {
                int o = (first + l) * n;
                for (int i = 0; i < n; i++) {
                    out[o + i] = scratch[fOffset + 8 * i + l];
                }
            }
        }
    }

    /**
     * g_k = Xᵀ r_k for the runs 0 ≤ k &lt; {@code runs} at once, r_k = {@code r[k·N …+N)}, into
     * {@code out[k·D …+D)}: each run gets exactly the bits of {@link #multiplyTransposed} (with SIMD on, 8
     * runs per vector). {@code scratch} holds {@link #runsScratchSize()} doubles.
     */
    public void multiplyTransposedRuns(double[] r, int runs, double[] out, double[] scratch) {
        if (!Simd.enabled()) {
            double[] one = new double[n];
            for (int k = 0; k < runs; k++) {
                System.arraycopy(r, k * n, one, 0, n);
                multiplyTransposed(one, out, k * d);
            }
            return;
        }
        int gOffset = 8 * n;
        for (int first = 0; first < runs; first += 8) {
            int width = Math.min(8, runs - first);
            for (int l = 0; l < 8; l++) {
                int o = (l < width ? first + l : first) * n;
                for (int i = 0; i < n; i++) {
                    scratch[8 * i + l] = r[o + i];
                }
            }
            SparseProductLanes.multiplyTransposed(n, d, rowStart, columns, values, unitValues, scratch, scratch, gOffset);
            for (int l = 0; l < width; l++) {
                int o = (first + l) * d;
                for (int j = 0; j < d; j++) {
                    out[o + j] = scratch[gOffset + 8 * j + l];
                }
            }
        }
    }

    /**
     * The packed upper triangles of C_s = Σ_i w[s·N + i] x_i x_iᵀ for the runs 0 ≤ s &lt; {@code runs}, into
     * {@code out[s·Q …+Q)} (Q = {@link #packedSize()}; entry (a, b), a ≤ b, at a·D − a(a−1)/2 + b − a).
     * {@code scratch} holds at least ⌈runs/8⌉·8·N doubles.
     */
    public void gram(double[] w, int runs, double[] out, double[] scratch) {
        int blocks = (runs + 7) / 8;
        for (int b = 0; b < blocks; b++) {
            int width = Math.min(8, runs - 8 * b);
            for (int i = 0; i < n; i++) {
                int o = (b * n + i) * 8;
                for (int j = 0; j < 8; j++) {
                    scratch[o + j] = j < width ? w[(8 * b + j) * n + i] : 0.0;
                }
            }
        }
        if (Simd.enabled()) {
            double[] sums = new double[16];
            // two blocks at a time: two independent chains of additions per entry (the same sums, the same order)
            for (int b = 0; b + 1 < blocks; b += 2) {
                int base0 = b * n * 8;
                int base1 = (b + 1) * n * 8;
                int width1 = Math.min(8, runs - 8 * (b + 1));
                for (int p = 0; p < q; p++) {
                    SparseGramLanes.sums2(pairStart[p], pairStart[p + 1], pairRow, pairValue, binary, scratch, base0,
                            base1, sums);
                    int c = 8 * b * q + p;
                    for (int j = 0; j < 8; j++) {
                        out[c + j * q] = sums[j];
                    }
                    for (int j = 0; j < width1; j++) {
                        out[c + (8 + j) * q] = sums[8 + j];
                    }
                }
            }
        }
        for (int b = Simd.enabled() ? blocks / 2 * 2 : 0; b < blocks; b++) {
            int base = b * n * 8;
            int width = Math.min(8, runs - 8 * b);
            if (Simd.enabled()) {
                double[] sums = new double[8];
                for (int p = 0; p < q; p++) {
                    SparseGramLanes.sums(pairStart[p], pairStart[p + 1], pairRow, pairValue, binary, scratch, base, sums);
                    int c = 8 * b * q + p;
                    for (int j = 0; j < width; j++) {
                        out[c + j * q] = sums[j];
                    }
                }
                continue;
            }
            for (int p = 0; p < q; p++) {
                double a0 = 0;
                double a1 = 0;
                double a2 = 0;
                double a3 = 0;
                double a4 = 0;
                double a5 = 0;
                double a6 = 0;
                double a7 = 0;
                for (int k = pairStart[p]; k < pairStart[p + 1]; k++) {
                    double v = pairValue[k];
                    int o = base + pairRow[k] * 8;
                    a0 += v * scratch[o];
                    a1 += v * scratch[o + 1];
                    a2 += v * scratch[o + 2];
                    a3 += v * scratch[o + 3];
                    a4 += v * scratch[o + 4];
                    a5 += v * scratch[o + 5];
                    a6 += v * scratch[o + 6];
                    a7 += v * scratch[o + 7];
                }
                int c = 8 * b * q + p;
                out[c] = a0;
                if (width == 8) {
                    out[c + q] = a1;
                    out[c + 2 * q] = a2;
                    out[c + 3 * q] = a3;
                    out[c + 4 * q] = a4;
                    out[c + 5 * q] = a5;
                    out[c + 6 * q] = a6;
                    out[c + 7 * q] = a7;
                } else {
                    double[] rest = {a1, a2, a3, a4, a5, a6, a7};
                    for (int j = 1; j < width; j++) {
                        out[c + j * q] = rest[j - 1];
                    }
                }
            }
        }
    }

    /**
     * Writes scale · C_s + shift · I as a full symmetric row-major D × D matrix into {@code out}, from the
     * packed triangles of {@link #gram}.
     */
    public void unpack(double[] packed, int s, double scale, double shift, double[] out) {
        int p = s * q;
        for (int a = 0; a < d; a++) {
            out[a * d + a] = packed[p++] * scale + shift;
            for (int b = a + 1; b < d; b++) {
                double v = packed[p++] * scale;
                out[a * d + b] = v;
                out[b * d + a] = v;
            }
        }
    }

    private int packed(int a, int b) {
        return a * d - a * (a - 1) / 2 + (b - a);
    }
}
