package io.github.natgrad;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A natural-gradient-style optimizer bound to one model: each step applies
 * θ ← θ − η (C + λI)⁻¹ g, with g the gradient of the objective on a batch, C the configured curvature
 * kind, λ chosen by the damping policy and the solve done by the solver strategy.
 *
 * <p>Call order: obtain an optimizer for a model (e.g. {@code NaturalGradient.build(model)}, which checks
 * that the model can give what the curvature needs), then call {@link #step} once per iteration with
 * the current θ, which is updated in place; call {@link #reset()} before starting a new run with the
 * same optimizer. Every operation is total: each optimizer exports and restores its state, takes listeners
 * and a step-size schedule. An optimizer owns buffers and state (the damping's λ, the sampler's random stream)
 * and is not thread-safe: use one per training run.
 */
public interface Optimizer {

    /** The model this optimizer was built for. */
    Model model();

    /**
     * One step on {@code batch}: updates {@code theta} in place and reports what was done. When the loss
     * or the gradient at θ is not finite (a diverged run) θ is left unchanged and the report says so.
     *
     * @throws IllegalArgumentException if θ has the wrong length or holds NaN or infinities, or the batch
     *                                  does not fit the model
     * @throws CurvatureNotPositiveDefiniteException if the damped curvature cannot be factorised and the
     *                                  damping policy does not repair it
     */
    StepReport step(double[] theta, Batch batch);

    /**
     * {@link #step(double[], Batch)} on an ND4J vector of length D, updated in place. θ must be a DOUBLE
     * array (an {@link IllegalArgumentException} says so otherwise); ND4J's default data type is neither
     * read nor changed.
     */
    default StepReport step(INDArray theta, Batch batch) {
        Require.notNull(theta, "theta");
        if (!theta.isVector() && !(theta.isScalar() && model().parameterCount() == 1)) {
            throw new IllegalArgumentException("theta must be a vector of " + model().parameterCount()
                    + " parameters, got shape " + java.util.Arrays.toString(theta.shape()));
        }
        if (theta.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("theta must be a DOUBLE array (natgrad computes in double), got "
                    + theta.dataType() + "; use theta.castTo(DataType.DOUBLE)");
        }
        double[] values = theta.toDoubleVector();
        StepReport report = step(values, batch);
        if (report.stepped()) {
            theta.assign(Nd4j.createFromArray(values).reshape(theta.shape())); // a DOUBLE array whatever the default
        }
        return report;
    }

    /** Resets the state (step counter, adaptive damping, random stream) to that of a new optimizer. */
    void reset();

    /** The objective (mean NLL plus prior) at θ on a batch, without stepping. */
    double loss(double[] theta, Batch batch);

    /**
     * Everything this optimizer carries between steps (step count, λ and the damping's memory, curvature
     * averages, cached factorisations, random stream, momentum) as a value that {@link #restore} puts
     * back. Every natgrad optimizer exports its state.
     */
    OptimizerState state();

    /**
     * Restores a state taken with {@link #state()} from an optimizer of the same configuration and model;
     * stepping on the same batches afterwards gives bit-identical results.
     *
     * @throws IllegalArgumentException if the state belongs to another model or optimizer configuration
     *                                  (the message says which), or lacks an entry
     */
    void restore(OptimizerState state);

    /**
     * Registers a listener for this optimizer's typed {@link StepEvent}s. Which events come depends on the
     * optimizer: the natural-gradient ones report curvature refreshes, damping changes, rejected steps and
     * solver caps; a first-order optimizer (Adam, SGD) has none of these and emits nothing.
     */
    void addListener(StepListener listener);

    /**
     * Sets the step size η as a function of the step index from the next step on, keeping all other state
     * (λ, curvature averages, momentum). The schedule is configuration, not state: a resumed run sets it again.
     */
    void setSchedule(StepSizeSchedule schedule);
}
