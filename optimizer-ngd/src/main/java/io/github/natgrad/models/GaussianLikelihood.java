package io.github.natgrad.models;

import io.github.natgrad.Checks;
import io.github.natgrad.Likelihood;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Gaussian noise of known variance σ² on one output: ℓ(y, f) = (f − y)²/(2σ²), r = (f − y)/σ²,
 * Λ = ∇²_f ℓ = 1/σ². The normalising constant ½·log(2πσ²) is left out (it moves no step; this is also
 * the convention of Kunstner et al.'s code), so with σ² = 1 the mean loss is half the mean squared error.
 */
public final class GaussianLikelihood implements Likelihood {
    private final double variance;
    private final double inverseVariance;
    private final double inverseStd;

    GaussianLikelihood(double variance) {
        this.variance = Checks.positive(variance, "noise variance");
        this.inverseVariance = 1.0 / variance;
        this.inverseStd = 1.0 / Math.sqrt(variance);
    }

    /** The noise variance σ². */
    public double variance() {
        return variance;
    }

    @Override
    public String name() {
        return "gaussian";
    }

    @Override
    public int outputsPerExample() {
        return 1;
    }

    @Override
    public void checkLabels(double[] y, int n) {
        // any finite real label is valid; Batch already rejects NaN and infinities
    }

    @Override
    public double lossAndResidual(double[] f, double[] y, int n, double[] residual) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = f[i] - y[i];
            sum += e * e;
            if (residual != null) {
                residual[i] = e * inverseVariance;
            }
        }
        return 0.5 * inverseVariance * sum;
    }

    @Override
    public void fisherFactor(double[] f, int n, double[] out) {
        java.util.Arrays.fill(out, 0, n, inverseStd);
    }

    @Override
    public void hessianFactor(double[] f, double[] y, int n, double[] out) {
        fisherFactor(f, n, out);
    }

    @Override
    public void sample(double[] f, int n, RandomGenerator random, double[] out) {
        double std = Math.sqrt(variance);
        for (int i = 0; i < n; i++) {
            out[i] = f[i] + std * random.nextGaussian();
        }
    }

    @Override
    public boolean fisherIsConstant() {
        return true;
    }
}
