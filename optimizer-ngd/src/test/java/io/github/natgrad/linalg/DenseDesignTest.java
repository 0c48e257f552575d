package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batched products of {@link DenseDesign} against independent computations: F = Θ Xᵀ and W X against
 * plain loops, and the batched weighted Gram matrices against the library's one-run {@link GramBuilder}
 * (rows √w_i x_i) and a plain triple loop, to a relative 1e-13.
 */
class DenseDesignTest {
    private static final double TOLERANCE = 1e-13;

    private static double[] random(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    private static void assertRelative(double expected, double actual, double scale, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(scale, Math.abs(expected)), what);
    }

    @Test
    void outputsAndTransposedProductsMatchPlainLoops() {
        Random r = new Random(3);
        int n = 53;
        int d = 7;
        int runs = 5;
        double[] x = random(r, n * d);
        DenseDesign design = DenseDesign.of(x, n, d, false);
        assertFalse(design.hasGram());
        DenseDesign.Workspace ws = design.workspace(runs);
        double[] theta = random(r, runs * d);
        ws.theta().put(0, theta);
        ws.multiply(runs);
        double[] w = random(r, runs * n);
        ws.weights().put(0, w);
        ws.multiplyTransposed(runs);
        for (int s = 0; s < runs; s++) {
            for (int i = 0; i < n; i++) {
                double f = 0;
                double scale = 0;
                for (int j = 0; j < d; j++) {
                    f += x[i * d + j] * theta[s * d + j];
                    scale += Math.abs(x[i * d + j] * theta[s * d + j]);
                }
                assertRelative(f, ws.outputs().get(s * n + i), scale, "F[" + s + "," + i + "]");
            }
            for (int j = 0; j < d; j++) {
                double g = 0;
                double scale = 0;
                for (int i = 0; i < n; i++) {
                    g += w[s * n + i] * x[i * d + j];
                    scale += Math.abs(w[s * n + i] * x[i * d + j]);
                }
                assertRelative(g, ws.result().get(s * d + j), scale, "G[" + s + "," + j + "]");
            }
        }
        assertThrows(IllegalStateException.class, () -> ws.gram(1));
        assertThrows(IllegalArgumentException.class, () -> ws.multiply(runs + 1));
    }

    @Test
    void batchedGramMatchesTheGramBuilderAndAPlainLoop() {
        Random r = new Random(11);
        int n = 569;
        int d = 31;
        int runs = 9;
        double[] x = random(r, n * d);
        double[] w = new double[runs * n];
        for (int k = 0; k < w.length; k++) {
            w[k] = r.nextDouble() * (k % 7 == 0 ? 1e-6 : 1.0); // non-negative weights, some tiny
        }
        DenseDesign design = DenseDesign.of(x, n, d, true);
        assertTrue(design.hasGram());
        assertEquals(d * (d + 1) / 2, design.packedSize());
        DenseDesign.Workspace ws = design.workspace(runs);
        ws.weights().put(0, w);
        ws.gram(runs);
        double scale = 1.0 / n;
        double shift = 0.25;
        double[] batched = new double[d * d];
        double[] reference = new double[d * d];
        GramBuilder gram = new GramBuilder();
        for (int s = 0; s < runs; s++) {
            ws.unpack(s, scale, shift, batched);
            DoubleBuffer rows = gram.begin(n, d, scale);
            for (int i = 0; i < n; i++) {
                double root = Math.sqrt(w[s * n + i]);
                for (int j = 0; j < d; j++) {
                    rows.put(i * d + j, root * x[i * d + j]);
                }
            }
            gram.accumulate(n);
            gram.finish(reference);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double loop = 0;
                    double abs = 0;
                    for (int i = 0; i < n; i++) {
                        double v = w[s * n + i] * x[i * d + a] * x[i * d + b];
                        loop += v;
                        abs += Math.abs(v);
                    }
                    double expected = loop * scale + (a == b ? shift : 0.0);
                    String what = "run " + s + " entry (" + a + ", " + b + ")";
                    assertRelative(expected, batched[a * d + b], abs * scale, what + " vs a plain loop");
                    assertRelative(reference[a * d + b] + (a == b ? shift : 0.0), batched[a * d + b], abs * scale,
                            what + " vs GramBuilder");
                    assertEquals(batched[a * d + b], batched[b * d + a], 0.0, what + " symmetric");
                }
            }
        }
    }

    /**
     * A run's row of every product has the same bits alone, at any position among other rows, and in an odd
     * or even count: the damping sweep's runs do not depend on which runs they share a sweep with. natgrad's
     * product kernel sums each entry over k in order from its own row alone (its register tiles of 4 rows
     * and the 1-row remainder sum alike), on every CPU; OpenBLAS's dgemm, used here until 0.1.x, did not.
     */
    @Test
    void aRowsProductsDoNotDependOnTheOtherRows() {
        int n = 97;
        int d = 13;
        Random random = new Random(4);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        DenseDesign design = DenseDesign.of(x, n, d, true);
        int q = design.packedSize();
        double[] theta = new double[d];
        double[] w = new double[n];
        for (int j = 0; j < d; j++) {
            theta[j] = random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            w[i] = random.nextDouble();
        }
        DenseDesign.Workspace alone = design.workspace(1);
        alone.theta().put(0, theta);
        alone.multiply(1);
        double[] outputs = new double[n];
        alone.outputs().get(0, outputs);
        alone.weights().put(0, w);
        alone.multiplyTransposed(1);
        double[] gradient = new double[d];
        alone.result().get(0, gradient);
        alone.gram(1);
        double[] gram = new double[q];
        alone.result().get(0, gram);
        for (int runs : new int[] {2, 3, 5, 8, 9}) {
            for (int pos : new int[] {0, runs / 2, runs - 1}) {
                DenseDesign.Workspace ws = design.workspace(runs);
                for (int s = 0; s < runs; s++) {
                    for (int j = 0; j < d; j++) {
                        ws.theta().put(s * d + j, s == pos ? theta[j] : random.nextGaussian());
                    }
                    for (int i = 0; i < n; i++) {
                        ws.weights().put(s * n + i, s == pos ? w[i] : random.nextDouble());
                    }
                }
                String what = pos + " of " + runs + " rows";
                ws.multiply(runs);
                for (int i = 0; i < n; i++) {
                    assertEquals(outputs[i], ws.outputs().get(pos * n + i), 0.0, what);
                }
                ws.multiplyTransposed(runs);
                for (int j = 0; j < d; j++) {
                    assertEquals(gradient[j], ws.result().get(pos * d + j), 0.0, what);
                }
                ws.gram(runs);
                for (int p = 0; p < q; p++) {
                    assertEquals(gram[p], ws.result().get(pos * q + p), 0.0, what);
                }
            }
        }
    }

    @Test
    void badShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DenseDesign.of(new double[5], 2, 3, true));
        assertThrows(IllegalArgumentException.class, () -> DenseDesign.of(new double[6], 2, 3, true).workspace(0));
    }
}
