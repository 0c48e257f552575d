package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LogisticKernels} (on the Vector API where on, and in the scalar run of the suite) against the
 * logistic formulas written out element by element here with {@link Math#exp}-free inputs: the same bits,
 * for outputs of both signs, zeros of both signs, huge, infinite and NaN outputs, with and without a clip,
 * at lengths that leave a scalar tail.
 */
class LogisticKernelsTest {

    @Test
    void residualsAndWeightsAreTheFormulasBitForBit() {
        Random random = new Random(5);
        for (int n : new int[] {1, 7, 64, 203}) {
            double[] f = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = switch (i % 9) {
                    case 0 -> 0.0;
                    case 1 -> -0.0;
                    case 2 -> 800 * (random.nextBoolean() ? 1 : -1);
                    case 3 -> Double.NaN;
                    case 4 -> Double.NEGATIVE_INFINITY;
                    default -> 10 * random.nextGaussian();
                };
                y[i] = random.nextBoolean() ? 1 : 0;
            }
            double[] e = new double[n];
            Kernels.expNegativeAbs(n, f, 1.0, e);
            for (double clip : new double[] {0.0, 1e-8, 0.25}) {
                double[] r = new double[n];
                double[] w = e.clone();
                LogisticKernels.residualAndWeight(n, f, y, clip, w, r, w);
                double[] r2 = e.clone();
                LogisticKernels.residual(n, f, y, clip, r2, r2);
                for (int i = 0; i < n; i++) {
                    double p1 = f[i] >= 0 ? 1.0 / (1.0 + e[i]) : e[i] / (1.0 + e[i]);
                    double p0 = f[i] >= 0 ? e[i] / (1.0 + e[i]) : 1.0 / (1.0 + e[i]);
                    if (clip > 0) {
                        p1 = Math.min(1 - clip, Math.max(clip, p1));
                        p0 = Math.min(1 - clip, Math.max(clip, p0));
                    }
                    String at = "n " + n + " clip " + clip + " f " + f[i];
                    assertEquals(Double.doubleToLongBits(p1 - y[i]), Double.doubleToLongBits(r[i]), at);
                    assertEquals(Double.doubleToLongBits(p1 - y[i]), Double.doubleToLongBits(r2[i]), at);
                    assertEquals(Double.doubleToLongBits(p1 * p0), Double.doubleToLongBits(w[i]), at);
                }
            }
        }
    }
}
