package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The Monte-Carlo Fisher (1/(N·k)) Σ_i Σ_s J_iᵀ ∇_f ℓ(ŷ_is, f_i) ∇_f ℓ(ŷ_is, f_i)ᵀ J_i with k labels
 * ŷ_is ~ p(y | f_i) sampled from the model per example: an unbiased estimate of the true Fisher, PSD,
 * of rank at most N·k (Martens and Grosse 2015, K-FAC, section 5). Seeded: an optimizer's copy starts
 * the stream anew from the seed, so runs repeat exactly.
 */
final class MonteCarloFisher extends FactoredCurvature implements SampledCurvature {
    private final int samples;
    private final long seed;
    private RandomGenerator random;
    private double[] sampled = new double[0];
    private double[] sampledResidual = new double[0];

    MonteCarloFisher(int samples, long seed) {
        super("mc-fisher");
        this.samples = samples;
        this.seed = seed;
        this.random = new Well19937c(seed);
    }

    @Override
    public int samples() {
        return samples;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public boolean requiresSampling() {
        return true;
    }

    @Override
    protected int factorColumns(int outputsPerExample) {
        return samples;
    }

    @Override
    protected void factors(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double[] out) {
        int n = linearization.rows();
        int k = linearization.outputsPerExample();
        double[] f = linearization.outputs();
        if (sampled.length < n) {
            sampled = new double[n];
        }
        if (sampledResidual.length < n * k) {
            sampledResidual = new double[n * k];
        }
        double scale = 1.0 / Math.sqrt(samples);
        for (int s = 0; s < samples; s++) {
            likelihood.sample(f, n, random, sampled);
            likelihood.lossAndResidual(f, sampled, n, sampledResidual);
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < k; o++) {
                    out[(i * k + o) * samples + s] = scale * sampledResidual[i * k + o];
                }
            }
        }
    }

    @Override
    public void writeState(io.github.natgrad.OptimizerState.Builder out, String prefix) {
        out.putRandom(prefix + "random", random);
    }

    @Override
    public void readState(io.github.natgrad.OptimizerState in, String prefix) {
        random = in.getRandom(prefix + "random");
    }

    @Override
    public Curvature copy() {
        return new MonteCarloFisher(samples, seed);
    }

    /** The random stream back at its seed (the stream of a fresh copy), keeping the buffers. */
    @Override
    public Curvature reset() {
        random.setSeed(seed);
        return super.reset();
    }

    @Override
    public String toString() {
        return name() + "(samples=" + samples + ", seed=" + seed + ")";
    }
}
