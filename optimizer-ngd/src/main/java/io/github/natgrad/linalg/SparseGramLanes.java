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
}
