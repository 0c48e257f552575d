package io.github.natgrad.optim;

/**
 * The first stage of a {@link NaturalGradientOptimizer} step: the objective L(θ) = (1/N) Σ ℓ_i(θ) + ½ τ ‖θ‖²
 * (τ the prior's precision, 0 without a prior; a per-parameter prior adds ½ Σ τ_j θ_j² through {@link PriorTerm}) and its gradient g = (1/N) Σ J_iᵀ r_i + τ θ, with ‖g‖. The
 * gradient buffer is pre-filled with NaN so that a vector-Jacobian product that skips entries shows up.
 */
final class GradientStage {
    private GradientStage() {
    }

    /** L(θ) and ‖g‖; {@link #finite} false when either is not finite (the step is then not taken). */
    record Evaluated(double loss, double gradientNorm) {
        boolean finite() {
            return Double.isFinite(loss) && Double.isFinite(gradientNorm);
        }
    }

    /** Writes g into {@code gradient} (length D) and returns L(θ) and ‖g‖. */
    static Evaluated evaluate(StepTarget target, double[] theta, double priorPrecision, PriorTerm priorTerms,
            double[] gradient) {
        int n = target.rows();
        java.util.Arrays.fill(gradient, Double.NaN);
        double loss = target.lossAndGradient(theta, gradient) / n
                + 0.5 * priorPrecision * NaturalGradientOptimizer.dot(theta, theta) + priorTerms.penalty(theta, n);
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = gradient[i] / n + priorPrecision * theta[i];
        }
        priorTerms.addGradient(theta, n, gradient);
        return new Evaluated(loss, Math.sqrt(NaturalGradientOptimizer.dot(gradient, gradient)));
    }
}
