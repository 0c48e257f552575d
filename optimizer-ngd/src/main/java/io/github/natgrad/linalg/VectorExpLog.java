package io.github.natgrad.linalg;

import static io.github.natgrad.linalg.FixedExpLog.E0;
import static io.github.natgrad.linalg.FixedExpLog.E1;
import static io.github.natgrad.linalg.FixedExpLog.E10;
import static io.github.natgrad.linalg.FixedExpLog.E11;
import static io.github.natgrad.linalg.FixedExpLog.E12;
import static io.github.natgrad.linalg.FixedExpLog.E13;
import static io.github.natgrad.linalg.FixedExpLog.E2;
import static io.github.natgrad.linalg.FixedExpLog.E3;
import static io.github.natgrad.linalg.FixedExpLog.E4;
import static io.github.natgrad.linalg.FixedExpLog.E5;
import static io.github.natgrad.linalg.FixedExpLog.E6;
import static io.github.natgrad.linalg.FixedExpLog.E7;
import static io.github.natgrad.linalg.FixedExpLog.E8;
import static io.github.natgrad.linalg.FixedExpLog.E9;
import static io.github.natgrad.linalg.FixedExpLog.Q0;
import static io.github.natgrad.linalg.FixedExpLog.Q1;
import static io.github.natgrad.linalg.FixedExpLog.Q10;
import static io.github.natgrad.linalg.FixedExpLog.Q2;
import static io.github.natgrad.linalg.FixedExpLog.Q3;
import static io.github.natgrad.linalg.FixedExpLog.Q4;
import static io.github.natgrad.linalg.FixedExpLog.Q5;
import static io.github.natgrad.linalg.FixedExpLog.Q6;
import static io.github.natgrad.linalg.FixedExpLog.Q7;
import static io.github.natgrad.linalg.FixedExpLog.Q8;
import static io.github.natgrad.linalg.FixedExpLog.Q9;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FixedExpLog}'s exp and log1p on the Vector API: the same operations lane by lane (IEEE additions,
 * multiplications, divisions, fused multiply-adds, comparisons and bit operations), so each element gets the
 * bits of the scalar code at every width. Loaded only when {@link Simd#enabled()}.
 */
final class VectorExpLog {
    private static final VectorSpecies<Double> S = VectorKernels.species();
    private static final int L = S.length();

    private VectorExpLog() {
    }

    /** v in every lane. */
    private static DoubleVector c(double v) {
        return DoubleVector.broadcast(S, v);
    }

    /** out[i] = exp(−scale·|f[i]|) for 0 ≤ i &lt; n, scale ≥ 0. */
    static void expNegativeAbs(int n, double[] f, double scale, double[] out) {
        double minus = -scale;
        int i = 0;
        for (; i + L <= n; i += L) {
            // exp(x), x = −scale·|f|, lane by lane as FixedExpLog.expNonPositive; written out here, not
            // called: a vector crossing a call the JIT does not inline is boxed
            DoubleVector x = DoubleVector.fromArray(S, f, i).abs().mul(minus);
            x = x.max(FixedExpLog.EXP_FLOOR);
            DoubleVector t = x.fma(FixedExpLog.INV_LN2, FixedExpLog.SHIFTER);
            DoubleVector kd = t.sub(FixedExpLog.SHIFTER);
            LongVector k = ((LongVector) t.viewAsIntegralLanes()).sub(FixedExpLog.SHIFTER_BITS);
            DoubleVector minusK = kd.neg();
            DoubleVector r = minusK.fma(c(FixedExpLog.LN2_HI), x);
            r = minusK.fma(c(FixedExpLog.LN2_LO), r);
            DoubleVector p = c(E13).fma(r, c(E12));
            p = p.fma(r, c(E11));
            p = p.fma(r, c(E10));
            p = p.fma(r, c(E9));
            p = p.fma(r, c(E8));
            p = p.fma(r, c(E7));
            p = p.fma(r, c(E6));
            p = p.fma(r, c(E5));
            p = p.fma(r, c(E4));
            p = p.fma(r, c(E3));
            p = p.fma(r, c(E2));
            p = p.fma(r, c(E1));
            p = p.fma(r, c(E0));
            LongVector k1 = k.lanewise(VectorOperators.ASHR, 1);
            LongVector k2 = k.sub(k1);
            DoubleVector scale1 = (DoubleVector) k1.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            DoubleVector scale2 = (DoubleVector) k2.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            p.mul(scale1).mul(scale2).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = FixedExpLog.expNonPositive(minus * Math.abs(f[i]));
        }
    }

    /**
     * log(1 + v) for lanes in [0, 1], as {@link FixedExpLog#log1pUnit} lane by lane (the same operations, so the
     * same bits): the one vector copy of that polynomial, for {@link #sumLog1p} and {@link #logisticLoss}. Small,
     * so the JIT inlines it into its callers and keeps the vectors in registers.
     */
    private static DoubleVector log1pUnit(DoubleVector v) {
        VectorMask<Double> upper = v.compare(VectorOperators.GE, 0.5);
        DoubleVector a = v.blend(v.sub(1.0).mul(0.5), upper);
        DoubleVector s = a.div(a.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector q = c(Q10).fma(z, c(Q9));
        q = q.fma(z, c(Q8));
        q = q.fma(z, c(Q7));
        q = q.fma(z, c(Q6));
        q = q.fma(z, c(Q5));
        q = q.fma(z, c(Q4));
        q = q.fma(z, c(Q3));
        q = q.fma(z, c(Q2));
        q = q.fma(z, c(Q1));
        q = q.fma(z, c(Q0));
        DoubleVector r = z.mul(q);
        DoubleVector low = s.neg().fma(a.sub(r), a);
        DoubleVector high = low.add(FixedExpLog.LN2_LO).add(FixedExpLog.LN2_HI);
        return low.blend(high, upper);
    }

    /**
     * Σ log(1 + x[i]) over 0 ≤ i &lt; n, added in index order; each term as {@link FixedExpLog#log1p} (a
     * block of L with a value outside [0, 1] runs element by element).
     */
    static double sumLog1p(int n, double[] x) {
        double[] terms = new double[L];
        double sum = 0;
        int i = 0;
        for (; i + L <= n; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, i);
            if (v.compare(VectorOperators.GE, 0.0).and(v.compare(VectorOperators.LE, 1.0)).allTrue()) {
                log1pUnit(v).intoArray(terms, 0);
                for (int l = 0; l < L; l++) {
                    sum += terms[l];
                }
            } else {
                for (int l = 0; l < L; l++) {
                    sum += FixedExpLog.log1p(x[i + l]);
                }
            }
        }
        for (; i < n; i++) {
            sum += FixedExpLog.log1p(x[i]);
        }
        return sum;
    }

    /**
     * {@link Kernels#logisticLoss}: the same terms and residuals lane by lane (exp, log1p and the division
     * written out as in {@link #expNegativeAbs} and {@link #sumLog1p}), summed in {@link Kernels#logisticLoss}'s order:
     * the bits of the scalar path at every width. A block whose e is outside [0, 1] (f not a number) runs
     * element by element.
     */
    static double logisticLoss(int n, double[] f, double[] y, double[] residual) {
        // two passes, each method small enough for the JIT to inline every vector operation into it (one
        // method with both polynomials was not, and boxed its vectors: 7× slower)
        double[] e = residual != null ? residual : new double[n];
        expNegativeAbs(n, f, 1.0, e);
        return logisticLossFromExp(n, f, y, e);
    }

    /**
     * {@link #logisticLoss} from e = exp(−|f|) (in {@code e}, overwritten with the residuals). The logarithms are
     * added to the sum as each vector of them is made (lane by lane, in index order: {@link Kernels#logisticLoss}'s
     * order), so no array of N logarithms is allocated and the serial chain of additions runs beside the
     * polynomials instead of after them; then {@link Kernels#addLinearTerms}, as there.
     */
    private static double logisticLossFromExp(int n, double[] f, double[] y, double[] e) {
        double[] logs = new double[L];
        double sum = 0;
        int i = 0;
        for (; i + L <= n; i += L) {
            DoubleVector ev = DoubleVector.fromArray(S, e, i);
            // no vector is merged across the branches (a vector at a join of control flow is boxed)
            if (ev.compare(VectorOperators.GE, 0.0).and(ev.compare(VectorOperators.LE, 1.0)).allTrue()) {
                log1pUnit(ev).intoArray(logs, 0);
            } else {
                for (int l = 0; l < L; l++) {
                    logs[l] = FixedExpLog.log1p(e[i + l]);
                }
            }
            for (int l = 0; l < L; l++) {
                sum += logs[l];
            }
            DoubleVector fv = DoubleVector.fromArray(S, f, i);
            DoubleVector numerator = ev.blend(1.0, fv.compare(VectorOperators.GE, 0.0));
            numerator.div(ev.add(1.0)).sub(DoubleVector.fromArray(S, y, i)).intoArray(e, i);
        }
        for (; i < n; i++) {
            double ei = e[i];
            sum += FixedExpLog.log1p(ei);
            e[i] = (f[i] >= 0 ? 1.0 : ei) / (1.0 + ei) - y[i];
        }
        return Kernels.addLinearTerms(sum, n, f, y);
    }

    /** h[i] ← h[i] / (1 + h[i]²) for 0 ≤ i &lt; n, lane by lane as the scalar code. */
    static void overOnePlusSquare(int n, double[] h) {
        int i = 0;
        for (; i + L <= n; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, h, i);
            v.div(v.mul(v).add(1.0)).intoArray(h, i);
        }
        for (; i < n; i++) {
            h[i] = h[i] / (1.0 + h[i] * h[i]);
        }
    }
}
