package io.github.natgrad;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * The output-space loss ℓ(y, f) = −log p(y | f): a likelihood for a label y given a model's K outputs f.
 *
 * <p>Arrays hold N examples row-major: outputs {@code f} are N × K, labels {@code y} are N. The
 * curvature kinds ask a likelihood for
 * <ul>
 *   <li>the loss and its gradient r = ∂ℓ/∂f (the residual);</li>
 *   <li>a factor B(f) of the output-space Fisher Λ(f) = E_{y~p(y|f)}[∇_f ℓ ∇_f ℓᵀ] = B Bᵀ;</li>
 *   <li>a factor of the output-space Hessian H_ℓ(y, f) = ∇²_f ℓ = B Bᵀ (so ℓ must be convex in f,
 *       which holds for every likelihood natgrad ships);</li>
 *   <li>labels sampled from p(y | f), for the Monte-Carlo Fisher.</li>
 * </ul>
 * Factors are K × K per example, row-major, so the N factors fill an N·K·K array. For K = 1 a factor
 * is a square root: {@code out[i] = sqrt(Λ(f_i))}.
 *
 * <p>Implementations must be stateless (thread-safe) and must compute the loss stably for any finite f
 * (no log(0), no overflow): a diverging run then shows a large finite loss, or +∞ only when f itself
 * overflowed.
 */
public interface Likelihood {

    /** A short name, e.g. {@code "bernoulli"}. */
    String name();

    /** Number of outputs K per example this likelihood reads. */
    int outputsPerExample();

    /**
     * Checks the labels are valid for this likelihood (e.g. 0/1 for Bernoulli).
     *
     * @throws IllegalArgumentException naming the first bad label
     */
    void checkLabels(double[] y, int n);

    /**
     * Sum over the N examples of ℓ(y_i, f_i); if {@code residual} is non-null, also writes
     * r_i = ∂ℓ(y_i, f_i)/∂f (N × K).
     */
    double lossAndResidual(double[] f, double[] y, int n, double[] residual);

    /** Per-example factors B_i with B_i B_iᵀ = Λ(f_i), the Fisher in output space (N × K × K). */
    void fisherFactor(double[] f, int n, double[] out);

    /** Per-example factors B_i with B_i B_iᵀ = ∇²_f ℓ(y_i, f_i), the loss Hessian in output space. */
    void hessianFactor(double[] f, double[] y, int n, double[] out);

    /** Writes one label y_i ~ p(y | f_i) per example into {@code out}, drawing from {@code random}. */
    void sample(double[] f, int n, RandomGenerator random, double[] out);

    /** Whether this likelihood can {@link #sample}; the Monte-Carlo Fisher needs it. */
    default boolean canSample() {
        return true;
    }

    /** True when Λ(f) does not depend on f (e.g. the Gaussian), so a linear model's Fisher is constant. */
    default boolean fisherIsConstant() {
        return false;
    }
}
