package io.github.natgrad.models;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import java.util.Set;

/**
 * What every natgrad {@link Model} holds alike: its likelihood, its input columns p and its capabilities, and the
 * argument checks of {@link #linearize(double[], Batch)} (θ of length D, a batch of p columns, {@link Checks#fits})
 * before the model's own forward pass ({@link #linearizeChecked}). The generalised linear model, softmax regression
 * and the multilayer perceptron extend it; each adds its parameter layout and its passes.
 *
 * @param <L> the likelihood type (the softmax regression's is the {@link CategoricalLikelihood})
 */
abstract class AbstractModel<L extends Likelihood> implements Model {
    /** The likelihood of a label given the outputs. */
    final L likelihood;
    /** The input columns p. */
    final int inputs;
    private final Set<ModelCapability> capabilities;

    /** The arguments are the subclass's, already checked. */
    AbstractModel(L likelihood, int inputs, Set<ModelCapability> capabilities) {
        this.likelihood = likelihood;
        this.inputs = inputs;
        this.capabilities = capabilities;
    }

    @Override
    public final int inputColumns() {
        return inputs;
    }

    @Override
    public final L likelihood() {
        return likelihood;
    }

    @Override
    public final Set<ModelCapability> capabilities() {
        return capabilities;
    }

    /** Checks θ and the batch against this model ({@link Checks#fits}), then runs {@link #linearizeChecked}. */
    @Override
    public final Linearization linearize(double[] theta, Batch batch) {
        Checks.fits(this, theta, batch);
        return linearizeChecked(theta, batch);
    }

    /** The forward pass at θ on the batch and the linearization there; the arguments fit this model. */
    abstract Linearization linearizeChecked(double[] theta, Batch batch);
}
