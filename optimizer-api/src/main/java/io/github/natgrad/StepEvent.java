package io.github.natgrad;

/**
 * Something an optimizer decided during a step, delivered to its {@link StepListener}s as it happens,
 * typed so that a listener reacts to a kind of event without parsing text.
 */
public sealed interface StepEvent {

    /** The index of the step (from 0) during which the event happened. */
    long step();

    /** The damping λ changed from {@code from} to {@code to}, e.g. by the Levenberg-Marquardt rule. */
    record DampingChanged(long step, double from, double to, String reason) implements StepEvent {
    }

    /**
     * A curvature estimate was refreshed: {@code what} is {@code "estimate"} for a new (or averaged)
     * curvature, {@code "inverse"} for a new factorisation or inverse.
     */
    record CurvatureRefreshed(long step, String what) implements StepEvent {
    }

    /**
     * A proposed step was refused and θ left as it was (or a smaller step tried): the objective would have
     * changed by {@code actualReduction} (negative: it would have grown) where the quadratic model
     * predicted {@code predictedReduction}.
     */
    record StepRejected(long step, double actualReduction, double predictedReduction, String reason)
            implements StepEvent {
    }

    /** An iterative solver or a retry loop stopped at its cap of {@code limit} iterations. */
    record SolverCapReached(long step, String solver, int limit) implements StepEvent {
    }
}
