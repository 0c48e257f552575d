package io.github.natgrad.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LogisticKernels} on the Vector API: the scalar loops' operations lane by lane (the branches on
 * the sign of f as blends of both values), the same bits. Loaded only when {@link Simd#enabled()}.
 */
final class VectorLogisticKernels {
    private static final VectorSpecies<Double> S = VectorKernels.species();
    private static final int L = S.length();

    private VectorLogisticKernels() {
    }

    static void residual(int n, double[] f, double[] y, double clip, double[] e, double[] residual) {
        int i = 0;
        boolean clipping = clip > 0;
        double high = 1 - clip;
        for (; i + L <= n; i += L) {
            DoubleVector ev = DoubleVector.fromArray(S, e, i);
            VectorMask<Double> positive = DoubleVector.fromArray(S, f, i).compare(VectorOperators.GE, 0.0);
            DoubleVector denominator = ev.add(1.0);
            DoubleVector p1 = ev.div(denominator).blend(DoubleVector.broadcast(S, 1.0).div(denominator), positive);
            if (clipping) {
                p1 = p1.max(clip).min(high);
            }
            p1.sub(DoubleVector.fromArray(S, y, i)).intoArray(residual, i);
        }
        for (; i < n; i++) {
            residual[i] = LogisticKernels.residualAt(f[i], y[i], clip, e[i]);
        }
    }

    static void residualAndWeight(int n, double[] f, double[] y, double clip, double[] e, double[] residual,
            double[] weight) {
        int i = 0;
        boolean clipping = clip > 0;
        double high = 1 - clip;
        for (; i + L <= n; i += L) {
            DoubleVector ev = DoubleVector.fromArray(S, e, i);
            VectorMask<Double> positive = DoubleVector.fromArray(S, f, i).compare(VectorOperators.GE, 0.0);
            DoubleVector denominator = ev.add(1.0);
            DoubleVector one = DoubleVector.broadcast(S, 1.0).div(denominator);
            DoubleVector other = ev.div(denominator);
            DoubleVector p1 = other.blend(one, positive);
            DoubleVector p0 = one.blend(other, positive);
            if (clipping) {
                p1 = p1.max(clip).min(high);
                p0 = p0.max(clip).min(high);
            }
            p1.sub(DoubleVector.fromArray(S, y, i)).intoArray(residual, i);
            p1.mul(p0).intoArray(weight, i);
        }
        for (; i < n; i++) {
            LogisticKernels.residualAndWeightAt(i, f, y, clip, e, residual, weight);
        }
    }
}
