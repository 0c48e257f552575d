package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import java.nio.DoubleBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The identities between the curvature kinds, each checked against computations that share no code with
 * the kinds: Jacobians by central differences of the model's outputs, Hessians by central differences of
 * the gradient, closed forms in Commons Math. For a canonical link the Fisher equals the Gauss-Newton
 * matrix (even for a network, where both differ from the Hessian by the network's second-order term); for
 * the probit link the Gauss-Newton matrix of a GLM equals its Hessian but not its Fisher; the empirical
 * Fisher differs from the Fisher in general, and for logistic regression equals it at θ = 0.
 */
class IdentitiesTest {
    private static final SyntheticGlm LOGISTIC = SyntheticGlm.logistic(200, 5, 3.0, 21);
    private static final GeneralizedLinearModel LOGIT = GeneralizedLinearModel.logisticRegression(5).withBias();
    private static final double[] THETA = {0.3, -0.7, 1.1, 0.2, -0.4, 0.5};

    private static final SyntheticGlm SMALL_LINEAR = SyntheticGlm.linear(60, 3, 2.0, 23);
    private static final SyntheticGlm SMALL_LOGISTIC = SyntheticGlm.logistic(60, 3, 2.0, 24);

    /** J (N × D) by central differences of the model's outputs (one output per example). */
    private static RealMatrix jacobianByDifferences(Model model, double[] theta, Batch batch) {
        int n = batch.rows();
        int d = theta.length;
        double h = 1e-6;
        RealMatrix j = new Array2DRowRealMatrix(n, d);
        for (int k = 0; k < d; k++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += h;
            minus[k] -= h;
            double[] fp = model.linearize(plus, batch).outputs();
            double[] fm = model.linearize(minus, batch).outputs();
            for (int i = 0; i < n; i++) {
                j.setEntry(i, k, (fp[i] - fm[i]) / (2 * h));
            }
        }
        return j;
    }

    private static double[] outputs(Model model, double[] theta, Batch batch) {
        return model.linearize(theta, batch).outputs().clone();
    }

    @Test
    void forCanonicalLinksTheFisherAndGaussNewtonOfANetworkAreJtLambdaJFromDifferencedJacobians() {
        for (boolean bernoulli : new boolean[] {false, true}) {
            Batch b = (bernoulli ? SMALL_LOGISTIC : SMALL_LINEAR).batch();
            MultilayerPerceptron mlp = MultilayerPerceptron.of(3, bernoulli ? Likelihoods.bernoulli()
                    : Likelihoods.gaussian()).withHidden(4);
            double[] theta = mlp.initialParameters(7);
            RealMatrix j = jacobianByDifferences(mlp, theta, b);
            double[] f = outputs(mlp, theta, b);
            double[] lambda = new double[b.rows()];
            for (int i = 0; i < lambda.length; i++) {
                double s = Reference.sigmoid(f[i]);
                lambda[i] = bernoulli ? s * (1 - s) : 1.0;
            }
            RealMatrix expected = Reference.weightedGram(j, lambda);
            RealMatrix fisher = Reference.curvature(Curvatures.fisher(), mlp, theta, b, null);
            RealMatrix ggn = Reference.curvature(Curvatures.gaussNewton(), mlp, theta, b, null);
            String what = bernoulli ? "bernoulli" : "gaussian";
            assertTrue(Reference.relativeDistance(fisher, expected) < 1e-8, what + " F: "
                    + Reference.relativeDistance(fisher, expected));
            assertTrue(Reference.relativeDistance(ggn, expected) < 1e-8, what + " GGN: "
                    + Reference.relativeDistance(ggn, expected));
        }
    }

    @Test
    void theHessianOfANetworkIsTheDifferencedGradientAndDiffersFromGaussNewtonByTheSecondOrderTerm() {
        Batch b = SMALL_LINEAR.batch();
        MultilayerPerceptron mlp = MultilayerPerceptron.of(3, Likelihoods.gaussian()).withHidden(4);
        double[] theta = mlp.initialParameters(8);
        RealMatrix expectedHessian = Reference.finiteDifferenceHessian(mlp, theta, b, null, 1e-5);
        RealMatrix j = jacobianByDifferences(mlp, theta, b);
        double[] ones = new double[b.rows()];
        java.util.Arrays.fill(ones, 1.0);
        RealMatrix expectedGgn = Reference.weightedGram(j, ones);
        RealMatrix hessian = Reference.curvature(Curvatures.hessian(), mlp, theta, b, null);
        assertTrue(Reference.relativeDistance(hessian, expectedHessian) < 1e-6,
                "H: " + Reference.relativeDistance(hessian, expectedHessian));
        // the second-order term is not negligible here, so the two checks are different checks
        double term = Reference.relativeDistance(expectedHessian, expectedGgn);
        assertTrue(term > 0.05, "||H - GGN|| / ||GGN|| = " + term);
    }

    @Test
    void forTheProbitLinkGaussNewtonIsTheHessianOfTheGlmButNotItsFisher() {
        GeneralizedLinearModel probit = GeneralizedLinearModel.of(Likelihoods.probit(), 5).withBias();
        Batch b = LOGISTIC.batch();
        RealMatrix x = Reference.design(b, true);
        double[] f = x.operate(THETA);
        NormalDistribution normal = new NormalDistribution(null, 0, 1);
        double[] w = new double[b.rows()];
        for (int i = 0; i < w.length; i++) {
            double phi = normal.density(f[i]);
            double cdf = normal.cumulativeProbability(f[i]);
            w[i] = phi * phi / (cdf * (1 - cdf)); // the Fisher information of p = Φ(f) about f
        }
        RealMatrix expectedFisher = Reference.weightedGram(x, w);
        RealMatrix expectedHessian = Reference.finiteDifferenceHessian(probit, THETA, b, null, 1e-5);
        RealMatrix fisher = Reference.curvature(Curvatures.fisher(), probit, THETA, b, null);
        RealMatrix ggn = Reference.curvature(Curvatures.gaussNewton(), probit, THETA, b, null);
        RealMatrix hessian = Reference.curvature(Curvatures.hessian(), probit, THETA, b, null);
        assertTrue(Reference.relativeDistance(fisher, expectedFisher) < 1e-12);
        assertTrue(Reference.relativeDistance(ggn, expectedHessian) < 1e-6);
        assertTrue(Reference.relativeDistance(hessian, expectedHessian) < 1e-6);
        assertTrue(Reference.relativeDistance(expectedHessian, expectedFisher) > 0.05,
                "H vs F: " + Reference.relativeDistance(expectedHessian, expectedFisher));
    }

    @Test
    void theEmpiricalFisherIsTheMeanOuterProductOfResidualsAndDiffersFromTheFisher() {
        Batch b = LOGISTIC.batch();
        RealMatrix x = Reference.design(b, true);
        double[] f = x.operate(THETA);
        double[] fisherWeight = new double[b.rows()];
        double[] empiricalWeight = new double[b.rows()];
        for (int i = 0; i < f.length; i++) {
            double s = Reference.sigmoid(f[i]);
            fisherWeight[i] = s * (1 - s);
            empiricalWeight[i] = (s - b.y()[i]) * (s - b.y()[i]);
        }
        RealMatrix expectedFisher = Reference.weightedGram(x, fisherWeight);
        RealMatrix expectedEmpirical = Reference.weightedGram(x, empiricalWeight);
        RealMatrix ef = Reference.curvature(Curvatures.empiricalFisher(), LOGIT, THETA, b, null);
        assertTrue(Reference.relativeDistance(ef, expectedEmpirical) < 1e-13);
        assertTrue(Reference.relativeDistance(expectedEmpirical, expectedFisher) > 0.1,
                "EF vs F: " + Reference.relativeDistance(expectedEmpirical, expectedFisher));
    }

    @Test
    void atZeroTheEmpiricalFisherOfLogisticRegressionEqualsItsFisherXtXOverFourN() {
        double[] zero = new double[6];
        RealMatrix x = Reference.design(LOGISTIC.batch(), true);
        // at θ = 0, σ = 1/2 and (σ − y)² = 1/4 = σ(1 − σ) for y ∈ {0, 1}
        RealMatrix expected = x.transpose().multiply(x).scalarMultiply(0.25 / LOGISTIC.batch().rows());
        RealMatrix f = Reference.curvature(Curvatures.fisher(), LOGIT, zero, LOGISTIC.batch(), null);
        RealMatrix ef = Reference.curvature(Curvatures.empiricalFisher(), LOGIT, zero, LOGISTIC.batch(), null);
        assertTrue(Reference.relativeDistance(f, expected) < 1e-14);
        assertTrue(Reference.relativeDistance(ef, expected) < 1e-14);
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
