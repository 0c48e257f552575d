package io.github.natgrad;

import java.util.ArrayList;
import java.util.List;

/**
 * The listeners of one optimizer, for {@link Optimizer} implementations: {@link #add} registers one (as
 * {@link Optimizer#addListener} does), {@link #emit} hands an event to each in the order they were added.
 * Not thread-safe, like the optimizer that owns it.
 */
public final class StepListeners {
    private final List<StepListener> listeners = new ArrayList<>();

    /** Registers a listener. */
    public void add(StepListener listener) {
        listeners.add(Checks.notNull(listener, "listener"));
    }

    /** Hands {@code event} to every listener. */
    public void emit(StepEvent event) {
        for (StepListener l : listeners) {
            l.onEvent(event);
        }
    }
}
