package io.github.natgrad.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The products X θ_s and Xᵀ r_s of {@link SparseDesign} for a block of 8 runs with the Vector API: lane j
 * holds run j's sum, and every lane sums exactly as the one-run scalar loops of
 * {@link SparseDesign#multiply} and {@link SparseDesign#multiplyTransposed} do (from 0, in the same order, a
 * lane-wise product then a lane-wise sum, each correctly rounded; no fused multiply-add), so each run gets
 * the bits of its own scalar product whatever runs share its block. Where every non-zero entry is 1 the
 * product 1 · v = v is exact and skipped. The block's operands are interleaved (entry j of run l at
 * {@code 8·j + l}), so one row's non-zero entries are read as one vector each. Loaded only when
 * {@link Simd#enabled()}.
 */
final class SparseProductLanes {
    private static final VectorSpecies<Double> S8 = DoubleVector.SPECIES_512;
    private static final VectorSpecies<Double> S4 = DoubleVector.SPECIES_256;
    /** Whether one 8-lane vector is native (AVX-512); else two 4-lane ones. */
    private static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.length() >= 8;

    private SparseProductLanes() {
    }

    /** f[fOffset + 8i + l] = Σ_k values[k] · theta[8·columns[k] + l] over row i's entries k, for every row i and lane l. */
    static void multiply(int n, int[] rowStart, int[] columns, double[] values, boolean binary, double[] theta,
            double[] f, int fOffset) {
        if (WIDE) {
            for (int i = 0; i < n; i++) {
                DoubleVector acc = DoubleVector.zero(S8);
                if (binary) {
                    for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                        acc = acc.add(DoubleVector.fromArray(S8, theta, columns[k] * 8));
                    }
                } else {
                    for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                        acc = acc.add(DoubleVector.fromArray(S8, theta, columns[k] * 8).mul(values[k]));
                    }
                }
                acc.intoArray(f, fOffset + i * 8);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            DoubleVector lo = DoubleVector.zero(S4);
            DoubleVector hi = DoubleVector.zero(S4);
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                int o = columns[k] * 8;
                if (binary) {
                    lo = lo.add(DoubleVector.fromArray(S4, theta, o));
                    hi = hi.add(DoubleVector.fromArray(S4, theta, o + 4));
                } else {
                    double v = values[k];
                    lo = lo.add(DoubleVector.fromArray(S4, theta, o).mul(v));
                    hi = hi.add(DoubleVector.fromArray(S4, theta, o + 4).mul(v));
                }
            }
            lo.intoArray(f, fOffset + i * 8);
            hi.intoArray(f, fOffset + i * 8 + 4);
        }
    }

    /**
     * g[gOffset + 8j + l] = Σ_i x_ij · r[8i + l] over the rows i in order, for every column j and lane l ({@code g} is
     * zeroed first).
     */
    static void multiplyTransposed(int n, int d, int[] rowStart, int[] columns, double[] values, boolean binary,
            double[] r, double[] g, int gOffset) {
        java.util.Arrays.fill(g, gOffset, gOffset + 8 * d, 0.0);
        if (WIDE) {
            for (int i = 0; i < n; i++) {
                DoubleVector ri = DoubleVector.fromArray(S8, r, i * 8);
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                    int o = gOffset + columns[k] * 8;
                    DoubleVector term = binary ? ri : ri.mul(values[k]);
                    DoubleVector.fromArray(S8, g, o).add(term).intoArray(g, o);
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            DoubleVector lo = DoubleVector.fromArray(S4, r, i * 8);
            DoubleVector hi = DoubleVector.fromArray(S4, r, i * 8 + 4);
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                int o = gOffset + columns[k] * 8;
                DoubleVector tl = binary ? lo : lo.mul(values[k]);
                DoubleVector th = binary ? hi : hi.mul(values[k]);
                DoubleVector.fromArray(S4, g, o).add(tl).intoArray(g, o);
                DoubleVector.fromArray(S4, g, o + 4).add(th).intoArray(g, o + 4);
            }
        }
    }
}
