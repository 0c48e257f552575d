package io.github.natgrad.models;

import io.github.natgrad.Model;
import org.junit.jupiter.api.Nested;

/**
 * One {@link ModelContract} per model natgrad ships (and per MLP output likelihood and activation), as
 * {@link Nested} classes so that surefire's default includes run them.
 */
class ModelContractTests {

    @Nested
    class SoftmaxRegressionTest extends ModelContract {
        @Override
        Model model() {
            return SoftmaxRegression.of(3, 4).withBias();
        }
    }

    @Nested
    class ProbitRegressionTest extends ModelContract {
        @Override
        Model model() {
            return GeneralizedLinearModel.of(Likelihoods.probit(), 3).withBias();
        }
    }

    @Nested
    class TanhGaussianMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(3, Likelihoods.gaussian()).withHidden(4);
        }
    }

    @Nested
    class SoftplusBernoulliMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(2, Likelihoods.bernoulli()).withHidden(3, 2)
                    .withActivation(Activation.SOFTPLUS);
        }
    }

    @Nested
    class TanhCategoricalTwoLayerMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(2, Likelihoods.categorical(3)).withHidden(3, 4);
        }
    }

    @Nested
    class ReluCategoricalTwoLayerMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(3, Likelihoods.categorical(4)).withHidden(5, 3)
                    .withActivation(Activation.RELU);
        }
    }

    /** One activation per hidden layer, including sigmoid and identity (what Deeplearning4j networks mix). */
    @Nested
    class MixedActivationsCategoricalMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(3, Likelihoods.categorical(3)).withHidden(4, 3, 3)
                    .withActivations(Activation.SIGMOID, Activation.TANH, Activation.IDENTITY);
        }
    }

    @Nested
    class LinearCategoricalMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(3, Likelihoods.categorical(3));
        }
    }
}
