package io.github.natgrad.layerwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.RandomData;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.damping.LevenbergMarquardtDamping;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;
import org.junit.jupiter.api.Test;

/**
 * The layer-wise optimizers speak the dense optimizer's vocabulary: a {@code Curvature} chooses what the
 * structure approximates (checked against the dense kind), a {@code DampingPolicy} (the library's
 * Levenberg-Marquardt rule) chooses λ, a {@code Solver} the inverse, and every setting reads back.
 */
class LayerwiseVocabularyTest {
    private static final MultilayerPerceptron MLP = MultilayerPerceptron.of(4, Likelihoods.categorical(3))
            .withHidden(5);

    private static Batch batch(Model model, int n, long seed) {
        return RandomData.labelled(model, n, seed);
    }

    private static double[] random(int d, long seed) {
        return RandomData.gaussian(d, seed, 1.0);
    }

    @Test
    void theEmpiricalFisherKindGivesTheDenseEmpiricalFishersLayerBlocks() {
        double[] theta = random(MLP.parameterCount(), 1);
        Batch b = batch(MLP, 40, 2);
        // the dense empirical Fisher (1/N) Σ ∇ℓ_i ∇ℓ_iᵀ, from the dense curvature kind
        Linearization lin = MLP.linearize(theta, b);
        int n = b.rows();
        double[] residual = new double[n * 3];
        MLP.likelihood().lossAndResidual(lin.outputs(), b.y(), n, residual);
        CurvatureSystem dense = Curvatures.empiricalFisher().copy().build(lin, b, MLP.likelihood(), residual, 0.0,
                Solvers.cholesky());
        double[] c = dense.toDense();
        int d = theta.length;
        int boundary = 5 * (4 + 1); // the hidden layer's weights and biases come first
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                if ((i < boundary) != (j < boundary)) {
                    c[i * d + j] = 0;
                }
            }
        }
        LayerwiseOptimizer blocks = (LayerwiseOptimizer) LayerwiseNaturalGradient.of(Curvatures.empiricalFisher())
                .withStructure(Structure.BLOCK_DIAGONAL).build(MLP);
        blocks.step(theta.clone(), b);
        double[] v = random(d, 3);
        double[] expected = new double[d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                expected[i] += c[i * d + j] * v[j];
            }
        }
        double[] got = new double[d];
        blocks.curvatureProduct(v, got);
        assertArrayEquals(expected, got, 1e-12);
    }

    @Test
    void curvatureKindsMapToTheirFactorsAndTheSeedIsTheMonteCarloFishers() {
        assertEquals(FactorSource.SAMPLED, LayerwiseNaturalGradient.kfac().source());
        assertEquals("mc-fisher", LayerwiseNaturalGradient.kfac().curvature().name());
        assertEquals(FactorSource.EXACT, LayerwiseNaturalGradient.of(Curvatures.fisher()).source());
        assertEquals(FactorSource.EXACT, LayerwiseNaturalGradient.of(Curvatures.gaussNewton()).source());
        assertEquals(FactorSource.OBSERVED, LayerwiseNaturalGradient.of(Curvatures.empiricalFisher()).source());
        assertEquals(9L, LayerwiseNaturalGradient.of(Curvatures.monteCarloFisher(1, 9)).seed());

        // the sampled kind with seed 9 is the seeded K-FAC, step for step
        double[] a = MLP.initialParameters(4);
        double[] b = a.clone();
        Optimizer byKind = LayerwiseNaturalGradient.of(Curvatures.monteCarloFisher(1, 9)).build(MLP);
        Optimizer bySeed = LayerwiseNaturalGradient.kfac().withSeed(9).build(MLP);
        Optimizer otherSeed = LayerwiseNaturalGradient.kfac().withSeed(10).build(MLP);
        double[] c = a.clone();
        for (int t = 0; t < 6; t++) {
            byKind.step(a, batch(MLP, 16, 10 + t));
            bySeed.step(b, batch(MLP, 16, 10 + t));
            otherSeed.step(c, batch(MLP, 16, 10 + t));
        }
        assertArrayEquals(a, b, 0.0);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
    }

    @Test
    void kindsSolversAndPoliciesAStructureCannotUseAreRefusedWithWhatToUse() {
        LayerwiseNaturalGradient kfac = LayerwiseNaturalGradient.kfac();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kfac.withCurvature(Curvatures.hessian()));
        assertTrue(e.getMessage().contains("'hessian'") && e.getMessage().contains("empiricalFisher()"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kfac.withCurvature(Curvatures.monteCarloFisher(4, 0)));
        assertTrue(e.getMessage().contains("monteCarloFisher(1, seed)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kfac.withSolver(Solvers.conjugateGradient()));
        assertTrue(e.getMessage().contains("Solvers.cholesky() or Solvers.eigen()"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kfac.withDamping(Damping.saddleFree(0.1)));
        assertTrue(e.getMessage().contains("Damping.fixed(lambda)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kfac.withDamping(Damping.none()));
        assertTrue(e.getMessage().contains("lambda > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kfac.withDampingPeriod(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    @Test
    void everySettingReadsBackInTheDenseOptimizersTypes() {
        DampingPolicy lm = Damping.levenbergMarquardt(1e-2, 1e-5, 10).withShrink(0.9);
        LayerwiseNaturalGradient c = LayerwiseNaturalGradient.of(Curvatures.fisher())
                .withStructure(Structure.DIAGONAL).withSolver(Solvers.eigen()).withDamping(lm).withDampingPeriod(3)
                .withStepSize(0.3).withDecay(0.5).withCurvaturePeriod(2).withInversePeriod(4).withWarmup(1)
                .withCurvatureBatchSize(8).withMomentum(0.25).withSeed(5);
        assertEquals(Structure.DIAGONAL, c.structure());
        assertEquals("fisher", c.curvature().name());
        assertEquals("eigen", c.solver().name());
        assertSame(lm, c.damping());
        assertEquals(3, c.dampingPeriod());
        assertEquals(0.3, c.stepSize());
        assertEquals(0.5, c.decay());
        assertEquals(2, c.curvaturePeriod());
        assertEquals(4, c.inversePeriod());
        assertEquals(1, c.warmup());
        assertEquals(8, c.curvatureBatchSize());
        assertEquals(0.25, c.momentum());
        assertEquals(5L, c.seed());
        // the dense builder answers the same questions with the same types
        NaturalGradient dense = NaturalGradient.of(Curvatures.fisher()).withDamping(lm).withSolver(Solvers.eigen());
        assertEquals(c.curvature().name(), dense.curvature().name());
        assertSame(c.damping(), dense.damping());
        assertSame(c.solver(), dense.solver());
    }

    @Test
    void aLambdaShorthandIsKfacsLevenbergMarquardtRuleWithBoundsThatHoldIt() {
        LevenbergMarquardtDamping lm = (LevenbergMarquardtDamping) LayerwiseNaturalGradient.kfac().withDamping(5e3)
                .damping();
        assertEquals(5e3, lm.initialLambda());
        assertEquals(1e-6, lm.minimum());
        assertEquals(5e3, lm.maximum());
        assertEquals(Damping.kfac(5e3).name(), lm.name());
        assertEquals(Damping.kfac(1e-3).name(), LayerwiseNaturalGradient.kfac().damping().name());
        DampingPolicy fixed = LayerwiseNaturalGradient.kfac().withDamping(Damping.fixed(0.1)).withDamping(0.2)
                .damping();
        assertEquals(Damping.fixed(0.2).name(), fixed.name());
    }

    @Test
    void theLayerwiseLambdaFollowsTheLibrarysLevenbergMarquardtRuleOnTheReportedRatio() {
        double factor = 2.0;
        LevenbergMarquardtDamping policy = Damping.levenbergMarquardt(1e-2, 1e-4, 1.0).withFactor(factor);
        Optimizer opt = LayerwiseNaturalGradient.kfac().withDamping(policy).withDampingPeriod(1).withStepSize(0.5)
                .build(MLP);
        double[] theta = MLP.initialParameters(6);
        double lambda = 1e-2;
        int raised = 0;
        int lowered = 0;
        for (int t = 0; t < 30; t++) {
            StepReport r = opt.step(theta, batch(MLP, 24, 100 + t));
            double rho = r.reductionRatio();
            // Moré's rule by hand: ρ < 1/4 (or undefined) doubles λ, ρ > 3/4 halves it, within [1e-4, 1]
            double expected = !(rho >= 0.25) ? Math.min(1.0, lambda * factor)
                    : rho > 0.75 ? Math.max(1e-4, lambda / factor) : lambda;
            raised += expected > lambda ? 1 : 0;
            lowered += expected < lambda ? 1 : 0;
            assertEquals(expected, r.damping(), 0.0, "step " + t + ", rho " + rho);
            lambda = expected;
        }
        assertTrue(raised > 0 && lowered > 0, "the run exercised both branches: " + raised + " up, " + lowered + " down");
        assertEquals(1e-2, policy.copy().currentLambda(), "the configuration's policy is never adapted");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> policy.observe(0.1));
        assertTrue(e.getMessage().contains("copy()"), e.getMessage());
    }

    @Test
    void levenbergMarquardtsShrinkFormIsMartensAndGrossesRule() {
        LevenbergMarquardtDamping kfac = Damping.kfac(1e-2);
        double omega5 = Math.pow(0.95, 5);
        assertEquals(1e-2 * omega5, kfac.next(1e-2, 0.9, 5), 0.0);
        assertEquals(1e-2 / omega5, kfac.next(1e-2, 0.1, 5), 0.0);
        assertEquals(1e-2 / omega5, kfac.next(1e-2, Double.NaN, 5), 0.0);
        assertEquals(1e-2, kfac.next(1e-2, 0.5, 5), 0.0);
        assertEquals(1e-6, kfac.next(1e-6, 0.9, 5), 0.0);
        assertEquals(1 / 0.95, kfac.factor(), 1e-15);
        // the dense form: one step multiplies by the factor exactly
        assertEquals(0.3 * 1.5, Damping.levenbergMarquardt(0.3, 1e-3, 10).next(0.3, 0.0, 1), 0.0);
        assertNotSame(Damping.levenbergMarquardt(), Damping.levenbergMarquardt(), "no shared mutable default");
    }
}
