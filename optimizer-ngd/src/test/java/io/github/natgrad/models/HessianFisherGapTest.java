package io.github.natgrad.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.NaturalGradient;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * Where the Hessian, Gauss-Newton matrix and Fisher part ways, and where they meet.
 */
class HessianFisherGapTest {

    static double relativeDistance(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    /** x ~ N(0, I_p), labels sampled from the model at θ_T. */
    static Batch teacherData(Model model, double[] teacher, int n, long seed) {
        RandomGenerator random = new Well19937c(seed);
        int p = model.inputColumns();
        double[] x = new double[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        double[] y = new double[n];
        Batch unlabeled = Batch.wrap(x, y, n, p);
        model.likelihood().sample(model.linearize(teacher, unlabeled).outputs(), n, random, y);
        return Batch.wrap(x, y, n, p);
    }

    @Test
    void probitGaussNewtonEqualsTheHessianButNotTheFisher() {
        Model probit = GeneralizedLinearModel.of(Likelihoods.probit(), 3).withBias();
        double[] theta = {0.8, -0.5, 1.2, 0.3};
        Batch batch = teacherData(probit, new double[] {-1, 1, 0.5, 0}, 400, 22);
        double[] h = ModelContract.curvature(probit, "hessian", theta, batch);
        double[] g = ModelContract.curvature(probit, "gauss-newton", theta, batch);
        double[] f = ModelContract.curvature(probit, "fisher", theta, batch);
        assertTrue(relativeDistance(g, h) < 1e-14, "GN = H: " + relativeDistance(g, h));
        double gap = relativeDistance(h, f);
        assertTrue(gap > 0.1, "H != F for the probit link away from the optimum: " + gap);
    }

    /**
     * Along a training run on a well-specified problem (labels drawn from the network itself), the
     * Hessian approaches the Fisher: at the maximum-likelihood estimate the residuals have conditional
     * mean zero, so the second-order term (1/N) Σ r_i ∇²f_i is an average of N zero-mean terms and
     * ‖H − F‖/‖F‖ = O(N^{-1/2}) (GN = F here: Bernoulli with the logit link). The tolerance is 3/√N
     * (0.021 for N = 20000); measured: 0.48 at the seeded start, 0.011, 0.0044 and 0.0022 after 20, 40
     * and 60 Levenberg-Marquardt Gauss-Newton steps.
     */
    @Test
    void hessianApproachesTheFisherAlongTrainingOnAWellSpecifiedProblem() {
        MultilayerPerceptron mlp = MultilayerPerceptron.of(2, Likelihoods.bernoulli()).withHidden(4);
        double[] teacher = mlp.initialParameters(1);
        for (int j = 0; j < teacher.length; j++) {
            teacher[j] *= 2.5;
        }
        Batch batch = teacherData(mlp, teacher, 20_000, 2);
        double[] theta = mlp.initialParameters(3);
        double start = relativeDistance(ModelContract.curvature(mlp, "hessian", theta, batch),
                ModelContract.curvature(mlp, "fisher", theta, batch));
        Optimizer opt = NaturalGradient.of(Curvatures.gaussNewton()).withDamping(Damping.levenbergMarquardt(1e-2, 1e-10, 1e4))
                .build(mlp);
        double[] gaps = new double[4];
        for (int t = 0; t < 60; t++) {
            opt.step(theta, batch);
            if (t % 20 == 19) {
                gaps[t / 20] = relativeDistance(ModelContract.curvature(mlp, "hessian", theta, batch),
                        ModelContract.curvature(mlp, "fisher", theta, batch));
            }
        }
        System.out.printf("||H - F|| / ||F||: start %.4f, steps 20/40/60: %.4f %.4f %.4f, loss %.6f%n", start, gaps[0],
                gaps[1], gaps[2], opt.loss(theta, batch));
        assertTrue(start > 0.3, "gap at the start " + start);
        assertTrue(gaps[2] < 3 / Math.sqrt(batch.rows()), "gap after training " + gaps[2]);
        assertTrue(gaps[2] < gaps[0], "the gap shrinks along training");
    }
}
