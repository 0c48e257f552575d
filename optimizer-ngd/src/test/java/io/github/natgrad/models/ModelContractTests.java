package io.github.natgrad.models;

import io.github.natgrad.Model;

/** One {@link ModelContract} per model natgrad ships (and per MLP output likelihood and activation). */
final class ModelContractTests {
    private ModelContractTests() {
    }

    static final class SoftmaxRegressionTest extends ModelContract {
        @Override
        Model model() {
            return SoftmaxRegression.of(3, 4).withBias();
        }
    }

    static final class ProbitRegressionTest extends ModelContract {
        @Override
        Model model() {
            return GeneralizedLinearModel.of(Likelihoods.probit(), 3).withBias();
        }
    }

    static final class TanhGaussianMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(3, Likelihoods.gaussian()).withHidden(4);
        }
    }

    static final class SoftplusBernoulliMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(2, Likelihoods.bernoulli()).withHidden(3, 2)
                    .withActivation(Activation.SOFTPLUS);
        }
    }

    static final class TanhCategoricalTwoLayerMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(2, Likelihoods.categorical(3)).withHidden(3, 4);
        }
    }

    static final class LinearCategoricalMlpTest extends ModelContract {
        @Override
        Model model() {
            return MultilayerPerceptron.of(3, Likelihoods.categorical(3));
        }
    }
}
