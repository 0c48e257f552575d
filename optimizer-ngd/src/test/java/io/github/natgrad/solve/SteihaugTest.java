package io.github.natgrad.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.CurvatureSystem;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;

/**
 * Steihaug–Toint CG ({@link ConjugateGradient#withinRadius}) on 2-D quadratics Q(x) = ½xᵀCx − gᵀx, against
 * references computed independently: in two dimensions with M = I its path is the dogleg (first iterate the
 * Cauchy point (gᵀg / gᵀCg)·g, second the Newton point C⁻¹g, here from Commons Math's LU), and the exact
 * minimiser of Q within the ball (Commons Math's eigen-decomposition and a bisection on λ) bounds it: Q at
 * Steihaug's point is at most half of Q at the exact minimiser (Yuan 2000, Math. Program. 88).
 */
class SteihaugTest {
    private static final double[] C = {4, 1, 1, 2};
    private static final double[] G = {1, 3};

    private static CurvatureSystem system(double[] c, ConjugateGradient.Preconditioner m) {
        ConjugateGradient exact = ConjugateGradient.DEFAULT.withStoppingRule(ConjugateGradient.StoppingRule.RESIDUAL)
                .withTolerance(1e-14).withPreconditioner(m);
        return exact.system(DenseOperator.of("dense", c, 2));
    }

    private static double[] steihaug(double[] c, double[] g, double radius, TrustRegionSolve[] out) {
        TrustRegionSolve s = ConjugateGradient.withinRadius(system(c, ConjugateGradient.Preconditioner.NONE), radius)
                .orElseThrow();
        double[] x = new double[2];
        s.solve(g, x);
        out[0] = s;
        return x;
    }

    @Test
    void interiorStepIsNewtons() {
        TrustRegionSolve[] s = new TrustRegionSolve[1];
        double[] x = steihaug(C, G, 10.0, s);
        RealVector newton = newton(C, G);
        assertEquals(newton.getEntry(0), x[0], 1e-12);
        assertEquals(newton.getEntry(1), x[1], 1e-12);
        assertFalse(s[0].reachedBoundary());
        assertEquals(newton.getNorm(), s[0].stepNorm(), 1e-12);
        assertEquals(quadraticForm(C, x), s[0].lastQuadraticForm(), 1e-12);
    }

    @Test
    void boundaryStepOnTheSecondSegmentIsTheDoglegPointAndAtLeastHalfTheBestDecrease() {
        double radius = 1.3; // between the Cauchy point (1.13) and Newton's (1.58)
        TrustRegionSolve[] s = new TrustRegionSolve[1];
        double[] x = steihaug(C, G, radius, s);
        double[] dogleg = dogleg(C, G, radius);
        assertEquals(dogleg[0], x[0], 1e-12);
        assertEquals(dogleg[1], x[1], 1e-12);
        assertTrue(s[0].reachedBoundary());
        assertEquals(radius, Math.hypot(x[0], x[1]), 1e-12);
        assertEquals(radius, s[0].stepNorm(), 1e-12);
        assertEquals(quadraticForm(C, x), s[0].lastQuadraticForm(), 1e-12, "x'Cx from the residual");
        double[] best = exactMinimiser(C, G, radius);
        double qs = model(C, G, x);
        double qb = model(C, G, best);
        assertTrue(qb <= qs + 1e-12 && qs <= 0.5 * qb, "Q(steihaug) = " + qs + ", Q(exact) = " + qb);
    }

    @Test
    void boundaryStepOnTheFirstSegmentIsAlongTheGradient() {
        TrustRegionSolve[] s = new TrustRegionSolve[1];
        double[] x = steihaug(C, G, 0.5, s);
        double gn = Math.hypot(G[0], G[1]);
        assertEquals(0.5 * G[0] / gn, x[0], 1e-12);
        assertEquals(0.5 * G[1] / gn, x[1], 1e-12);
        assertTrue(s[0].reachedBoundary());
    }

    @Test
    void negativeCurvatureGoesToTheBoundaryInsteadOfThrowing() {
        double[] indefinite = {1, 0, 0, -1};
        double[] g = {0, 1}; // gᵀCg = −1 < 0
        TrustRegionSolve[] s = new TrustRegionSolve[1];
        double[] x = steihaug(indefinite, g, 0.7, s);
        assertEquals(0.0, x[0], 1e-15);
        assertEquals(0.7, x[1], 1e-12);
        assertTrue(s[0].reachedBoundary());
        // without a radius there is no boundary to stop at: the plain CG solve reports the negative curvature
        ConjugateGradient cg = ConjugateGradient.DEFAULT.withPreconditioner(ConjugateGradient.Preconditioner.NONE);
        assertThrows(io.github.natgrad.NegativeCurvatureException.class,
                () -> cg.factor(indefinite, 2, 0.0).orElseThrow().solve(g, new double[2]));
    }

    @Test
    void theRadiusIsInThePreconditionersNorm() {
        double[] c = {100, 0, 0, 1};
        double[] g = {1, 1};
        TrustRegionSolve s = ConjugateGradient.withinRadius(system(c, ConjugateGradient.Preconditioner.JACOBI), 0.5)
                .orElseThrow();
        double[] x = new double[2];
        s.solve(g, x);
        // Jacobi-preconditioned CG's first iterate on a diagonal C is Newton's point (0.01, 1), ‖·‖_M = √1.01 > 0.5
        double t = 0.5 / Math.sqrt(1.01);
        assertEquals(0.01 * t, x[0], 1e-14);
        assertEquals(t, x[1], 1e-12);
        assertEquals(0.5, Math.sqrt(100 * x[0] * x[0] + x[1] * x[1]), 1e-12);
        assertEquals("M", s.norm());
    }

    @Test
    void refusesADenseSystemAndABadRadius() {
        CurvatureSystem dense = new io.github.natgrad.curvature.DenseCurvatureSystem("dense", C.clone(), 2,
                Solvers.cholesky());
        assertTrue(ConjugateGradient.withinRadius(dense, 1.0).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConjugateGradient.withinRadius(system(C, ConjugateGradient.Preconditioner.NONE), -1.0));
        assertTrue(e.getMessage().contains("radius must be > 0"), e.getMessage());
    }

    private static RealVector newton(double[] c, double[] g) {
        return new LUDecomposition(matrix(c)).getSolver().solve(new ArrayRealVector(g));
    }

    /** The dogleg point: the Cauchy point, then towards Newton's point, cut at the radius. */
    private static double[] dogleg(double[] c, double[] g, double radius) {
        RealMatrix m = matrix(c);
        RealVector gv = new ArrayRealVector(g);
        RealVector cauchy = gv.mapMultiply(gv.dotProduct(gv) / gv.dotProduct(m.operate(gv)));
        RealVector seg = newton(c, g).subtract(cauchy);
        double a = seg.dotProduct(seg);
        double b = 2 * cauchy.dotProduct(seg);
        double cc = cauchy.dotProduct(cauchy) - radius * radius;
        double t = (-b + Math.sqrt(b * b - 4 * a * cc)) / (2 * a);
        return cauchy.add(seg.mapMultiply(t)).toArray();
    }

    /** argmin Q over ‖x‖ ≤ Δ for a PD C: λ ≥ 0 with ‖(C + λI)⁻¹g‖ = Δ, by bisection in the eigenbasis. */
    static double[] exactMinimiser(double[] c, double[] g, double radius) {
        EigenDecomposition eig = new EigenDecomposition(matrix(c));
        RealVector gq = eig.getVT().operate(new ArrayRealVector(g));
        double[] w = eig.getRealEigenvalues();
        double lo = 0;
        double hi = 1;
        while (norm(w, gq, hi) > radius) {
            hi *= 2;
        }
        if (norm(w, gq, 0) <= radius) {
            hi = 0;
        }
        for (int i = 0; i < 200 && hi > 0; i++) {
            double mid = 0.5 * (lo + hi);
            if (norm(w, gq, mid) > radius) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double[] y = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            y[i] = gq.getEntry(i) / (w[i] + hi);
        }
        return eig.getV().operate(y);
    }

    private static double norm(double[] w, RealVector gq, double lambda) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            double v = gq.getEntry(i) / (w[i] + lambda);
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static RealMatrix matrix(double[] c) {
        int d = (int) Math.round(Math.sqrt(c.length));
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a[i][j] = c[i * d + j];
            }
        }
        return new Array2DRowRealMatrix(a);
    }

    private static double quadraticForm(double[] c, double[] x) {
        return new ArrayRealVector(x).dotProduct(matrix(c).operate(new ArrayRealVector(x)));
    }

    private static double model(double[] c, double[] g, double[] x) {
        return 0.5 * quadraticForm(c, x) - new ArrayRealVector(g).dotProduct(new ArrayRealVector(x));
    }
}
