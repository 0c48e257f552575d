package io.github.natgrad.damping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.curvature.DenseCurvatureSystem;
import io.github.natgrad.solve.Solvers;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** The damping policies on definite and indefinite curvatures, against Commons Math solves. */
class DampingTest {
    private static final double[] EIGENVALUES = {-0.3, 0.5, 1.0, 2.0};
    private static final RealMatrix INDEFINITE = io.github.natgrad.solve.SolverContractTestAccess.withEigenvalues(
            EIGENVALUES, 9);
    private static final double[] G = {1, -1, 0.5, 2};

    private static CurvatureSystem system(RealMatrix m) {
        return new DenseCurvatureSystem("hessian", io.github.natgrad.solve.SolverContractTestAccess.rowMajor(m),
                m.getRowDimension(), Solvers.cholesky());
    }

    private static double[] solve(Damped damped) {
        double[] x = new double[G.length];
        damped.factorization().solve(G, x);
        return x;
    }

    private static double[] reference(RealMatrix c, double lambda) {
        RealMatrix damped = c.add(MatrixUtils.createRealIdentityMatrix(c.getRowDimension()).scalarMultiply(lambda));
        return new LUDecomposition(damped).getSolver().solve(MatrixUtils.createRealVector(G)).toArray();
    }

    @Test
    void fixedDampingRefusesAnIndefiniteCurvatureNamingItsSmallestEigenvalue() {
        CurvatureNotPositiveDefiniteException e = assertThrows(CurvatureNotPositiveDefiniteException.class,
                () -> Damping.fixed(0.1).damp(system(INDEFINITE)));
        assertEquals(-0.3, e.smallestEigenvalue(), 1e-12);
        assertEquals(0.1, e.lambda());
        assertTrue(e.getMessage().contains("hessian"), e.getMessage());
        assertTrue(e.getMessage().contains("-0.300000"), e.getMessage());
        assertTrue(e.getMessage().contains("shiftToPositiveDefinite"), e.getMessage());
    }

    @Test
    void fixedDampingSolvesTheDampedSystem() {
        Damped d = Damping.fixed(0.5).damp(system(INDEFINITE));
        assertEquals(0.5, d.lambda());
        assertArrayEquals(reference(INDEFINITE, 0.5), solve(d), 1e-12);
    }

    @Test
    void shiftMovesLambdaPastTheSmallestEigenvalue() {
        Damped d = Damping.shiftToPositiveDefinite(0.01, 1e-3).damp(system(INDEFINITE));
        double expected = 0.3 + 0.01; // the shifted spectrum keeps lambda0 = 0.01 as its margin
        assertEquals(expected, d.lambda(), 1e-12);
        assertTrue(d.action().contains("shifted"), d.action());
        assertArrayEquals(reference(INDEFINITE, expected), solve(d), 1e-6);
        Damped plain = Damping.shiftToPositiveDefinite(0.5, 1e-3).damp(system(INDEFINITE));
        assertEquals(0.5, plain.lambda(), "no shift when the damped matrix already factorises");
    }

    @Test
    void saddleFreeInvertsTheAbsoluteSpectrum() {
        Damped d = Damping.saddleFree(0.1).damp(system(INDEFINITE));
        RealMatrix abs = io.github.natgrad.solve.SolverContractTestAccess.withEigenvalues(
                new double[] {0.3, 0.5, 1.0, 2.0}, 9);
        assertArrayEquals(reference(abs, 0.1), solve(d), 1e-12);
        assertTrue(d.action().contains("1 negative"), d.action());
    }

    @Test
    void levenbergMarquardtFollowsTheReductionRatio() {
        LevenbergMarquardtDamping.Running lm = Damping.levenbergMarquardt(1.0, 0.1, 10.0).withFactor(2.0).copy();
        lm.observe(0.1);
        assertEquals(2.0, lm.currentLambda(), "rho < 1/4 raises lambda");
        lm.observe(0.5);
        assertEquals(2.0, lm.currentLambda(), "1/4 <= rho <= 3/4 keeps it");
        lm.observe(0.9);
        lm.observe(0.9);
        lm.observe(0.9);
        lm.observe(0.9);
        assertEquals(0.125, lm.currentLambda(), 1e-15, "rho > 3/4 lowers it");
        lm.observe(0.9);
        assertEquals(0.1, lm.currentLambda(), "bounded below");
        for (int i = 0; i < 10; i++) {
            lm.observe(Double.NaN);
        }
        assertEquals(10.0, lm.currentLambda(), "bounded above; an undefined rho counts as a failure");
    }

    @Test
    void levenbergMarquardtRaisesLambdaUntilTheCurvatureFactorises() {
        DampingPolicy lm = Damping.levenbergMarquardt(0.01, 1e-3, 100).withFactor(2.0).copy();
        Damped d = lm.damp(system(INDEFINITE));
        assertTrue(d.lambda() > 0.3 && d.lambda() <= 0.64, "lambda " + d.lambda());
        assertTrue(d.action().contains("raised"), d.action());
        assertArrayEquals(reference(INDEFINITE, d.lambda()), solve(d), 1e-10);
        DampingPolicy capped = Damping.levenbergMarquardt(0.01, 1e-3, 0.2).copy();
        assertThrows(CurvatureNotPositiveDefiniteException.class, () -> capped.damp(system(INDEFINITE)));
    }

    @Test
    void invalidHyperParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Damping.fixed(-1));
        assertThrows(IllegalArgumentException.class, () -> Damping.fixed(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Damping.saddleFree(0));
        assertThrows(IllegalArgumentException.class, () -> Damping.levenbergMarquardt().withFactor(1.0));
        assertThrows(IllegalArgumentException.class, () -> Damping.levenbergMarquardt(5, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Damping.shiftToPositiveDefinite(0, 0));
    }
}
