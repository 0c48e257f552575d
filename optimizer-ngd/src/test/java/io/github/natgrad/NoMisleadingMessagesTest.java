package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A matrix is called "not positive definite", with "raise lambda above −λ_min", only when it is: a NaN or
 * infinite curvature is reported as such, and a failed factorisation of a matrix whose eigenvalues say it is
 * positive definite is not blamed on its eigenvalues.
 */
class NoMisleadingMessagesTest {

    @Test
    void aNonFiniteCurvatureIsReportedAsSuchNeverAsRaiseLambdaAboveNaN() {
        String m = new CurvatureNotPositiveDefiniteException("fisher", Double.NaN, 0.57).getMessage();
        assertFalse(m.contains("above NaN") || m.contains("Raise lambda above"), m);
        assertTrue(m.contains("NaN or infinite entries"), m);
        String cg = new NegativeCurvatureException("fisher", Double.NaN, 0.1, 3).getMessage();
        assertFalse(cg.contains("above NaN"), cg);
        assertTrue(cg.contains("not finite"), cg);
    }

    @Test
    void aPositiveDefiniteMatrixIsNotCalledNotPositiveDefinite() {
        String m = new CurvatureNotPositiveDefiniteException("K-FAC input factor A", 0.01, 0.57).getMessage();
        assertFalse(m.contains("is not positive definite"), m);
        assertFalse(m.contains("above -0.01"), m);
        assertTrue(m.contains("eigenvalues say it is positive definite"), m);
    }

    @Test
    void aMatrixThatIsNotPositiveDefiniteStillSaysSoWithTheFix() {
        String m = new CurvatureNotPositiveDefiniteException("hessian", -2.5, 1.0).getMessage();
        assertTrue(m.contains("is not positive definite") && m.contains("Raise lambda above 2.50000"), m);
    }

    @Test
    void aKfacFactorWithANaNSaysWhereItCameFrom() {
        double[] s = {1, 0, 0, Double.NaN};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> io.github.natgrad.layerwise.SymmetricInverseAccess.inverse(s, 2, 0.57, "K-FAC input factor A"));
        assertTrue(e.getMessage().contains("non-finite entry [1][1] = NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("inputs (activations)"), e.getMessage());
        assertFalse(e.getMessage().contains("positive definite"), e.getMessage());
    }
}
