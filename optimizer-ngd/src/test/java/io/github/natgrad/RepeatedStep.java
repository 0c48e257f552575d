package io.github.natgrad;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.optim.NaturalGradient;
import java.util.Arrays;

/**
 * Repeats the same step many times in one JVM, from its cold start, and reports how many repeats gave other
 * bits than the first: a main class that {@link SameBitsTest} starts in a fresh JVM (so that the first
 * repeats run in the interpreter and the later ones in compiled code). Exit code 0 when every repeat
 * matched, 1 otherwise.
 */
public final class RepeatedStep {
    private RepeatedStep() {
    }

    /** Repeats of the step, with their count of mismatches; one line per configuration. */
    public static int mismatches(String what, Optimizer opt, Batch batch, double[] theta0, int repeats) {
        double[] first = null;
        int differing = 0;
        double worst = 0;
        for (int r = 0; r < repeats; r++) {
            opt.reset();
            double[] theta = theta0.clone();
            for (int s = 0; s < 2; s++) {
                opt.step(theta, batch);
            }
            if (first == null) {
                first = theta;
            } else if (!Arrays.equals(first, theta)) {
                differing++;
                for (int j = 0; j < theta.length; j++) {
                    worst = Math.max(worst, Math.abs(theta[j] - first[j]));
                }
            }
        }
        System.out.println(what + ": " + differing + " of " + repeats + " repeats differ from the first (max |diff| "
                + worst + ")");
        return differing;
    }

    /** Runs the repeats; args[0] is the number of repeats. */
    public static void main(String[] args) {
        int repeats = Integer.parseInt(args[0]);
        System.out.println("SIMD kernels " + io.github.natgrad.linalg.Simd.describe());
        int bad = 0;
        SyntheticGlm logistic = SyntheticGlm.logistic(569, 30, 10.0, 5);
        double[] theta0 = new double[31];
        for (int j = 0; j < theta0.length; j++) {
            theta0[j] = 0.01 * Math.sin(j + 1.0);
        }
        GeneralizedLinearModel clipped = GeneralizedLinearModel.logisticRegression(30).withBias()
                .withLikelihood(Likelihoods.bernoulli(1e-8));
        bad += mismatches("logistic fisher 569x31", NaturalGradient.of(Curvatures.fisher()).withStepSize(0.5)
                .withDamping(Damping.fixed(1e-4)).build(GeneralizedLinearModel.logisticRegression(30).withBias()),
                logistic.batch(), theta0, repeats);
        bad += mismatches("clipped logistic empirical fisher 569x31", NaturalGradient.of(Curvatures.empiricalFisher())
                .withDamping(Damping.levenbergMarquardt()).build(clipped), logistic.batch(), theta0, repeats);
        bad += mismatches("logistic mc-fisher 569x31", NaturalGradient.of(Curvatures.monteCarloFisher(2, 9))
                .withDamping(Damping.fixed(1e-3)).build(clipped), logistic.batch(), theta0, repeats);
        SyntheticGlm linear = SyntheticGlm.linear(300, 13, 10.0, 6);
        bad += mismatches("linear fisher 300x13", NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.fixed(1e-6))
                .build(GeneralizedLinearModel.linearRegression(13)), linear.batch(), new double[13], repeats);
        System.exit(bad == 0 ? 0 : 1);
    }
}
