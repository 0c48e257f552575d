package io.github.natgrad.training;

/**
 * When a training run has diverged: its objective L(θ_t) is not finite or exceeds a factor × the initial one,
 * L(θ_t) &gt; f · L(θ_0). The paper's grids use f = {@value #PAPER_FACTOR} (Kunstner, Balles and Hennig 2019,
 * "Limitations of the empirical Fisher approximation for natural gradient descent", Fig. 3 and its code: a
 * run whose loss grows a hundredfold is stopped and counted as diverged).
 *
 * <p>The one definition of the rule: the reproduction's reference runner and the study engine's grid path
 * read {@link #PAPER_FACTOR} and {@link #diverged} from here, and {@code optim.DampingSweep} stops its runs by
 * {@link #diverged} with the factor its caller gives.
 */
public final class Divergence {
    /** The paper's factor f: a run whose objective exceeds 100 × the initial one has diverged. */
    public static final double PAPER_FACTOR = 100;

    private Divergence() {
    }

    /**
     * Whether an objective {@code loss} has diverged from {@code initial} by {@code factor}: true when
     * {@code loss} is NaN or exceeds factor × initial (so also when either is NaN or infinite in that direction).
     */
    public static boolean diverged(double loss, double initial, double factor) {
        return !(loss <= factor * initial);
    }
}
