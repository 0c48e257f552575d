package io.github.natgrad.models;

/**
 * An elementwise activation σ of a {@link MultilayerPerceptron}'s hidden layers, with its first and
 * second derivatives (the exact Hessian needs σ''). tanh, softplus, sigmoid and the identity are C^∞, so
 * the Hessian is defined everywhere; ReLU is piecewise linear: σ'' = 0 wherever it is defined (z ≠ 0), and
 * natgrad takes σ'(0) = 0, as the deep-learning frameworks do.
 */
public enum Activation {
    /** σ(z) = tanh z; σ' = 1 − tanh² z; σ'' = −2 tanh z (1 − tanh² z). */
    TANH {
        @Override
        public double value(double z) {
            return Math.tanh(z);
        }

        @Override
        public double first(double z) {
            double t = Math.tanh(z);
            return 1 - t * t;
        }

        @Override
        public double second(double z) {
            double t = Math.tanh(z);
            return -2 * t * (1 - t * t);
        }
    },
    /** σ(z) = log(1 + eᶻ) (softplus, a smooth ReLU); σ' = s(z), the logistic sigmoid; σ'' = s(z)(1 − s(z)). */
    SOFTPLUS {
        @Override
        public double value(double z) {
            return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
        }

        @Override
        public double first(double z) {
            return SIGMOID.value(z);
        }

        @Override
        public double second(double z) {
            return SIGMOID.first(z);
        }
    },
    /** σ(z) = 1/(1 + e⁻ᶻ), the logistic sigmoid; σ' = σ(1 − σ); σ'' = σ(1 − σ)(1 − 2σ). */
    SIGMOID {
        @Override
        public double value(double z) {
            return BernoulliLikelihood.sigmoid(z);
        }

        @Override
        public double first(double z) {
            double s = BernoulliLikelihood.sigmoid(z);
            return s * (1 - s);
        }

        @Override
        public double second(double z) {
            double s = BernoulliLikelihood.sigmoid(z);
            return s * (1 - s) * (1 - 2 * s);
        }
    },
    /** σ(z) = z (a linear hidden layer); σ' = 1; σ'' = 0. */
    IDENTITY {
        @Override
        public double value(double z) {
            return z;
        }

        @Override
        public double first(double z) {
            return 1.0;
        }

        @Override
        public double second(double z) {
            return 0.0;
        }
    },
    /** σ(z) = max(z, 0); σ' = 1 for z &gt; 0, else 0; σ'' = 0 (almost everywhere). */
    RELU {
        @Override
        public double value(double z) {
            return z > 0 ? z : 0.0;
        }

        @Override
        public double first(double z) {
            return z > 0 ? 1.0 : 0.0;
        }

        @Override
        public double second(double z) {
            return 0.0;
        }
    };

    /** σ(z). */
    public abstract double value(double z);

    /** σ'(z). */
    public abstract double first(double z);

    /** σ''(z). */
    public abstract double second(double z);
}
