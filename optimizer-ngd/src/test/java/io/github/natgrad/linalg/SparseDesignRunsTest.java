package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SparseDesign#multiplyRuns} and {@link SparseDesign#multiplyTransposedRuns} (8 runs per vector with
 * SIMD on) against their definitions f_i = Σ_j x_ij θ_j summed in column order and g_j = Σ_i x_ij r_i summed
 * in row order, term by term: every run must get exactly these bits (the one-run products' bits), for unit,
 * ±1 and general designs and run counts that fill or do not fill a block of 8, with the runs' θ read through
 * an index in any order.
 */
class SparseDesignRunsTest {

    @Test
    void productsOfManyRunsAreEachRunsOwnSumBitForBit() {
        Random random = new Random(11);
        int n = 97;
        int d = 23;
        for (String kind : new String[] {"unit", "minus-one", "general"}) {
            double[] x = new double[n * d];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 5; k++) {
                    x[i * d + random.nextInt(d)] = switch (kind) {
                        case "unit" -> 1.0;
                        case "minus-one" -> -1.0;
                        default -> random.nextGaussian();
                    };
                }
            }
            SparseDesign design = SparseDesign.of(x, n, d);
            double[] scratch = new double[design.runsScratchSize()];
            for (int runs : new int[] {1, 8, 13, 17}) {
                int stored = runs + 3;
                double[] theta = new double[stored * d];
                for (int j = 0; j < theta.length; j++) {
                    theta[j] = random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4);
                }
                int[] rows = new int[runs];
                for (int k = 0; k < runs; k++) {
                    rows[k] = (k * 5 + 2) % stored;
                }
                double[] f = new double[runs * n];
                design.multiplyRuns(theta, rows, runs, f, scratch);
                double[] r = new double[runs * n];
                for (int j = 0; j < r.length; j++) {
                    r[j] = random.nextGaussian();
                }
                double[] g = new double[runs * d];
                design.multiplyTransposedRuns(r, runs, g, scratch);
                for (int k = 0; k < runs; k++) {
                    for (int i = 0; i < n; i++) {
                        double sum = 0;
                        for (int j = 0; j < d; j++) {
                            if (x[i * d + j] != 0) {
                                sum += x[i * d + j] * theta[rows[k] * d + j];
                            }
                        }
                        assertEquals(sum, f[k * n + i], 0.0, kind + " runs " + runs + " run " + k + " output " + i);
                    }
                    for (int j = 0; j < d; j++) {
                        double sum = 0;
                        for (int i = 0; i < n; i++) {
                            if (x[i * d + j] != 0) {
                                sum += x[i * d + j] * r[k * n + i];
                            }
                        }
                        assertEquals(sum, g[k * d + j], 0.0, kind + " runs " + runs + " run " + k + " gradient " + j);
                    }
                }
            }
        }
    }
}
