package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import java.nio.DoubleBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The identities between the curvature kinds that hold for canonical-link GLMs, and the ones that must
 * not: Fisher = Gauss-Newton = Hessian; the empirical Fisher differs in general, and for logistic
 * regression equals them at θ = 0.
 */
class IdentitiesTest {
    private static final SyntheticGlm LOGISTIC = SyntheticGlm.logistic(200, 5, 3.0, 21);
    private static final SyntheticGlm LINEAR = SyntheticGlm.linear(200, 5, 3.0, 22);
    private static final GeneralizedLinearModel LOGIT = GeneralizedLinearModel.logisticRegression(5).withBias();
    private static final GeneralizedLinearModel GAUSS = GeneralizedLinearModel.linearRegression(5).withBias();

    private static final double[] THETA = {0.3, -0.7, 1.1, 0.2, -0.4, 0.5};

    @Test
    void fisherGaussNewtonAndHessianCoincideForCanonicalLinks() {
        for (var c : new Object[][] {{LOGIT, LOGISTIC}, {GAUSS, LINEAR}}) {
            Model m = (Model) c[0];
            Batch b = ((SyntheticGlm) c[1]).batch();
            RealMatrix f = Reference.curvature(Curvatures.fisher(), m, THETA, b, null);
            RealMatrix g = Reference.curvature(Curvatures.gaussNewton(), m, THETA, b, null);
            RealMatrix h = Reference.curvature(Curvatures.hessian(), m, THETA, b, null);
            assertTrue(Reference.relativeDistance(g, f) < 1e-14);
            assertTrue(Reference.relativeDistance(h, f) < 1e-14);
        }
    }

    @Test
    void empiricalFisherDiffersFromTheFisherInGeneral() {
        for (var c : new Object[][] {{LOGIT, LOGISTIC}, {GAUSS, LINEAR}}) {
            Model m = (Model) c[0];
            Batch b = ((SyntheticGlm) c[1]).batch();
            RealMatrix f = Reference.curvature(Curvatures.fisher(), m, THETA, b, null);
            RealMatrix ef = Reference.curvature(Curvatures.empiricalFisher(), m, THETA, b, null);
            assertTrue(Reference.relativeDistance(ef, f) > 0.1, "EF vs F: " + Reference.relativeDistance(ef, f));
        }
    }

    @Test
    void empiricalFisherEqualsTheFisherForLogisticRegressionAtZero() {
        double[] zero = new double[6];
        RealMatrix f = Reference.curvature(Curvatures.fisher(), LOGIT, zero, LOGISTIC.batch(), null);
        RealMatrix ef = Reference.curvature(Curvatures.empiricalFisher(), LOGIT, zero, LOGISTIC.batch(), null);
        // at θ = 0, σ = 1/2 and (σ − y)² = 1/4 = σ(1 − σ) for y ∈ {0, 1}: exactly equal up to rounding
        assertTrue(Reference.relativeDistance(ef, f) < 1e-15);
    }

    /**
     * The Hessian kind goes through the model's second-order term and the Gauss-Newton kind does not,
     * so the equalities above are properties of the models, not shortcuts: a model with a (fake)
     * non-zero second-order term makes them differ by exactly that term.
     */
    @Test
    void hessianAddsTheModelsSecondOrderTermAndGaussNewtonDoesNot() {
        Model withTerm = new Model() {
            @Override
            public int parameterCount() {
                return LOGIT.parameterCount();
            }

            @Override
            public int inputColumns() {
                return LOGIT.inputColumns();
            }

            @Override
            public Likelihood likelihood() {
                return LOGIT.likelihood();
            }

            @Override
            public Set<ModelCapability> capabilities() {
                return EnumSet.allOf(ModelCapability.class);
            }

            @Override
            public Linearization linearize(double[] theta, Batch batch) {
                Linearization inner = LOGIT.linearize(theta, batch);
                return new Linearization() {
                    public int rows() {
                        return inner.rows();
                    }

                    public int outputsPerExample() {
                        return 1;
                    }

                    public int parameterCount() {
                        return inner.parameterCount();
                    }

                    public double[] outputs() {
                        return inner.outputs();
                    }

                    public void vectorJacobianProduct(double[] u, double[] out) {
                        inner.vectorJacobianProduct(u, out);
                    }

                    public void jacobianRows(int from, int to, double[] b, int m, DoubleBuffer out) {
                        inner.jacobianRows(from, to, b, m, out);
                    }

                    public void addSecondOrderTerm(double[] r, double scale, double[] c) {
                        double sum = 0;
                        for (int i = 0; i < rows(); i++) {
                            sum += r[i];
                        }
                        c[0] += scale * sum; // as if ∇²f_i = e₀e₀ᵀ for every example
                    }
                };
            }
        };
        RealMatrix g = Reference.curvature(Curvatures.gaussNewton(), withTerm, THETA, LOGISTIC.batch(), null);
        RealMatrix h = Reference.curvature(Curvatures.hessian(), withTerm, THETA, LOGISTIC.batch(), null);
        RealMatrix g0 = Reference.curvature(Curvatures.gaussNewton(), LOGIT, THETA, LOGISTIC.batch(), null);
        double[] r = new double[200];
        Linearization lin = LOGIT.linearize(THETA, LOGISTIC.batch());
        LOGIT.likelihood().lossAndResidual(lin.outputs(), LOGISTIC.batch().y(), 200, r);
        double meanResidual = java.util.Arrays.stream(r).sum() / 200;
        assertEquals(0.0, g.subtract(g0).getFrobeniusNorm(), 0.0);
        RealMatrix diff = h.subtract(g);
        assertEquals(meanResidual, diff.getEntry(0, 0), 1e-15);
        diff.setEntry(0, 0, 0);
        assertEquals(0.0, diff.getFrobeniusNorm(), 0.0);
    }
}
