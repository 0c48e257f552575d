package io.github.natgrad.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner sums of {@link SparseDesign#gram} with the Vector API: for one packed entry, the 8 runs of a
 * block are summed as one vector of 8 lanes (or two of 4), lane j holding exactly the scalar sum
 * a_j += v · w_j of the scalar loop, in the same order (a lane-wise product then a lane-wise sum, each
 * correctly rounded; no fused multiply-add), so the results are the scalar kernel's bits. Where every
 * non-zero input is 1 the product v · w = w is exact and skipped. Loaded only when {@link Simd#enabled()}.
 */
final class SparseGramLanes {
    private static final VectorSpecies<Double> S8 = DoubleVector.SPECIES_512;
    private static final VectorSpecies<Double> S4 = DoubleVector.SPECIES_256;
    /** Whether one 8-lane vector is native (AVX-512); else two 4-lane ones. */
    private static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.length() >= 8;

    private SparseGramLanes() {
    }

    /**
     * The 8 sums over k in [from, to) of pairValue[k] · scratch[base + pairRow[k]·8 + j], j = 0 … 7, into
     * {@code sums[0..8)}.
     */
    static void sums(int from, int to, int[] pairRow, double[] pairValue, boolean binary, double[] scratch, int base,
            double[] sums) {
        if (WIDE) {
            DoubleVector acc = DoubleVector.zero(S8);
            if (binary) {
                for (int k = from; k < to; k++) {
                    acc = acc.add(DoubleVector.fromArray(S8, scratch, base + pairRow[k] * 8));
                }
            } else {
                for (int k = from; k < to; k++) {
                    acc = acc.add(DoubleVector.fromArray(S8, scratch, base + pairRow[k] * 8).mul(pairValue[k]));
                }
            }
            acc.intoArray(sums, 0);
            return;
        }
        DoubleVector lo = DoubleVector.zero(S4);
        DoubleVector hi = DoubleVector.zero(S4);
        if (binary) {
            for (int k = from; k < to; k++) {
                int o = base + pairRow[k] * 8;
                lo = lo.add(DoubleVector.fromArray(S4, scratch, o));
                hi = hi.add(DoubleVector.fromArray(S4, scratch, o + 4));
            }
        } else {
            for (int k = from; k < to; k++) {
                int o = base + pairRow[k] * 8;
                double v = pairValue[k];
                lo = lo.add(DoubleVector.fromArray(S4, scratch, o).mul(v));
                hi = hi.add(DoubleVector.fromArray(S4, scratch, o + 4).mul(v));
            }
        }
        lo.intoArray(sums, 0);
        hi.intoArray(sums, 4);
    }

    /**
     * {@link #sums} for two blocks of 8 runs at once (at {@code base0} and {@code base1} in {@code scratch}),
     * into {@code sums[0..8)} and {@code sums[8..16)}: the same sums in the same order, as two (or four)
     * independent chains of additions that the CPU overlaps (one chain waits on the latency of its additions).
     */
    static void sums2(int from, int to, int[] pairRow, double[] pairValue, boolean binary, double[] scratch, int base0,
            int base1, double[] sums) {
        if (WIDE) {
            DoubleVector acc0 = DoubleVector.zero(S8);
            DoubleVector acc1 = DoubleVector.zero(S8);
            if (binary) {
                for (int k = from; k < to; k++) {
                    int o = pairRow[k] * 8;
                    acc0 = acc0.add(DoubleVector.fromArray(S8, scratch, base0 + o));
                    acc1 = acc1.add(DoubleVector.fromArray(S8, scratch, base1 + o));
                }
            } else {
                for (int k = from; k < to; k++) {
                    int o = pairRow[k] * 8;
                    double v = pairValue[k];
                    acc0 = acc0.add(DoubleVector.fromArray(S8, scratch, base0 + o).mul(v));
                    acc1 = acc1.add(DoubleVector.fromArray(S8, scratch, base1 + o).mul(v));
                }
            }
            acc0.intoArray(sums, 0);
            acc1.intoArray(sums, 8);
            return;
        }
        DoubleVector lo0 = DoubleVector.zero(S4);
        DoubleVector hi0 = DoubleVector.zero(S4);
        DoubleVector lo1 = DoubleVector.zero(S4);
        DoubleVector hi1 = DoubleVector.zero(S4);
        if (binary) {
            for (int k = from; k < to; k++) {
                int o = pairRow[k] * 8;
                lo0 = lo0.add(DoubleVector.fromArray(S4, scratch, base0 + o));
                hi0 = hi0.add(DoubleVector.fromArray(S4, scratch, base0 + o + 4));
                lo1 = lo1.add(DoubleVector.fromArray(S4, scratch, base1 + o));
                hi1 = hi1.add(DoubleVector.fromArray(S4, scratch, base1 + o + 4));
            }
        } else {
            for (int k = from; k < to; k++) {
                int o = pairRow[k] * 8;
                double v = pairValue[k];
                lo0 = lo0.add(DoubleVector.fromArray(S4, scratch, base0 + o).mul(v));
                hi0 = hi0.add(DoubleVector.fromArray(S4, scratch, base0 + o + 4).mul(v));
                lo1 = lo1.add(DoubleVector.fromArray(S4, scratch, base1 + o).mul(v));
                hi1 = hi1.add(DoubleVector.fromArray(S4, scratch, base1 + o + 4).mul(v));
            }
        }
        lo0.intoArray(sums, 0);
        hi0.intoArray(sums, 4);
        lo1.intoArray(sums, 8);
        hi1.intoArray(sums, 12);
    }
}
