package io.github.natgrad.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.Optimizer;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.models.SoftmaxRegression;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;
import java.nio.DoubleBuffer;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The oracle checker passes natgrad's own models and catches the mistakes a new user makes: a transposed
 * {@code jacobianRows}, a {@code vectorJacobianProduct} that adds instead of overwriting, an outputs array
 * one entry long, a wrong J v. The optimizer's per-step checks catch the last two without the checker.
 */
class OracleCheckerTest {

    static Batch batch(int n, int p, int classes, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return Batch.wrap(x, y, n, p);
    }

    static double[] theta(int d, long seed) {
        Random r = new Random(seed);
        double[] t = new double[d];
        for (int j = 0; j < d; j++) {
            t[j] = 0.5 * r.nextGaussian();
        }
        return t;
    }

    @Test
    void natgradsModelsPass() {
        Model[] models = {GeneralizedLinearModel.logisticRegression(4).withBias(),
            GeneralizedLinearModel.of(Likelihoods.probit(), 3),
            SoftmaxRegression.of(3, 3).withBias(),
            MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4, 3)};
        for (Model m : models) {
            int classes = m.likelihood().outputsPerExample() == 1 ? 2 : m.likelihood().outputsPerExample();
            OracleReport report = OracleChecker.defaults().check(m, theta(m.parameterCount(), 2),
                    batch(12, m.inputColumns(), classes, 1));
            assertTrue(report.passed(), report.toString());
            assertEquals(0, report.failures().size());
        }
    }

    /** Logistic regression (4 inputs, bias) with one part of its oracle replaced. */
    static Model broken(UnaryOperator<Linearization> breaker) {
        Model real = GeneralizedLinearModel.logisticRegression(4).withBias();
        return wrapped(real, (theta, batch) -> breaker.apply(real.linearize(theta, batch)), null);
    }

    /** {@code real} with its linearization replaced, and its preparation for a batch ({@code null}: the default). */
    static Model wrapped(Model real, java.util.function.BiFunction<double[], Batch, Linearization> linearize,
            java.util.function.Function<Batch, Model.OnBatch> prepare) {
        return new Model() {
            @Override
            public int parameterCount() {
                return real.parameterCount();
            }

            @Override
            public int inputColumns() {
                return real.inputColumns();
            }

            @Override
            public Likelihood likelihood() {
                return real.likelihood();
            }

            @Override
            public Set<ModelCapability> capabilities() {
                return real.capabilities();
            }

            @Override
            public Linearization linearize(double[] theta, Batch batch) {
                return linearize.apply(theta, batch);
            }

            @Override
            public OnBatch forBatch(Batch batch) {
                return prepare == null ? Model.super.forBatch(batch) : prepare.apply(batch);
            }
        };
    }

    /** Delegates everything to {@code in}; subclasses override the part they break. */
    static class Delegate implements Linearization {
        final Linearization in;

        Delegate(Linearization in) {
            this.in = in;
        }

        @Override
        public int rows() {
            return in.rows();
        }

        @Override
        public int outputsPerExample() {
            return in.outputsPerExample();
        }

        @Override
        public int parameterCount() {
            return in.parameterCount();
        }

        @Override
        public double[] outputs() {
            return in.outputs();
        }

        @Override
        public void vectorJacobianProduct(double[] u, double[] out) {
            in.vectorJacobianProduct(u, out);
        }

        @Override
        public void jacobianRows(int from, int to, double[] b, int m, DoubleBuffer out) {
            in.jacobianRows(from, to, b, m, out);
        }

        @Override
        public void addSecondOrderTerm(double[] r, double scale, double[] c) {
        }

        @Override
        public void jacobianVectorProduct(double[] v, double[] out) {
            in.jacobianVectorProduct(v, out);
        }

        @Override
        public boolean linearInParameters() {
            return true;
        }
    }

    static OracleReport checkBroken(Model model) {
        return OracleChecker.defaults().check(model, theta(model.parameterCount(), 3), batch(10, 4, 2, 4));
    }

    static boolean failed(OracleReport report, String checkPrefix) {
        return report.failures().stream().anyMatch(c -> c.name().startsWith(checkPrefix));
    }

    @Test
    void catchesAPreparedModelThatIsNotTheModel() {
        Model real = GeneralizedLinearModel.logisticRegression(4).withBias();
        Model model = wrapped(real, real::linearize, batch -> {
            double[] x = batch.x().clone();
            System.arraycopy(x, 0, x, 4, 4); // a layout bug: row 1 copied over row 2
            Batch wrong = Batch.wrap(x, batch.y(), batch.rows(), 4);
            return theta -> real.linearize(theta, wrong);
        });
        double[] theta = theta(5, 3);
        Batch batch = batch(12, 4, 2, 4);
        OracleReport report = OracleChecker.defaults().check(model, theta, batch);
        assertTrue(failed(report, "forBatch"), report.toString());
        assertFalse(failed(report, "gradient"), report.toString());
        assertTrue(OracleChecker.defaults().check(real, theta, batch).passed());
    }

    @Test
    void catchesATransposedJacobianRows() {
        Model m = broken(lin -> new Delegate(lin) {
            @Override
            public void jacobianRows(int from, int to, double[] b, int mm, DoubleBuffer out) {
                int rows = (to - from) * mm;
                int d = parameterCount();
                double[] right = new double[rows * d];
                in.jacobianRows(from, to, b, mm, DoubleBuffer.wrap(right));
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < d; j++) {
                        out.put(j * rows + r, right[r * d + j]); // column-major: the transpose
                    }
                }
            }
        });
        OracleReport report = checkBroken(m);
        assertFalse(report.passed());
        assertTrue(failed(report, "jacobianRows"), report.toString());
        assertFalse(failed(report, "gradient"), report.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, report::throwIfFailed);
        assertTrue(e.getMessage().contains("jacobianRows"));
    }

    @Test
    void catchesAVectorJacobianProductThatAdds() {
        Model m = broken(lin -> new Delegate(lin) {
            @Override
            public void vectorJacobianProduct(double[] u, double[] out) {
                double[] right = new double[out.length];
                in.vectorJacobianProduct(u, right);
                for (int j = 0; j < right.length; j++) {
                    out[j] += right[j];
                }
            }
        });
        OracleReport report = checkBroken(m);
        assertTrue(failed(report, "gradient"), report.toString());
        assertTrue(failed(report, "J'u overwrites"), report.toString());

        // and training with it stops at the first step, with the reason, instead of going wrong silently
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).withPrior(L2Prior.ofVariance(1)).build(m);
        double[] theta = new double[m.parameterCount()];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> opt.step(theta, batch(10, 4, 2, 4)));
        assertTrue(e.getMessage().contains("vectorJacobianProduct"), e.getMessage());
    }

    @Test
    void catchesAnOutputsArrayOneEntryLong() {
        Model m = broken(lin -> new Delegate(lin) {
            @Override
            public double[] outputs() {
                return new double[] {in.outputs()[0]};
            }
        });
        OracleReport report = checkBroken(m);
        assertTrue(failed(report, "shapes"), report.toString());
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).build(m);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> opt.step(new double[m.parameterCount()], batch(10, 4, 2, 4)));
        assertTrue(e.getMessage().contains("outputs()"), e.getMessage());
    }

    @Test
    void catchesAWrongJacobianVectorProduct() {
        Model m = broken(lin -> new Delegate(lin) {
            @Override
            public void jacobianVectorProduct(double[] v, double[] out) {
                in.jacobianVectorProduct(v, out);
                out[0] *= 2;
            }
        });
        OracleReport report = checkBroken(m);
        assertTrue(failed(report, "J v vs finite differences"), report.toString());
        assertTrue(failed(report, "adjoint"), report.toString());
    }

    @Test
    void optimizerRefusesAMatrixFreeSolverForAModelWithoutJv() {
        Model real = GeneralizedLinearModel.logisticRegression(4);
        Model noJv = new Model() {
            @Override
            public int parameterCount() {
                return real.parameterCount();
            }

            @Override
            public int inputColumns() {
                return real.inputColumns();
            }

            @Override
            public Likelihood likelihood() {
                return real.likelihood();
            }

            @Override
            public Set<ModelCapability> capabilities() {
                return Set.of(ModelCapability.JACOBIAN);
            }

            @Override
            public Linearization linearize(double[] theta, Batch batch) {
                return real.linearize(theta, batch);
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NaturalGradient.of(Curvatures.fisher()).withSolver(Solvers.conjugateGradient()).build(noJv));
        assertTrue(e.getMessage().contains("jacobianVectorProduct"), e.getMessage());
    }
}
