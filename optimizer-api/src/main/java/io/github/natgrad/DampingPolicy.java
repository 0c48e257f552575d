package io.github.natgrad;

/**
 * Chooses the damping λ of each step and makes sure the damped curvature can be solved with. A
 * curvature that is not positive definite after damping (an indefinite Hessian) is never used
 * silently: a policy either changes λ (or the spectrum) and says so in {@link Damped#action()}, or
 * throws {@link CurvatureNotPositiveDefiniteException}.
 *
 * <p>Call order, per optimizer: {@link #copy()} once, then per step {@link #damp} and, if
 * {@link #needsReductionRatio()}, {@link #observe} with the step's reduction ratio
 * ρ = (actual decrease) / (decrease predicted by the quadratic model). The policy a configuration holds
 * (e.g. {@code NaturalGradient.damping()}) is configuration; what a run adapts (λ and the policy's memory)
 * lives in the optimizer's copy and in its {@link OptimizerState}, so one configuration serves many runs.
 * A copy is not thread-safe.
 */
public interface DampingPolicy {

    /** A short name, e.g. {@code "fixed(1.0e-04)"}. */
    String name();

    /** Chooses λ for this step and returns the factorization of the damped curvature. */
    Damped damp(CurvatureSystem curvature);

    /**
     * Called when an iterative solve of (C + λI) d = g, with λ and the factorization from {@link #damp} (or
     * from an earlier repair), met a direction p of non-positive curvature pᵀ(C + λI)p ≤ 0: C + λI is not
     * positive definite. The policy either returns a new damping to solve with (and says so in its action)
     * or throws. The default throws {@code found}, whose message says which policies repair it.
     *
     * @param curvature the step's curvature
     * @param found     what the solver found (the Rayleigh quotient along p, an upper bound of λ_min(C + λI))
     */
    default Damped repair(CurvatureSystem curvature, NegativeCurvatureException found) {
        throw found;
    }

    /** Whether this policy adapts to ρ, so that the optimizer must evaluate the loss after the step. */
    default boolean needsReductionRatio() {
        return false;
    }

    /** Told the reduction ratio of the step just taken (NaN when the predicted decrease is not positive). */
    default void observe(double reductionRatio) {
    }

    /** A fresh copy with the initial state, for a new optimizer. */
    DampingPolicy copy();

    /**
     * Writes what this copy carries between steps (λ and any memory of the policy) into a state, each entry's name
     * starting with {@code prefix}. Stateless implementations write nothing (the default).
     */
    default void writeState(OptimizerState.Builder out, String prefix) {
    }

    /** Restores what {@link #writeState} wrote under {@code prefix}. */
    default void readState(OptimizerState in, String prefix) {
    }
}
