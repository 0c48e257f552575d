package io.github.natgrad.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneKernels} on the Vector API: one run per lane, the same fused multiply-adds in the same order
 * per lane as the scalar loops (so the same bits at every width). Loaded only when {@link Simd#enabled()}.
 */
final class VectorLaneKernels {
    private static final VectorSpecies<Double> S = VectorKernels.species();
    private static final int L = S.length();

    private VectorLaneKernels() {
    }

    /** {@link LaneKernels#forward}: whole vectors of columns up to m rounded up to L. */
    static void forward(int rows, int d, int m, double[] x, int i0, int ldx, double[] thetaT, int ldt,
            double[] out, int ldo) {
        if (d == 2) {
            forward2(rows, m, x, i0, ldx, thetaT, ldt, out, ldo);
            return;
        }
        for (int k = 0; k < m; k += L) {
            for (int i = 0; i < rows; i++) {
                int ox = (i0 + i) * ldx;
                DoubleVector f = DoubleVector.zero(S);
                for (int j = 0; j < d; j++) {
                    f = DoubleVector.fromArray(S, thetaT, j * ldt + k).fma(DoubleVector.broadcast(S, x[ox + j]), f);
                }
                f.intoArray(out, i * ldo + k);
            }
        }
    }

    /** {@link #forward} at D = 2, Θᵀ's two vectors held across the rows: fma(x_i1, θ_1, fma(x_i0, θ_0, +0)). */
    private static void forward2(int rows, int m, double[] x, int i0, int ldx, double[] thetaT, int ldt,
            double[] out, int ldo) {
        DoubleVector zero = DoubleVector.zero(S);
        for (int k = 0; k < m; k += L) {
            DoubleVector t0 = DoubleVector.fromArray(S, thetaT, k);
            DoubleVector t1 = DoubleVector.fromArray(S, thetaT, ldt + k);
            for (int i = 0, ox = i0 * ldx, oo = k; i < rows; i++, ox += ldx, oo += ldo) {
                DoubleVector f = t0.fma(DoubleVector.broadcast(S, x[ox]), zero);
                t1.fma(DoubleVector.broadcast(S, x[ox + 1]), f).intoArray(out, oo);
            }
        }
    }

    /**
     * {@link LaneKernels#accumulate}: per output row, blocks of 8, 4 or 1 vectors of columns (independent
     * chains that hide the latency of the multiply-add), each chain over the rows in order.
     */
    static void accumulate(int rows, int outs, int m, double[] a, int i0, int lda, double[] u, int ldu,
            double[] acc, int ldc) {
        int mv = (m + L - 1) / L * L;
        for (int o = 0; o < outs; o++) {
            int oc = o * ldc;
            int k = 0;
            for (; k + 8 * L <= mv; k += 8 * L) {
                block8(rows, o, a, i0, lda, u, ldu, acc, oc + k, k);
            }
            for (; k + 4 * L <= mv; k += 4 * L) {
                block4(rows, o, a, i0, lda, u, ldu, acc, oc + k, k);
            }
            for (; k < mv; k += L) {
                DoubleVector c0 = DoubleVector.fromArray(S, acc, oc + k);
                for (int i = 0, ou = k; i < rows; i++, ou += ldu) {
                    c0 = DoubleVector.fromArray(S, u, ou).fma(DoubleVector.broadcast(S, a[(i0 + i) * lda + o]), c0);
                }
                c0.intoArray(acc, oc + k);
            }
        }
    }

    private static void block8(int rows, int o, double[] a, int i0, int lda, double[] u, int ldu, double[] acc,
            int oc, int k) {
        DoubleVector c0 = DoubleVector.fromArray(S, acc, oc);
        DoubleVector c1 = DoubleVector.fromArray(S, acc, oc + L);
        DoubleVector c2 = DoubleVector.fromArray(S, acc, oc + 2 * L);
        DoubleVector c3 = DoubleVector.fromArray(S, acc, oc + 3 * L);
        DoubleVector c4 = DoubleVector.fromArray(S, acc, oc + 4 * L);
        DoubleVector c5 = DoubleVector.fromArray(S, acc, oc + 5 * L);
        DoubleVector c6 = DoubleVector.fromArray(S, acc, oc + 6 * L);
        DoubleVector c7 = DoubleVector.fromArray(S, acc, oc + 7 * L);
        for (int i = 0, ou = k; i < rows; i++, ou += ldu) {
            DoubleVector b = DoubleVector.broadcast(S, a[(i0 + i) * lda + o]);
            c0 = DoubleVector.fromArray(S, u, ou).fma(b, c0);
            c1 = DoubleVector.fromArray(S, u, ou + L).fma(b, c1);
            c2 = DoubleVector.fromArray(S, u, ou + 2 * L).fma(b, c2);
            c3 = DoubleVector.fromArray(S, u, ou + 3 * L).fma(b, c3);
            c4 = DoubleVector.fromArray(S, u, ou + 4 * L).fma(b, c4);
            c5 = DoubleVector.fromArray(S, u, ou + 5 * L).fma(b, c5);
            c6 = DoubleVector.fromArray(S, u, ou + 6 * L).fma(b, c6);
            c7 = DoubleVector.fromArray(S, u, ou + 7 * L).fma(b, c7);
        }
        c0.intoArray(acc, oc);
        c1.intoArray(acc, oc + L);
        c2.intoArray(acc, oc + 2 * L);
        c3.intoArray(acc, oc + 3 * L);
        c4.intoArray(acc, oc + 4 * L);
        c5.intoArray(acc, oc + 5 * L);
        c6.intoArray(acc, oc + 6 * L);
        c7.intoArray(acc, oc + 7 * L);
    }

    private static void block4(int rows, int o, double[] a, int i0, int lda, double[] u, int ldu, double[] acc,
            int oc, int k) {
        DoubleVector c0 = DoubleVector.fromArray(S, acc, oc);
        DoubleVector c1 = DoubleVector.fromArray(S, acc, oc + L);
        DoubleVector c2 = DoubleVector.fromArray(S, acc, oc + 2 * L);
        DoubleVector c3 = DoubleVector.fromArray(S, acc, oc + 3 * L);
        for (int i = 0, ou = k; i < rows; i++, ou += ldu) {
            DoubleVector b = DoubleVector.broadcast(S, a[(i0 + i) * lda + o]);
            c0 = DoubleVector.fromArray(S, u, ou).fma(b, c0);
            c1 = DoubleVector.fromArray(S, u, ou + L).fma(b, c1);
            c2 = DoubleVector.fromArray(S, u, ou + 2 * L).fma(b, c2);
            c3 = DoubleVector.fromArray(S, u, ou + 3 * L).fma(b, c3);
        }
        c0.intoArray(acc, oc);
        c1.intoArray(acc, oc + L);
        c2.intoArray(acc, oc + 2 * L);
        c3.intoArray(acc, oc + 3 * L);
    }
}
