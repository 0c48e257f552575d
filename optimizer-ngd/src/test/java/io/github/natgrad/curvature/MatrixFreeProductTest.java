package io.github.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.CsrMatrix;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.models.SoftmaxRegression;
import io.github.natgrad.solve.Solvers;
import java.nio.DoubleBuffer;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every curvature kind's matrix-free product C v (from J v and Jᵀu, plus the second-order term's product
 * for the Hessian) equals the dense matrix built by the Gram route times v, to 1e-12 relative, for every
 * model natgrad ships; and the operator's diagonal and low-rank rows equal the dense matrix's.
 */
class MatrixFreeProductTest {
    private static final double PRIOR = 0.03;

    static List<Model> models() {
        return List.of(
                GeneralizedLinearModel.linearRegression(4).withBias(),
                GeneralizedLinearModel.logisticRegression(5).withBias(),
                GeneralizedLinearModel.of(Likelihoods.probit(), 3).withBias(),
                SoftmaxRegression.of(3, 4).withBias(),
                MultilayerPerceptron.of(3, Likelihoods.gaussian()).withHidden(4),
                MultilayerPerceptron.of(2, Likelihoods.bernoulli()).withHidden(3, 2).withActivation(Activation.SOFTPLUS),
                MultilayerPerceptron.of(2, Likelihoods.categorical(3)).withHidden(3, 4));
    }

    static Stream<Arguments> cases() {
        return models().stream().flatMap(m -> Stream.of("fisher", "mc-fisher", "empirical-fisher", "gauss-newton",
                "hessian").map(kind -> Arguments.of(m, kind)));
    }

    static Batch batch(Model model, int n, Random random) {
        int p = model.inputColumns();
        double[] x = new double[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble() < 0.3 ? 0.0 : random.nextGaussian();
        }
        int k = model.likelihood().outputsPerExample();
        double[] f = new double[n * k];
        for (int i = 0; i < f.length; i++) {
            f[i] = random.nextGaussian();
        }
        double[] y = new double[n];
        model.likelihood().sample(f, n, new org.apache.commons.math3.random.Well19937c(random.nextLong()), y);
        return Batch.wrap(x, y, n, p);
    }

    static double[] theta(Model model, Random random) {
        double[] t = new double[model.parameterCount()];
        for (int j = 0; j < t.length; j++) {
            t[j] = 0.6 * random.nextGaussian();
        }
        return t;
    }

    static double relativeError(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff / norm);
    }

    @ParameterizedTest(name = "{1} of {0}")
    @MethodSource("cases")
    void productEqualsTheDenseMatrixTimesV(Model model, String kind) {
        Random random = new Random(kind.hashCode() * 31L + model.parameterCount());
        Batch batch = batch(model, 9, random);
        double[] theta = theta(model, random);
        check(model, kind, batch, batch, theta, random);
    }

    @ParameterizedTest(name = "{1} of {0}, sparse batch")
    @MethodSource("sparseCases")
    void sparseBatchGivesTheSameProductsAsTheDenseOne(Model model, String kind) {
        Random random = new Random(7 + kind.hashCode());
        Batch dense = batch(model, 11, random);
        Batch sparse = Batch.of(CsrMatrix.fromDense(dense.x(), dense.rows(), dense.columns()), dense.y());
        check(model, kind, dense, sparse, theta(model, random), random);
    }

    static Stream<Arguments> sparseCases() {
        return cases().filter(a -> !(a.get()[0] instanceof MultilayerPerceptron));
    }

    /** Dense C from {@code denseBatch}; the operator from {@code operatorBatch} (same data). */
    private static void check(Model model, String kind, Batch denseBatch, Batch operatorBatch, double[] theta,
            Random random) {
        Likelihood likelihood = model.likelihood();
        int n = denseBatch.rows();
        int k = likelihood.outputsPerExample();
        int d = model.parameterCount();
        Curvature forDense = Curvatures.byName(kind, 2, 99);
        Curvature forOperator = Curvatures.byName(kind, 2, 99);

        Linearization lin = model.linearize(theta, denseBatch);
        double[] r = new double[n * k];
        likelihood.lossAndResidual(lin.outputs(), denseBatch.y(), n, r);
        double[] c = forDense.build(lin, denseBatch, likelihood, r, PRIOR, Solvers.cholesky()).toDense();

        Linearization lin2 = model.linearize(theta, operatorBatch);
        double[] r2 = new double[n * k];
        likelihood.lossAndResidual(lin2.outputs(), operatorBatch.y(), n, r2);
        CurvatureOperator op = forOperator.operator(lin2, operatorBatch, likelihood, r2, PRIOR);

        for (int t = 0; t < 3; t++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = random.nextGaussian();
            }
            double[] expected = new double[d];
            Blas.gemv(d, d, 1.0, c, v, 0.0, expected);
            double[] actual = new double[d];
            java.util.Arrays.fill(actual, 5.0); // the product must overwrite
            op.multiply(v, actual);
            double err = relativeError(expected, actual);
            assertTrue(err <= 1e-12, kind + " product of " + model.describe() + ": relative error " + err);
        }
        assertTrue(op.products() == 3, "products are counted");

        boolean secondOrder = kind.equals("hessian") && !lin2.linearInParameters();
        assertTrue(op.positiveSemidefinite() != secondOrder);
        if (secondOrder) {
            assertTrue(op.diagonal().isEmpty());
            assertTrue(op.lowRank().isEmpty());
            return;
        }
        double[] diag = op.diagonal().orElseThrow();
        double[] expectedDiag = new double[d];
        for (int j = 0; j < d; j++) {
            expectedDiag[j] = c[j * d + j];
        }
        assertTrue(relativeError(expectedDiag, diag) <= 1e-12, "diagonal of " + kind);

        CurvatureOperator.LowRank form = op.lowRank().orElseThrow();
        double[] u = new double[form.rank() * d];
        form.rows(DoubleBuffer.wrap(u));
        double[] rebuilt = new double[d * d];
        Blas.gemmTransA(d, d, form.rank(), form.scale(), u, u, 0.0, rebuilt);
        for (int j = 0; j < d; j++) {
            rebuilt[j * d + j] += form.shift();
        }
        assertTrue(relativeError(c, rebuilt) <= 1e-12, "low-rank form of " + kind);
    }

    @ParameterizedTest(name = "J v of {0} is the Jacobian times v")
    @MethodSource("models")
    void jacobianVectorProductMatchesTheRows(Model model) {
        Random random = new Random(3);
        Batch batch = batch(model, 6, random);
        Linearization lin = model.linearize(theta(model, random), batch);
        int n = batch.rows();
        int k = lin.outputsPerExample();
        int d = lin.parameterCount();
        double[] identity = new double[n * k * k];
        for (int i = 0; i < n * k; i++) {
            identity[i * k + i % k] = 1;
        }
        double[] rows = new double[n * k * d];
        lin.jacobianRows(0, n, identity, k, DoubleBuffer.wrap(rows));
        double[] v = theta(model, random);
        double[] expected = new double[n * k];
        Blas.gemv(n * k, d, 1.0, rows, v, 0.0, expected);
        double[] actual = new double[n * k];
        lin.jacobianVectorProduct(v, actual);
        assertArrayEquals(expected, actual, 1e-12 * java.util.Arrays.stream(expected).map(Math::abs).max().orElse(1));
        assertFalse(model instanceof MultilayerPerceptron mlp && mlp.hidden().length > 0 && lin.linearInParameters());
    }
}
