package io.github.natgrad;

/**
 * A {@link DampingPolicy} that also decides whether a trial step is taken: the capability of a trust region
 * (Lin, Weng and Keerthi 2008, Algorithm 1; Nocedal and Wright 2006, Algorithm 4.1), whose radius Δ bounds the
 * step its {@link #damp} solves for (Steihaug–Toint CG, or the λ(Δ) search of a solver that factorises) and
 * follows the quality of the quadratic model after each trial.
 *
 * <p>An optimizer tests its damping for this interface. When it is one, the optimizer's acceptance stage, after
 * a trial step s = −η·d with actual reduction a = L(θ) − L(θ + s) and predicted reduction p = −Q(s) =
 * η·gᵀd − ½η²·dᵀCd, calls {@link #update} instead of {@link #observe}, takes the step only when it returns
 * true, and otherwise solves again (with the state the policy updated) up to
 * max({@link #minimumRetries()}, the configured step-rejection retries) times. The policy chooses the step's
 * length itself, so an optimizer refuses a line search on top of it.
 *
 * <p>Like any policy, the object a configuration holds is configuration; an optimizer updates its
 * {@link #copy()}.
 */
public interface StepAcceptingPolicy extends DampingPolicy {

    /**
     * Updates the policy's running state (a trust region's radius) from the trial step of the last {@link #damp}
     * and returns whether the step is taken.
     *
     * @param actual    L(θ) − L(θ − ηd), the actual reduction (NaN or −∞ when the new objective is not finite)
     * @param predicted η·gᵀd − ½η²·dᵀCd, the reduction the quadratic model predicts
     * @param etaGd     η·gᵀd (= −gᵀs)
     * @param eta       the step size η
     * @throws IllegalStateException when called before any {@link #damp}
     */
    boolean update(double actual, double predicted, double etaGd, double eta);

    /** The rejected tries of one step the optimizer allows at least before it gives up on the step. */
    int minimumRetries();

    /** Always true: the policy judges each step by its reductions. */
    @Override
    default boolean needsReductionRatio() {
        return true;
    }
}
