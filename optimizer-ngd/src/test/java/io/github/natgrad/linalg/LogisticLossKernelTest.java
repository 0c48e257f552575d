package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#logisticLoss} (the Bernoulli likelihood's one pass) against references written out here: the
 * loss to a relative 1e-14 against {@code StrictMath} (log1p(exp(−|f|)) + max(f, 0) − y f, summed in long double
 * fashion by Kahan), each residual against σ(f) − y, and the bits against the order the kernel promises (the
 * logarithms in index order, then each max(f, 0) − y f in index order: 0.1.0's order) and against the two-pass
 * code it replaced (expNegativeAbs, sumLog1p, the scalar loop); a NaN output gives a NaN loss; {@link Kernels#overOnePlusSquare} bit for bit against its scalar expression.
 */
class LogisticLossKernelTest {

    @Test
    void lossAndResidualsMatchTheirReferencesAndTheFixedOrder() {
        Random random = new Random(3);
        for (int n : new int[] {1, 2, 7, 8, 9, 15, 16, 17, 100, 569}) {
            double[] f = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = random.nextGaussian() * Math.pow(10, i % 4 - 1);
                y[i] = random.nextBoolean() ? 1.0 : 0.0;
            }
            f[0] = n % 2 == 0 ? -0.0 : 40.0;
            double[] r = new double[n];
            double loss = Kernels.logisticLoss(n, f, y, r);
            double logs = 0;
            double sum = 0;
            double carry = 0;
            for (int i = 0; i < n; i++) {
                double e = FixedExpLog.expNonPositive(-Math.abs(f[i]));
                logs += FixedExpLog.log1p(e);
                double term = StrictMath.log1p(StrictMath.exp(-Math.abs(f[i]))) + Math.max(f[i], 0) - y[i] * f[i];
                double t = sum + (term - carry);
                carry = (t - sum) - (term - carry);
                sum = t;
                double sigma = 1.0 / (1.0 + StrictMath.exp(-f[i]));
                assertEquals(sigma - y[i], r[i], 1e-15, "n = " + n + ", residual " + i);
            }
            double ordered = logs;
            for (int i = 0; i < n; i++) {
                ordered += Math.max(f[i], 0) - y[i] * f[i];
            }
            double[] e = new double[n];
            Kernels.expNegativeAbs(n, f, 1.0, e);
            double before = Kernels.sumLog1p(n, e);
            for (int i = 0; i < n; i++) {
                before += Math.max(f[i], 0) - y[i] * f[i];
            }
            assertEquals(Double.doubleToRawLongBits(before), Double.doubleToRawLongBits(loss), "n = " + n + ": 0.1.0's bits");
            assertEquals(Double.doubleToRawLongBits(ordered), Double.doubleToRawLongBits(loss), "n = " + n + ": the fixed order");
            assertEquals(sum, loss, 1e-14 * Math.max(1, Math.abs(sum)), "n = " + n);
            assertEquals(Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(Kernels.logisticLoss(n, f, y, null)),
                    "without residuals, the same loss");
        }
        double[] f = {0.5, Double.NaN, -1, 2, 3, 4, 5, 6, 7};
        double[] y = {1, 0, 1, 0, 1, 0, 1, 0, 1};
        double[] r = new double[f.length];
        assertTrue(Double.isNaN(Kernels.logisticLoss(f.length, f, y, r)), "a NaN output gives a NaN loss");
        assertTrue(Double.isNaN(r[1]));
    }

    @Test
    void overOnePlusSquareIsItsScalarExpression() {
        Random random = new Random(4);
        for (int n : new int[] {1, 3, 8, 13, 64}) {
            double[] h = new double[n];
            for (int i = 0; i < n; i++) {
                h[i] = random.nextDouble();
            }
            double[] out = h.clone();
            Kernels.overOnePlusSquare(n, out);
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(h[i] / (1.0 + h[i] * h[i])), Double.doubleToRawLongBits(out[i]));
            }
        }
    }
}
