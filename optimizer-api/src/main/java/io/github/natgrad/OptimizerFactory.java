package io.github.natgrad;

/**
 * An immutable optimizer configuration that makes a stateful {@link Optimizer} for one training run of
 * a model: natural gradient, K-FAC, Adam and SGD alike, so a training loop or a benchmark takes any of them.
 */
@FunctionalInterface
public interface OptimizerFactory {

    /**
     * An optimizer for one run of {@code model}.
     *
     * @throws IllegalArgumentException if the model cannot give what the configuration needs
     */
    Optimizer build(Model model);
}
