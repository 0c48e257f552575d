package io.github.natgrad.optim;

import io.github.natgrad.SolveStats;
import io.github.natgrad.StepEvent;
import io.github.natgrad.StepListeners;

/**
 * The events of a {@link NaturalGradientOptimizer} step, in the order a step emits them: the curvature
 * refreshed, the damping's λ changed (against the last step's λ, which this class remembers and the
 * optimizer's state carries), an iterative solve's cap reached, a step rejected, the rejection retries
 * exhausted.
 */
final class StepEvents {
    private final StepListeners listeners;
    private double lastLambda = Double.NaN;

    /** The events of an optimizer whose listeners are {@code listeners} ({@link OptimizerRun#listeners()}). */
    StepEvents(StepListeners listeners) {
        this.listeners = listeners;
    }

    /** The λ of the last solve (NaN before the first). */
    double lastLambda() {
        return lastLambda;
    }

    /** Sets the λ of the last solve (reset: NaN; restore: the state's). */
    void lastLambda(double lambda) {
        lastLambda = lambda;
    }

    void curvatureRefreshed(long index) {
        listeners.emit(new StepEvent.CurvatureRefreshed(index, "estimate"));
    }

    /** Emits {@code DampingChanged} when λ differs from the last solve's (not before the first solve). */
    void solved(long index, double lambda, String action) {
        if (Double.compare(lambda, lastLambda) != 0) {
            if (!Double.isNaN(lastLambda)) {
                listeners.emit(new StepEvent.DampingChanged(index, lastLambda, lambda, action));
            }
            lastLambda = lambda;
        }
    }

    /** Emits {@code SolverCapReached} when the solve hit its iteration cap. */
    void solveStats(long index, SolveStats solve) {
        if (solve.capReached()) {
            listeners.emit(new StepEvent.SolverCapReached(index, solve.method(), solve.iterations()));
        }
    }

    void rejected(long index, double actual, double predicted, boolean adaptive) {
        String how = adaptive ? "damping raised" : "step size halved";
        listeners.emit(new StepEvent.StepRejected(index, actual, predicted, "objective would grow; " + how));
    }

    void rejectionCapReached(long index, int retries) {
        listeners.emit(new StepEvent.SolverCapReached(index, "step rejection", retries));
    }
}
