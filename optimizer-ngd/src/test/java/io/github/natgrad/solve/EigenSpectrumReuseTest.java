package io.github.natgrad.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;
import io.github.natgrad.curvature.DenseCurvatureSystem;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.junit.jupiter.api.Test;

/**
 * "One decomposition serves every λ": a curvature system with the eigen solver decomposes C once, however
 * many dampings are tried, and each (C + λI)⁻¹ b agrees with an independent LU solve (Commons Math) and,
 * bit for bit, with the stateless solver that decomposes again.
 */
class EigenSpectrumReuseTest {

    /** The eigen solver, counting its decompositions. */
    static final class Counting implements Solver {
        int decompositions;

        @Override
        public String name() {
            return "counting-eigen";
        }

        @Override
        public Optional<Factorization> factor(double[] c, int d, double lambda) {
            decompositions++;
            return Solvers.eigen().factor(c, d, lambda);
        }

        @Override
        public Spectrum decompose(double[] c, int d) {
            decompositions++;
            return Solvers.eigen().decompose(c, d);
        }

        @Override
        public boolean factorsFromSpectrum() {
            return Solvers.eigen().factorsFromSpectrum();
        }

        @Override
        public Optional<Factorization> factor(Spectrum spectrum, double lambda) {
            return Solvers.eigen().factor(spectrum, lambda);
        }
    }

    @Test
    void everyDampingOfOneCurvatureReusesOneDecomposition() {
        int d = 12;
        Random random = new Random(3);
        double[] g = new double[5 * d];
        for (int i = 0; i < g.length; i++) {
            g[i] = random.nextGaussian();
        }
        double[] c = new double[d * d]; // rank 5: singular, so small dampings are refused
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int r = 0; r < 5; r++) {
                    c[i * d + j] += g[r * d + i] * g[r * d + j];
                }
            }
        }
        double[] b = new double[d];
        for (int i = 0; i < d; i++) {
            b[i] = Math.cos(i);
        }
        Counting solver = new Counting();
        CurvatureSystem system = new DenseCurvatureSystem("test", c, d, solver);
        assertFalse(system.factor(0.0).isPresent(), "a singular C without damping");
        assertFalse(system.factor(-1.0).isPresent());
        for (double lambda : new double[] {1e-6, 1e-3, 1.0, 1e3}) {
            double[] x = new double[d];
            system.factor(lambda).orElseThrow().solve(b, x);
            double[][] rows = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    rows[i][j] = c[i * d + j] + (i == j ? lambda : 0);
                }
            }
            double[] expected = new LUDecomposition(new Array2DRowRealMatrix(rows)).getSolver()
                    .solve(new ArrayRealVector(b)).toArray();
            double scale = 0;
            for (double v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertArrayEquals(expected, x, 1e-9 * scale / Math.min(1, lambda) * 1e-3, "lambda " + lambda);
            double[] again = new double[d];
            Solvers.eigen().factor(c, d, lambda).orElseThrow().solve(b, again);
            assertArrayEquals(again, x, 0.0, "the same bits as decomposing again, lambda " + lambda);
        }
        system.spectrum();
        assertEquals(1, solver.decompositions, "decompositions of one curvature");
        assertTrue(Solvers.eigen().factorsFromSpectrum());
        assertFalse(Solvers.cholesky().factorsFromSpectrum());
    }
}
