package io.github.natgrad.models;

import io.github.natgrad.Checks;
import io.github.natgrad.Likelihood;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Bernoulli with the probit link: p(y = 1 | f) = Φ(f), the standard normal CDF. With s = 2y − 1 and
 * λ(z) = φ(z)/Φ(z):
 * <ul>
 *   <li>ℓ(y, f) = −log Φ(s f);</li>
 *   <li>r = ∂ℓ/∂f = −s λ(s f);</li>
 *   <li>loss Hessian ∇²_f ℓ = λ(s f)(s f + λ(s f)), which depends on y;</li>
 *   <li>Fisher Λ(f) = E_y[r²] = φ(f)²/(Φ(f)(1 − Φ(f))) = λ(f) λ(−f), which does not.</li>
 * </ul>
 * The link is not canonical, so for a model linear in θ the Gauss-Newton matrix equals the Hessian
 * (the second-order term vanishes) but neither equals the Fisher except in expectation over y.
 * Everything is computed from log Φ and the Mills ratio in the tails ({@link NormalTails}), so the loss
 * and its derivatives stay finite and accurate for large |f|.
 */
public final class ProbitLikelihood implements Likelihood {
    static final ProbitLikelihood INSTANCE = new ProbitLikelihood();

    private ProbitLikelihood() {
    }

    @Override
    public String name() {
        return "probit";
    }

    @Override
    public int outputsPerExample() {
        return 1;
    }

    @Override
    public void checkLabels(double[] y, int n) {
        Checks.binaryLabels(y, n, "probit");
    }

    @Override
    public double lossAndResidual(double[] f, double[] y, int n, double[] residual) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double s = y[i] == 1.0 ? 1.0 : -1.0;
            double z = s * f[i];
            sum -= NormalTails.logCdf(z);
            if (residual != null) {
                residual[i] = -s * NormalTails.ratio(z);
            }
        }
        return sum;
    }

    @Override
    public void fisherFactor(double[] f, int n, double[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = Math.sqrt(NormalTails.ratio(f[i]) * NormalTails.ratio(-f[i]));
        }
    }

    @Override
    public void hessianFactor(double[] f, double[] y, int n, double[] out) {
        for (int i = 0; i < n; i++) {
            double s = y[i] == 1.0 ? 1.0 : -1.0;
            out[i] = Math.sqrt(NormalTails.curvature(s * f[i]));
        }
    }

    @Override
    public void sample(double[] f, int n, RandomGenerator random, double[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = random.nextDouble() < NormalTails.cdf(f[i]) ? 1.0 : 0.0;
        }
    }
}
