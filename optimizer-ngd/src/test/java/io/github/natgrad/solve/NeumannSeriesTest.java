package io.github.natgrad.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Factorization;
import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;
import java.util.Optional;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The solver contract for {@link NeumannSeries} (its fallback, Cholesky, serves the contract's small
 * dampings), and the series itself: for dominant dampings it solves (C + λI) x = b to rounding against
 * Commons Math's LU, without the fallback, and for the others it is the fallback's solve.
 */
class NeumannSeriesTest extends SolverContractTest {
    @Override
    Solver solver() {
        return NeumannSeries.withCholesky();
    }

    /** A fallback that must not be called. */
    private static final Solver NEVER = new Solver() {
        @Override
        public String name() {
            return "never";
        }

        @Override
        public Optional<Factorization> factor(double[] c, int d, double lambda) {
            throw new AssertionError("the fallback was called for lambda " + lambda);
        }

        @Override
        public Spectrum decompose(double[] c, int d) {
            throw new AssertionError("the fallback was called");
        }
    };

    @Test
    void dominantDampingsAreSolvedByTheSeriesToRounding() {
        double[] w = {0.0, 0.3, 1, 2, 5, 7, 9, 12}; // positive semi-definite, ‖C‖ = 12
        RealMatrix c = withEigenvalues(w, 5);
        double[] b = {1, -2, 0.5, 3, -1, 0.25, 2, -0.75};
        double[] dense = rowMajor(c);
        double bound = NeumannSeries.gershgorin(dense, 8);
        assertTrue(bound >= 12 - 1e-12, "Gershgorin bounds the norm: " + bound);
        NeumannSeries series = NeumannSeries.withFallback(NEVER);
        for (double lambda : new double[] {bound / NeumannSeries.MAX_RATIO, 1e4, 1e6, 1e10, 1e200}) {
            Factorization f = series.factor(dense, 8, lambda).orElseThrow();
            double[] x = new double[8];
            f.solve(b, x);
            RealMatrix damped = c.add(MatrixUtils.createRealIdentityMatrix(8).scalarMultiply(lambda));
            double[] expected = new LUDecomposition(damped).getSolver().solve(new ArrayRealVector(b)).toArray();
            for (int i = 0; i < 8; i++) {
                // a few ulps of the largest entry: the system's condition number is at most 1.02
                assertEquals(expected[i], x[i], 4e-16 * 3 / lambda, "lambda " + lambda + ", entry " + i);
            }
        }
        // below the ratio the fallback solves (here: it is called)
        assertThrows(AssertionError.class, () -> series.factor(dense, 8, bound / NeumannSeries.MAX_RATIO / 2));
    }

    @Test
    void termsMakeTheTruncationSmallerThanRounding() {
        assertEquals(0, NeumannSeries.terms(1.0, 99.0), "ratio above MAX_RATIO: not dominant");
        assertEquals(0, NeumannSeries.terms(1.0, 0.0));
        assertEquals(0, NeumannSeries.terms(Double.NaN, 1e6));
        assertEquals(0, NeumannSeries.terms(1.0, Double.POSITIVE_INFINITY));
        assertEquals(1, NeumannSeries.terms(0.0, 1.0), "C = 0: x = g / lambda");
        for (double ratio : new double[] {1e-2, 3e-3, 1e-4, 1e-8, 1e-17, 1e-30}) {
            int k = NeumannSeries.terms(ratio, 1.0);
            assertTrue(k >= 1 && k <= 9, "ratio " + ratio + ": " + k + " terms");
            assertTrue(Math.pow(ratio, k) <= 0x1p-54, "ratio " + ratio + ": tail " + Math.pow(ratio, k));
            assertTrue(k == 1 || Math.pow(ratio, k - 1) > 0x1p-54, "ratio " + ratio + ": one term too many");
        }
    }

    @Test
    void aNullFallbackIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> NeumannSeries.withFallback(null));
        assertEquals("neumann(cholesky)", NeumannSeries.withCholesky().name());
    }
}
