package io.github.natgrad.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Factorization;
import io.github.natgrad.SolveStats;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * CG's {@link ConjugateGradient.StoppingRule#TRON} rule (LIBLINEAR's ‖r‖ ≤ 0.1‖g‖) and the xᵀAx it reports
 * for the optimizer's predicted decrease, against residuals and quadratic forms computed directly.
 */
class TronStoppingRuleTest {

    @Test
    void stopsAtTheFirstIterateWithinATenthOfTheGradientAndReportsXtAx() {
        int d = 60;
        double[] w = new double[d];
        for (int i = 0; i < d; i++) {
            w[i] = Math.pow(10, 3.0 * i / (d - 1)); // condition number 1000
        }
        RealMatrix m = SolverContractTest.withEigenvalues(w, 11);
        double[] c = SolverContractTest.rowMajor(m);
        double[] b = new SplittableRandom(5).doubles(d, -1, 1).toArray();
        double bNorm = norm(b);
        ConjugateGradient tron = ConjugateGradient.tron().withPreconditioner(ConjugateGradient.Preconditioner.NONE);
        Factorization f = tron.factor(c, d, 0.0).orElseThrow();
        double[] x = new double[d];
        f.solve(b, x);
        SolveStats stats = f.lastSolve();
        double[] r = residual(c, d, b, x);
        assertTrue(norm(r) <= 0.1 * bNorm * (1 + 1e-9), "|r| = " + norm(r) + " > 0.1 |b| = " + 0.1 * bNorm);
        assertTrue(stats.iterations() >= 2 && stats.iterations() < d, "iterations " + stats.iterations());
        // one iteration fewer does not meet the rule: the rule stops at the first iterate that does
        Factorization shorter = tron.withMaxIterations(stats.iterations() - 1).factor(c, d, 0.0).orElseThrow();
        double[] y = new double[d];
        shorter.solve(b, y);
        assertTrue(norm(residual(c, d, b, y)) > 0.1 * bNorm, "the previous iterate already met the rule");
        double xax = 0;
        double[] ax = new double[d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                ax[i] += c[i * d + j] * x[j];
            }
            xax += x[i] * ax[i];
        }
        assertEquals(xax, f.lastQuadraticForm(), 1e-9 * xax);
        assertTrue(Double.isNaN(tron.factor(c, d, 0.0).orElseThrow().lastQuadraticForm()), "NaN before a solve");
    }

    private static double[] residual(double[] c, int d, double[] b, double[] x) {
        double[] r = b.clone();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                r[i] -= c[i * d + j] * x[j];
            }
        }
        return r;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }
}
