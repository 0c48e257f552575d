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

    /**
     * Writes only the residual r_i = ∂ℓ(y_i, f_i)/∂f (N × K), the same values as
     * {@link #lossAndResidual}, for callers that do not need the loss at this point. The default computes
     * the loss too; a likelihood whose loss costs more than its residual (a logarithm per example)
     * overrides it.
     */
    default void residual(double[] f, double[] y, int n, double[] out) {
        lossAndResidual(f, y, n, out);
    }

    /**
     * An upper bound on the loss ℓ(y, f) of one example, for any label and output, or +∞ when it is
     * unbounded (the default). A clipped likelihood has one (−log ε for probabilities clipped to
     * [ε, 1 − ε]): a caller watching for a loss above a threshold that exceeds this bound can skip
     * computing it.
     */
    default double maxLoss() {
        return Double.POSITIVE_INFINITY;
    }

    /** Per-example factors B_i with B_i B_iᵀ = Λ(f_i), the Fisher in output space (N × K × K). */
    void fisherFactor(double[] f, int n, double[] out);

    /**
     * For one output per example (K = 1): writes the residual r_i (the values of {@link #residual}) and the
     * Fisher weight Λ(f_i) = B_i² (the square of {@link #fisherFactor}) in one pass, for callers that need
     * both at every step (a batched Fisher build, which weights the example's outer product x_i x_iᵀ by
     * Λ(f_i)). A likelihood whose residual and Λ share their costly part overrides it (the Bernoulli:
     * one exponential per example instead of two). The default calls {@link #residual} and squares
     * {@link #fisherFactor}.
     *
     * @throws UnsupportedOperationException if K ≠ 1
     */
    default void residualAndFisherWeight(double[] f, double[] y, int n, double[] residual, double[] weight) {
        if (outputsPerExample() != 1) {
            throw new UnsupportedOperationException("a scalar Fisher weight needs one output per example; "
                    + name() + " has " + outputsPerExample() + ": use fisherFactor");
        }
        residual(f, y, n, residual);
        fisherFactor(f, n, weight);
        for (int i = 0; i < n; i++) {
            weight[i] *= weight[i];
        }
    }

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
