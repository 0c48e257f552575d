package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.RandomData;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.layerwise.Structure;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.solve.Solvers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * A prior with a per-parameter precision scale ({@link L2Prior#withScale}): its penalty, gradient and curvature
 * against closed forms, finite differences and Commons Math solves; every curvature kind, solver and layer-wise
 * structure with a uniform scale takes the isotropic prior's step; bad scales are refused with a clear message.
 */
class ScaledPriorTest {
    private static final MultilayerPerceptron MLP = MultilayerPerceptron.of(3, Likelihoods.categorical(3))
            .withHidden(4).withActivation(Activation.TANH);

    private static Batch batch(Model model, int n, long seed) {
        return RandomData.labelled(model, n, seed);
    }

    private static double[] random(int d, long seed, double scale) {
        return RandomData.gaussian(d, seed, scale);
    }

    private static double maxRelative(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int j = 0; j < expected.length; j++) {
            diff = Math.max(diff, Math.abs(expected[j] - actual[j]));
            norm = Math.max(norm, Math.abs(expected[j]));
        }
        return diff / Math.max(norm, 1e-300);
    }

    /** Weights-only with precision 0.3 on the weights, 0 on the biases (N = 1: the precision is the scale). */
    private static L2Prior weightsOnly() {
        return new L2Prior(1.0, 1).withScale(MLP.priorScale(0.3, 0.0));
    }

    @Test
    void mlpAndGlmScalesMarkWeightsAndBiases() {
        double[] s = MLP.priorScale(2.0, 0.5);
        // layer 0: 4 x 3 weights then 4 biases; layer 1: 3 x 4 weights then 3 biases
        for (int j = 0; j < s.length; j++) {
            boolean bias = (j >= 12 && j < 16) || j >= 28;
            assertEquals(bias ? 0.5 : 2.0, s[j], 0.0, "parameter " + j);
        }
        assertEquals(MLP.parameterCount(), s.length);
        double[] g = GeneralizedLinearModel.logisticRegression(3).withBias().priorScale(1.0, 0.0);
        assertEquals(4, g.length);
        assertEquals(0.0, g[3], 0.0);
        assertEquals(1.0, g[0], 0.0);
    }

    @Test
    void penaltyIsTheClosedFormAndTheGradientItsFiniteDifference() {
        Batch b = batch(MLP, 30, 1);
        double[] theta = random(MLP.parameterCount(), 2, 0.7);
        L2Prior prior = weightsOnly();
        double[] s = MLP.priorScale(0.3, 0.0);
        MinibatchObjective none = new MinibatchObjective(MLP, null);
        MinibatchObjective with = new MinibatchObjective(MLP, prior);
        double penalty = 0;
        for (int j = 0; j < theta.length; j++) {
            penalty += 0.5 * s[j] * theta[j] * theta[j];
        }
        assertEquals(none.loss(theta, b) + penalty, with.loss(theta, b), 1e-14);
        double[] gradient = new double[theta.length];
        double loss = with.lossAndGradient(theta, MLP.linearize(theta, b), b, gradient);
        assertEquals(with.loss(theta, b), loss, 1e-14);
        // central differences of the objective with the prior
        double h = 1e-5;
        double[] fd = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[j] += h;
            minus[j] -= h;
            fd[j] = (with.loss(plus, b) - with.loss(minus, b)) / (2 * h);
        }
        assertTrue(maxRelative(fd, gradient) < 1e-8, "gradient vs finite differences: " + maxRelative(fd, gradient));
        // the optimizers' own objective is the same
        for (OptimizerFactory f : new OptimizerFactory[] {NaturalGradient.of(Curvatures.fisher()).withPrior(prior),
                LayerwiseNaturalGradient.kfac().withPrior(prior), Adam.defaults().withPrior(prior)}) {
            assertEquals(with.loss(theta, b), f.build(MLP).loss(theta, b), 1e-14, f.toString());
        }
    }

    @Test
    void everyDenseKindAndItsOperatorAddTheDiagonal() {
        Batch b = batch(MLP, 25, 3);
        double[] theta = random(MLP.parameterCount(), 4, 0.5);
        int d = theta.length;
        double[] p = new L2Prior(1.0, 1).withScale(MLP.priorScale(0.3, 0.05)).precisions(b.rows(), d);
        Linearization lin = MLP.linearize(theta, b);
        double[] residual = new double[b.rows() * 3];
        MLP.likelihood().lossAndResidual(lin.outputs(), b.y(), b.rows(), residual);
        double[] v = random(d, 5, 1.0);
        for (Curvature kind : new Curvature[] {Curvatures.fisher(), Curvatures.empiricalFisher(),
                Curvatures.gaussNewton(), Curvatures.hessian(), Curvatures.monteCarloFisher(2, 9)}) {
            double[] plain = new double[d];
            kind.copy().build(lin, b, MLP.likelihood(), residual.clone(), 0.0, Solvers.cholesky()).multiply(v, plain);
            double[] scaled = new double[d];
            CurvatureSystem system = kind.copy().build(lin, b, MLP.likelihood(), residual.clone(), p,
                    Solvers.cholesky());
            system.multiply(v, scaled);
            double[] operator = new double[d];
            CurvatureOperator op = kind.copy().operator(lin, b, MLP.likelihood(), residual.clone(), p);
            op.multiply(v, operator);
            double[] expected = new double[d];
            for (int j = 0; j < d; j++) {
                expected[j] = plain[j] + p[j] * v[j];
            }
            assertTrue(maxRelative(expected, scaled) < 1e-13, kind.name() + " dense: " + maxRelative(expected, scaled));
            assertTrue(maxRelative(expected, operator) < 1e-12, kind.name() + " operator: "
                    + maxRelative(expected, operator));
            assertTrue(op.lowRank().isEmpty(), kind.name() + ": not τI + UᵀU with a per-parameter prior");
        }
        // the diagonal a Jacobi preconditioner reads carries p too
        Curvature fisher = Curvatures.fisher();
        double[] diag0 = fisher.copy().operator(lin, b, MLP.likelihood(), residual.clone(), 0.0).diagonal()
                .orElseThrow();
        double[] diag = fisher.copy().operator(lin, b, MLP.likelihood(), residual.clone(), p).diagonal().orElseThrow();
        for (int j = 0; j < d; j++) {
            assertEquals(diag0[j] + p[j], diag[j], 1e-15 * Math.max(1, Math.abs(diag[j])));
        }
    }

    /** Every kind, solver and structure: a scale of all ones is the isotropic prior, step for step. */
    @Test
    void aUniformScaleTakesTheIsotropicStepsEverywhere() {
        Batch b = batch(MLP, 40, 6);
        int d = MLP.parameterCount();
        double[] ones = new double[d];
        java.util.Arrays.fill(ones, 1.0);
        L2Prior isotropic = new L2Prior(2.0, 0);
        L2Prior uniform = isotropic.withScale(ones);
        Map<String, OptimizerFactory> configs = new LinkedHashMap<>();
        configs.put("fisher", NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.fixed(1e-2)));
        configs.put("fisher-cg", NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.fixed(1e-2))
                .withSolver(Solvers.conjugateGradient()));
        configs.put("eigen-lm", NaturalGradient.of(Curvatures.gaussNewton()).withSolver(Solvers.eigen())
                .withDamping(Damping.levenbergMarquardt()).withStepRejection(2));
        configs.put("hessian", NaturalGradient.of(Curvatures.hessian()).withDamping(Damping.shiftToPositiveDefinite())
                .withStepRejection(2));
        configs.put("empirical-fisher-line-search", NaturalGradient.of(Curvatures.empiricalFisher())
                .withDamping(Damping.fixed(1e-1)).withLineSearch(new ArmijoLineSearch(1e-4, 0.5, 10)));
        configs.put("mc-fisher-cg", NaturalGradient.of(Curvatures.monteCarloFisher(1, 3))
                .withDamping(Damping.fixed(1e-2)).withSolver(Solvers.conjugateGradient()));
        for (Structure s : Structure.values()) {
            configs.put(s.name(), LayerwiseNaturalGradient.kfac().withStructure(s).withCurvature(Curvatures.fisher())
                    .withStepSize(0.2).withDampingPeriod(2));
        }
        configs.put("adam", Adam.defaults());
        configs.put("momentum", MomentumSgd.defaults());
        for (var e : configs.entrySet()) {
            Optimizer a = withPrior(e.getValue(), isotropic).build(MLP);
            Optimizer c = withPrior(e.getValue(), uniform).build(MLP);
            double[] ta = MLP.initialParameters(7);
            double[] tc = ta.clone();
            for (int t = 0; t < 6; t++) {
                double la = a.step(ta, b).loss();
                double lc = c.step(tc, b).loss();
                assertEquals(la, lc, 1e-12 * Math.abs(la), e.getKey() + " step " + t);
            }
            assertTrue(maxRelative(ta, tc) < 1e-11, e.getKey() + ": " + maxRelative(ta, tc));
        }
    }

    static OptimizerFactory withPrior(OptimizerFactory f, L2Prior prior) {
        if (f instanceof NaturalGradient ng) {
            return ng.withPrior(prior);
        }
        if (f instanceof LayerwiseNaturalGradient lw) {
            return lw.withPrior(prior);
        }
        if (f instanceof Adam adam) {
            return adam.withPrior(prior);
        }
        return ((MomentumSgd) f).withPrior(prior);
    }

    /**
     * Logistic regression with an unregularised bias (LIBLINEAR's -B): one Fisher step against the closed form
     * θ − η (XᵀWX/N + diag(p) + λI)⁻¹ (Xᵀ(σ(Xθ) − y)/N + p∘θ), solved by Commons Math.
     */
    @Test
    void glmWithAnUnregularisedBiasStepsAsTheClosedForm() {
        GeneralizedLinearModel glm = GeneralizedLinearModel.logisticRegression(3).withBias();
        Batch b = batch(glm, 50, 8);
        double[] theta = {0.3, -0.2, 0.5, 1.5};
        double tau = 0.4;
        L2Prior prior = new L2Prior(1.0 / (tau * 50), 0).withScale(glm.priorScale(1.0, 0.0));
        double lambda = 1e-2;
        double eta = 0.7;
        int n = b.rows();
        double[] x = b.x();
        double[] y = b.y();
        RealMatrix f = new Array2DRowRealMatrix(4, 4);
        double[] g = new double[4];
        for (int i = 0; i < n; i++) {
            double[] xi = {x[i * 3], x[i * 3 + 1], x[i * 3 + 2], 1.0};
            double z = 0;
            for (int j = 0; j < 4; j++) {
                z += xi[j] * theta[j];
            }
            double s = 1 / (1 + Math.exp(-z));
            for (int j = 0; j < 4; j++) {
                g[j] += (s - y[i]) * xi[j] / n;
                for (int k = 0; k < 4; k++) {
                    f.addToEntry(j, k, s * (1 - s) * xi[j] * xi[k] / n);
                }
            }
        }
        for (int j = 0; j < 3; j++) {
            g[j] += tau * theta[j];
            f.addToEntry(j, j, tau);
        }
        for (int j = 0; j < 4; j++) {
            f.addToEntry(j, j, lambda);
        }
        double[] dir = new LUDecomposition(f).getSolver().solve(new ArrayRealVector(g)).toArray();
        for (var solver : new io.github.natgrad.Solver[] {Solvers.cholesky(), Solvers.conjugateGradient()}) {
            double[] t = theta.clone();
            NaturalGradient.of(Curvatures.fisher()).withPrior(prior).withDamping(Damping.fixed(lambda))
                    .withStepSize(eta).withSolver(solver).build(glm).step(t, b);
            for (int j = 0; j < 4; j++) {
                assertEquals(theta[j] - eta * dir[j], t[j], 1e-9, solver.name() + " parameter " + j);
            }
        }
    }

    /**
     * The diagonal and block-diagonal structures add the prior's precisions exactly: one step is
     * −η (F̂ + diag(p) + λI)⁻¹ g with F̂ the optimizer's own estimate (read back column by column) and g the
     * objective's finite-difference gradient.
     */
    @Test
    void layerwiseStructuresAddThePerParameterPrecisions() {
        Batch b = batch(MLP, 30, 10);
        int d = MLP.parameterCount();
        L2Prior prior = weightsOnly();
        double[] p = prior.precisions(b.rows(), d);
        double lambda = 1e-2;
        double eta = 0.3;
        for (Structure s : new Structure[] {Structure.DIAGONAL, Structure.BLOCK_DIAGONAL}) {
            Optimizer opt = LayerwiseNaturalGradient.kfac().withStructure(s)
                    .withCurvature(Curvatures.fisher()).withStepSize(eta).withDamping(lambda).withPrior(prior)
                    .build(MLP);
            double[] theta = MLP.initialParameters(11);
            double[] before = theta.clone();
            opt.step(theta, b);
            RealMatrix c = new Array2DRowRealMatrix(d, d);
            double[] e = new double[d];
            double[] col = new double[d];
            for (int j = 0; j < d; j++) {
                e[j] = 1;
                io.github.natgrad.layerwise.LayerwiseAccess.curvatureProduct(opt, e, col);
                e[j] = 0;
                for (int i = 0; i < d; i++) {
                    c.setEntry(i, j, col[i]);
                }
                c.addToEntry(j, j, p[j] + lambda);
            }
            double h = 1e-5;
            double[] g = new double[d];
            for (int j = 0; j < d; j++) {
                double[] plus = before.clone();
                double[] minus = before.clone();
                plus[j] += h;
                minus[j] -= h;
                g[j] = (opt.loss(plus, b) - opt.loss(minus, b)) / (2 * h);
            }
            double[] dir = new LUDecomposition(c).getSolver().solve(new ArrayRealVector(g)).toArray();
            double[] expected = new double[d];
            for (int j = 0; j < d; j++) {
                expected[j] = before[j] - eta * dir[j];
            }
            assertTrue(maxRelative(expected, theta) < 1e-7, s + ": " + maxRelative(expected, theta));
        }
    }

    @Test
    void badScalesAreRefusedWithWhatToDo() {
        double[] negative = MLP.priorScale(1, 0);
        negative[5] = -1;
        var e = assertThrows(IllegalArgumentException.class, () -> L2Prior.ofVariance(1).withScale(negative));
        assertTrue(e.getMessage().contains("finite and >= 0") && e.getMessage().contains("parameter 5"),
                e.getMessage());
        double[] nan = MLP.priorScale(1, 0);
        nan[0] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> L2Prior.ofVariance(1).withScale(nan));
        assertTrue(e.getMessage().contains("NaN at parameter 0"), e.getMessage());
        double[] infinite = MLP.priorScale(1, 0);
        infinite[1] = Double.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> L2Prior.ofVariance(1).withScale(infinite));
        e = assertThrows(IllegalArgumentException.class, () -> L2Prior.ofVariance(1).withScale(new double[0]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MLP.priorScale(-1, 0));
        assertTrue(e.getMessage().contains("weights' prior scale"), e.getMessage());
        // the wrong length is refused when an optimizer is built for the model
        L2Prior wrong = L2Prior.ofVariance(1).withScale(new double[] {1, 0, 1});
        for (OptimizerFactory f : new OptimizerFactory[] {NaturalGradient.of(Curvatures.fisher()).withPrior(wrong),
                LayerwiseNaturalGradient.kfac().withPrior(wrong), Adam.defaults().withPrior(wrong),
                MomentumSgd.defaults().withPrior(wrong)}) {
            e = assertThrows(IllegalArgumentException.class, () -> f.build(MLP));
            assertTrue(e.getMessage().contains("has 3 entries") && e.getMessage().contains("has " + MLP.parameterCount()
                    + " parameters"), e.getMessage());
        }
        // a Woodbury solve needs τI + UᵀU, which a per-parameter prior is not
        GeneralizedLinearModel glm = GeneralizedLinearModel.logisticRegression(3).withBias();
        Optimizer woodbury = NaturalGradient.of(Curvatures.fisher()).withSolver(Solvers.woodbury())
                .withPrior(L2Prior.ofVariance(1).withScale(glm.priorScale(1, 0))).build(glm);
        e = assertThrows(IllegalArgumentException.class, () -> woodbury.step(new double[4], batch(glm, 10, 1)));
        assertTrue(e.getMessage().contains("per-parameter scale"), e.getMessage());
    }

    @Test
    void scaledPriorsAreValuesWithTheirScaleInTheirText() {
        L2Prior a = weightsOnly();
        L2Prior b = new L2Prior(1.0, 1).withScale(MLP.priorScale(0.3, 0.0));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertTrue(!a.equals(new L2Prior(1.0, 1)));
        assertTrue(a.toString().contains("0.0x7") && a.toString().contains("0.3x24"), a.toString());
        assertEquals("L2Prior[variance=2.0, datasetSize=0]", L2Prior.ofVariance(2).toString());
        double[] s = a.scale();
        s[0] = 99;
        assertEquals(0.3, a.scale()[0], 0.0);
    }
}
