package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SparseDesign#gram} against its definition C_s = Σ_i w_si x_i x_iᵀ summed in row order, term by
 * term as (x_ia · x_ib) · w_si: the kernel (scalar, or 8 runs per vector with SIMD on) must give exactly
 * these bits, for binary and general designs and run counts that fill or do not fill a block of 8 (and pairs of blocks, summed side by side).
 */
class SparseDesignGramTest {

    @Test
    void gramIsTheRowOrderSumBitForBit() {
        Random random = new Random(7);
        int n = 120;
        int d = 20;
        for (boolean binary : new boolean[] {true, false}) {
            double[] x = new double[n * d];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 4; k++) {
                    x[i * d + random.nextInt(d)] = binary ? 1.0 : random.nextGaussian();
                }
            }
            SparseDesign design = SparseDesign.of(x, n, d);
            for (int runs : new int[] {1, 8, 13, 16, 29}) {
                double[] w = new double[runs * n];
                for (int j = 0; j < w.length; j++) {
                    w[j] = random.nextDouble();
                }
                int q = design.packedSize();
                double[] out = new double[runs * q];
                design.gram(w, runs, out, new double[(runs + 7) / 8 * 8 * n]);
                for (int s = 0; s < runs; s++) {
                    int p = 0;
                    for (int a = 0; a < d; a++) {
                        for (int b = a; b < d; b++) {
                            double sum = 0;
                            for (int i = 0; i < n; i++) {
                                double v = x[i * d + a] * x[i * d + b];
                                if (x[i * d + a] != 0 && x[i * d + b] != 0) {
                                    sum += v * w[s * n + i];
                                }
                            }
                            assertEquals(sum, out[s * q + p], 0.0, "binary " + binary + " runs " + runs + " run " + s
                                    + " entry (" + a + ", " + b + ")");
                            p++;
                        }
                    }
                }
            }
        }
    }
}
