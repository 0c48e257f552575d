package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.optim.NaturalGradient;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.factory.Nd4j;

/** Bad input gets an exception that says what was wrong and where. */
class BadInputTest {
    private static final GeneralizedLinearModel MODEL = GeneralizedLinearModel.logisticRegression(2).withBias();
    private static final Batch BATCH = Batch.of(new double[][] {{1, 2}, {3, 4}, {5, 6}}, new double[] {0, 1, 1});

    private static void fails(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }

    @Test
    void thetaOfTheWrongLength() {
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).build(MODEL);
        fails(() -> opt.step(new double[2], BATCH), "theta has length 2", "needs 3");
    }

    @Test
    void batchWithTheWrongNumberOfColumns() {
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).build(MODEL);
        Batch wide = Batch.of(new double[][] {{1, 2, 3}}, new double[] {1});
        fails(() -> opt.step(new double[3], wide), "3 input columns", "reads 2");
    }

    @Test
    void labelsAndRowsThatDisagree() {
        fails(() -> Batch.of(new double[][] {{1, 2}, {3, 4}}, new double[] {1}), "2 rows", "1 labels");
        fails(() -> Batch.of(Nd4j.create(new double[][] {{1, 2}, {3, 4}}), Nd4j.create(new double[] {1, 0, 1})),
                "2 rows", "3 labels");
        fails(() -> Batch.of(new double[][] {{1, 2}, {3}}, new double[] {1, 0}), "row 1 has 1 values");
    }

    @Test
    void nanAndInfinityInTheDataNameTheirPlace() {
        fails(() -> Batch.of(new double[][] {{1, 2}, {3, Double.NaN}}, new double[] {1, 0}), "x[1][1]", "NaN");
        fails(() -> Batch.of(new double[][] {{1, 2}, {3, 4}}, new double[] {Double.POSITIVE_INFINITY, 0}),
                "y[0]", "Infinity");
    }

    @Test
    void nanAndInfinityInTheParameters() {
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).build(MODEL);
        fails(() -> opt.step(new double[] {0, Double.NaN, 0}, BATCH), "theta[1]", "NaN");
        fails(() -> opt.step(new double[] {0, 0, Double.NEGATIVE_INFINITY}, BATCH), "theta[2]", "-Infinity");
    }

    @Test
    void emptyBatch() {
        fails(() -> Batch.of(new double[0][], new double[0]), "empty batch");
        fails(() -> Batch.wrap(new double[0], new double[0], 0, 2), "empty batch");
    }

    @Test
    void labelsTheLikelihoodCannotTake() {
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).build(MODEL);
        Batch pm = Batch.of(new double[][] {{1, 2}, {3, 4}}, new double[] {-1, 1});
        fails(() -> opt.step(new double[3], pm), "y[0] is -1.0", "0 or 1");
    }

    @Test
    void invalidStepSizesDampingsAndPriors() {
        NaturalGradient ng = NaturalGradient.of(Curvatures.fisher());
        fails(() -> ng.withStepSize(-1), "step size", "-1");
        fails(() -> ng.withStepSize(Double.NaN), "step size", "NaN");
        fails(() -> ng.withStepSize(0), "step size");
        fails(() -> Damping.fixed(-1e-3), "damping", "-0.001");
        fails(() -> Damping.fixed(Double.NaN), "damping", "NaN");
        fails(() -> new L2Prior(0, 0), "prior variance");
        fails(() -> Likelihoods.gaussian(-2), "noise variance");
        fails(() -> Likelihoods.bernoulli(0.7), "clip");
        fails(() -> Curvatures.monteCarloFisher(0, 1), "samples");
        fails(() -> Curvatures.byName("newton", 1, 1), "unknown curvature 'newton'", "fisher");
    }

    @Test
    void aModelWithoutWhatTheCurvatureNeedsIsRefusedWhenTheOptimizerIsBuilt() {
        Model jacobianOnly = new Model() {
            public int parameterCount() {
                return 3;
            }

            public int inputColumns() {
                return 2;
            }

            public Likelihood likelihood() {
                return MODEL.likelihood();
            }

            public Set<ModelCapability> capabilities() {
                return Set.of(ModelCapability.JACOBIAN);
            }

            public Linearization linearize(double[] theta, Batch batch) {
                return MODEL.linearize(theta, batch);
            }
        };
        fails(() -> NaturalGradient.of(Curvatures.hessian()).build(jacobianOnly), "hessian", "SECOND_ORDER_TERM",
                "gauss-newton");
        NaturalGradient.of(Curvatures.gaussNewton()).build(jacobianOnly); // fine: it needs only the Jacobian
    }

    /**
     * A model whose vector-Jacobian product leaves out[1] unwritten from its {@code good}-th call on (the
     * GLM's product otherwise).
     */
    private static Model skippingFrom(int good) {
        int[] calls = {0};
        return new Model() {
            @Override
            public int parameterCount() {
                return MODEL.parameterCount();
            }

            @Override
            public int inputColumns() {
                return MODEL.inputColumns();
            }

            @Override
            public Likelihood likelihood() {
                return MODEL.likelihood();
            }

            @Override
            public Set<ModelCapability> capabilities() {
                return Set.of(ModelCapability.JACOBIAN);
            }

            @Override
            public Linearization linearize(double[] theta, Batch batch) {
                Linearization lin = MODEL.linearize(theta, batch);
                return new Linearization() {
                    public int rows() {
                        return lin.rows();
                    }

                    public int outputsPerExample() {
                        return 1;
                    }

                    public int parameterCount() {
                        return lin.parameterCount();
                    }

                    public double[] outputs() {
                        return lin.outputs();
                    }

                    public void vectorJacobianProduct(double[] u, double[] out) {
                        double[] full = new double[out.length];
                        lin.vectorJacobianProduct(u, full);
                        for (int j = 0; j < out.length; j++) {
                            if (j != 1 || calls[0] < good) {
                                out[j] = full[j];
                            }
                        }
                        calls[0]++;
                    }

                    public void jacobianRows(int from, int to, double[] b, int m, java.nio.DoubleBuffer out) {
                        lin.jacobianRows(from, to, b, m, out);
                    }

                    public void addSecondOrderTerm(double[] r, double scale, double[] c) {
                    }
                };
            }
        };
    }

    @Test
    void aGradientLeftUnwrittenIsCaughtOnTheFirstStepOfEachBatch() {
        Optimizer broken = NaturalGradient.of(Curvatures.fisher()).build(skippingFrom(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> broken.step(new double[3], BATCH));
        assertTrue(e.getMessage().contains("left out[1] NaN") && e.getMessage().contains("OracleChecker"),
                e.getMessage());

        // the check runs once per batch (an O(N + D) pass): a product that breaks after the first step on a
        // batch is caught on the next batch, not on the same one
        Optimizer later = NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.fixed(1e-3))
                .build(skippingFrom(1));
        double[] theta = new double[3];
        later.step(theta, BATCH);
        later.step(theta, BATCH);
        Batch next = Batch.of(new double[][] {{1, 2}, {3, 4}, {5, 6}}, new double[] {0, 1, 1});
        assertThrows(IllegalStateException.class, () -> later.step(new double[3], next));
    }
}
