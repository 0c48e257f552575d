package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Linearization;
import io.github.natgrad.models.GeneralizedLinearModel;
import java.nio.DoubleBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link StepDesign}'s products and {@link GramBuilder#scaledGram} against scalar references written out here:
 * the forward pass bit for bit against a fused multiply-add chain over the columns, the transposed product bit
 * for bit against {@link Kernels#multiplyTransposedScalar} on the padded rows, the scaled Gram build bit for bit
 * against the block build of the same rows and to rounding against Σ s_i² x̃_i x̃_iᵀ; and the model's design path
 * bit for bit against its plain linearization (outputs, gradient, Gram build), so the optimizer may start using
 * the design at any step.
 */
class StepDesignTest {

    private static double[] gaussian(Random random, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    @Test
    void productsAndScaledGramMatchTheirScalarReferences() {
        assumeTrue(Simd.enabled(), "the step design needs the SIMD kernels");
        Random random = new Random(5);
        for (int p : new int[] {1, 6, 7, 8, 9, 30, 33}) {
            for (int n : new int[] {1, 3, 8, 31, 33, 100, 569}) {
                for (boolean bias : new boolean[] {false, true}) {
                    String what = n + " x " + p + (bias ? " + bias" : "");
                    int d = p + (bias ? 1 : 0);
                    double[] x = gaussian(random, n * p);
                    double[] theta = gaussian(random, d);
                    StepDesign design = StepDesign.of(x, n, p, bias);
                    assertEquals(n, design.rows());
                    assertEquals(d, design.columns());
                    assertEquals(0, design.stride() % 8);

                    double shift = bias ? theta[p] : 0.0;
                    double[] f = new double[n];
                    design.multiply(theta, shift, f);
                    double[] rowwise = new double[n];
                    Kernels.multiply(n, p, x, theta, shift, rowwise);
                    for (int i = 0; i < n; i++) {
                        // the row-wise kernel's order, written out: column j to partial j mod 8, fused, the tree
                        double[] part = new double[8];
                        double plain = 0;
                        for (int j = 0; j < p; j++) {
                            part[j % 8] = Math.fma(x[i * p + j], theta[j], part[j % 8]);
                            plain += x[i * p + j] * theta[j];
                        }
                        double s = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
                        assertEquals(Double.doubleToRawLongBits(s + shift), Double.doubleToRawLongBits(f[i]), what + " f[" + i + "]");
                        assertEquals(Double.doubleToRawLongBits(rowwise[i]), Double.doubleToRawLongBits(f[i]), what + " f[" + i + "]");
                        assertEquals(plain + shift, f[i], 1e-12 * (1 + Math.abs(plain)), what);
                    }

                    double[] u = gaussian(random, n);
                    double[] g = new double[d];
                    design.multiplyTransposed(u, g);
                    int stride = design.stride();
                    double[] padded = new double[n * stride];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(x, i * p, padded, i * stride, p);
                        if (bias) {
                            padded[i * stride + p] = 1.0;
                        }
                    }
                    double[] expected = new double[stride];
                    Kernels.multiplyTransposedScalar(n, stride, padded, u, expected);
                    for (int j = 0; j < d; j++) {
                        assertEquals(Double.doubleToRawLongBits(expected[j]), Double.doubleToRawLongBits(g[j]), what + " g[" + j + "]");
                        double plain = 0;
                        for (int i = 0; i < n; i++) {
                            plain += u[i] * (j < p ? x[i * p + j] : 1.0);
                        }
                        assertEquals(plain, g[j], 1e-12 * n, what);
                    }

                    // the scaled Gram build: the block build's bits, and Σ s_i² x̃_i x̃_iᵀ / n to rounding
                    double[] s = gaussian(random, n);
                    double[] c = new double[d * d];
                    new GramBuilder().scaledGram(design, s, 1.0 / n, c);
                    GramBuilder blocks = new GramBuilder();
                    DoubleBuffer rows = blocks.begin(n, d, 1.0 / n);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < d; j++) {
                            rows.put(i * d + j, s[i] * (j < p ? x[i * p + j] : 1.0));
                        }
                    }
                    blocks.accumulate(n);
                    double[] reference = new double[d * d];
                    blocks.finish(reference);
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            assertEquals(Double.doubleToRawLongBits(reference[a * d + b]),
                                    Double.doubleToRawLongBits(c[a * d + b]), what + " C(" + a + ", " + b + ")");
                            double sum = 0;
                            for (int i = 0; i < n; i++) {
                                double xa = a < p ? x[i * p + a] : 1.0;
                                double xb = b < p ? x[i * p + b] : 1.0;
                                sum += s[i] * s[i] * xa * xb;
                            }
                            assertEquals(sum / n, c[a * d + b], 1e-12 * (1 + Math.abs(sum / n)) * 10, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theModelsDesignPathHasTheBitsOfItsPlainLinearization() {
        assumeTrue(Simd.enabled(), "the step design needs the SIMD kernels");
        Random random = new Random(9);
        int n = 77;
        int p = 12;
        Batch batch = Batch.wrap(gaussian(random, n * p), new double[n], n, p);
        for (GeneralizedLinearModel model : new GeneralizedLinearModel[] {GeneralizedLinearModel.logisticRegression(p),
                GeneralizedLinearModel.logisticRegression(p).withBias()}) {
            StepDesign design = model.design(batch);
            assertTrue(design != null);
            double[] theta = gaussian(random, model.parameterCount());
            Linearization plain = model.linearize(theta, batch);
            Linearization fast = model.linearize(theta, batch, design);
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(plain.outputs()[i]), Double.doubleToRawLongBits(fast.outputs()[i]));
            }
            double[] u = gaussian(random, n);
            double[] a = new double[model.parameterCount()];
            double[] b = new double[model.parameterCount()];
            plain.vectorJacobianProduct(u, a);
            fast.vectorJacobianProduct(u, b);
            for (int j = 0; j < a.length; j++) {
                assertEquals(Double.doubleToRawLongBits(a[j]), Double.doubleToRawLongBits(b[j]), "the gradient's bits, entry " + j);
            }
            // the Fisher's Gram build through the design: the bits of the block build of the model's own rows
            double[] w = gaussian(random, n);
            int d = model.parameterCount();
            double[] c = new double[d * d];
            new GramBuilder().scaledGram(design, w, 1.0 / n, c);
            GramBuilder blocks = new GramBuilder();
            DoubleBuffer rows = blocks.begin(n, d, 1.0 / n);
            plain.jacobianRows(0, n, w, 1, rows);
            blocks.accumulate(n);
            double[] reference = new double[d * d];
            blocks.finish(reference);
            for (int e = 0; e < d * d; e++) {
                assertEquals(Double.doubleToRawLongBits(reference[e]), Double.doubleToRawLongBits(c[e]));
            }
            assertSame(design, ((StepDesign.Source) fast).stepDesign());
            assertNull(((StepDesign.Source) plain).stepDesign());
        }
    }

    /**
     * The linearization into a caller's array (the optimizer's reused f): the same bits as a fresh one, written
     * into that array (not a copy), the plain path when there is no design; an array not of length N is refused.
     */
    @Test
    void theOutputsGoIntoTheCallersArrayWithTheSameBits() {
        assumeTrue(Simd.enabled(), "the step design needs the SIMD kernels");
        Random random = new Random(12);
        int n = 45;
        int p = 7;
        Batch batch = Batch.wrap(gaussian(random, n * p), new double[n], n, p);
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(p).withBias();
        StepDesign design = model.design(batch);
        double[] theta = gaussian(random, model.parameterCount());
        double[] fresh = model.linearize(theta, batch, design).outputs();
        double[] mine = new double[n];
        java.util.Arrays.fill(mine, Double.NaN);
        Linearization into = model.linearize(theta, batch, design, mine);
        assertSame(mine, into.outputs());
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(fresh[i]), Double.doubleToRawLongBits(mine[i]), "f[" + i + "]");
        }
        double[] plain = model.linearize(theta, batch, null, null).outputs();
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(fresh[i]), Double.doubleToRawLongBits(plain[i]), "plain f[" + i + "]");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.linearize(theta, batch, design, new double[n + 1]));
        assertTrue(e.getMessage().contains("length N"), e.getMessage());
    }

    private static void assertSame(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertSame(expected, actual);
    }

    @Test
    void aDesignOfAnotherShapeIsRefusedWithWhatToDo() {
        assumeTrue(Simd.enabled(), "the step design needs the SIMD kernels");
        Random random = new Random(2);
        Batch batch = Batch.wrap(gaussian(random, 10 * 3), new double[10], 10, 3);
        Batch other = Batch.wrap(gaussian(random, 11 * 3), new double[11], 11, 3);
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(3).withBias();
        StepDesign design = model.design(batch);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.linearize(new double[4], other, design));
        assertTrue(e.getMessage().contains("design(batch)"), e.getMessage());
        assertFalse(StepDesign.fits(1 << 20, 30, true), "a design above the size limit is not held");
        assertFalse(StepDesign.fits(100, StepDesign.MAX_COLUMNS, true), "nor one wider than MAX_COLUMNS");
        assertThrows(IllegalArgumentException.class, () -> StepDesign.of(new double[4], 1 << 20, 30, true));
    }
}
