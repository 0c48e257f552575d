package io.github.natgrad;

/**
 * Receives an optimizer's {@link StepEvent}s, synchronously on the stepping thread, in the order they
 * happen. Register with {@link Optimizer#addListener}. A listener must not call the optimizer back.
 */
@FunctionalInterface
public interface StepListener {

    /** Called once per event. */
    void onEvent(StepEvent event);
}
