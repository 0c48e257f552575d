package io.github.natgrad.optim;

/**
 * Backtracking line search with the Armijo condition, as LIBLINEAR's Newton method since version 2.40
 * (Hsia, Chiang and Lin, "Preconditioned conjugate gradient methods in truncated Newton frameworks for
 * large-scale linear classification", ACML 2018): from the configured step size η, accept θ − ηd when
 * L(θ − ηd) ≤ L(θ) − c·η·gᵀd, else halve η, at most {@code maxTrials} times; if none is accepted the
 * step is not taken and the report says so. Meant for full-batch (deterministic) convex objectives. For a
 * model linear in θ each trial costs O(N·K) after one product J d (f(θ − ηd) = f − η·Jd), as in LIBLINEAR;
 * otherwise one forward pass.
 *
 * @param sufficientDecrease c in (0, 1) (LIBLINEAR: 0.01)
 * @param shrink             the factor in (0, 1) applied to η after a rejected trial (0.5)
 * @param maxTrials          trials before giving up (20)
 */
public record ArmijoLineSearch(double sufficientDecrease, double shrink, int maxTrials) {

    /** Validates the parameters. */
    public ArmijoLineSearch {
        if (!(sufficientDecrease > 0 && sufficientDecrease < 1)) {
            throw new IllegalArgumentException("Armijo sufficient-decrease constant must be in (0, 1), got "
                    + sufficientDecrease);
        }
        if (!(shrink > 0 && shrink < 1)) {
            throw new IllegalArgumentException("line-search shrink factor must be in (0, 1), got " + shrink);
        }
        if (maxTrials < 1) {
            throw new IllegalArgumentException("line search needs at least one trial, got " + maxTrials);
        }
    }

    /** LIBLINEAR's settings: c = 0.01, halving, 20 trials. */
    public static ArmijoLineSearch liblinear() {
        return new ArmijoLineSearch(0.01, 0.5, 20);
    }
}
