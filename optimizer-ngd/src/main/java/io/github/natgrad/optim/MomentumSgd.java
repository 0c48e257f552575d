package io.github.natgrad.optim;

import io.github.natgrad.Checks;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.OptimizerState;

/**
 * Stochastic gradient descent with momentum, the other first-order baseline. Heavy-ball (Polyak 1964, the
 * form PyTorch uses): v ← μv + g, θ ← θ − η v. Nesterov ({@link #withNesterov}), with ND4J's update rule
 * ({@code org.nd4j.linalg.learning.NesterovsUpdater}): v' ← μv − ηg, θ ← θ − (μv − (1+μ)v'); a test
 * checks it against ND4J's updater. μ = 0 is plain SGD.
 *
 * <p>Defaults: η = 0.01, μ = 0.9, heavy-ball, no prior. Immutable, with {@code with...} copies.
 */
public final class MomentumSgd implements OptimizerFactory {
    private final double stepSize;
    private final double momentum;
    private final boolean nesterov;
    private final L2Prior prior;

    private MomentumSgd(double stepSize, double momentum, boolean nesterov, L2Prior prior) {
        this.stepSize = stepSize;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.prior = prior;
    }

    /** SGD with the defaults. */
    public static MomentumSgd defaults() {
        return new MomentumSgd(0.01, 0.9, false, null);
    }

    /** A copy with step size η &gt; 0. */
    public MomentumSgd withStepSize(double eta) {
        return new MomentumSgd(Checks.positive(eta, "step size"), momentum, nesterov, prior);
    }

    /** A copy with momentum μ in [0, 1). */
    public MomentumSgd withMomentum(double mu) {
        return new MomentumSgd(stepSize, Adam.unit(mu, "momentum"), nesterov, prior);
    }

    /** A copy using Nesterov's momentum (ND4J's form) instead of heavy-ball. */
    public MomentumSgd withNesterov(boolean on) {
        return new MomentumSgd(stepSize, momentum, on, prior);
    }

    /** A copy with an L2 prior (or none, for {@code null}). */
    public MomentumSgd withPrior(L2Prior l2Prior) {
        return new MomentumSgd(stepSize, momentum, nesterov, l2Prior);
    }

    /** The prior, if any. */
    public java.util.Optional<L2Prior> prior() {
        return java.util.Optional.ofNullable(prior);
    }

    /** The step size η. */
    public double stepSize() {
        return stepSize;
    }

    /** The momentum μ. */
    public double momentum() {
        return momentum;
    }

    /** Whether the momentum is Nesterov's (else heavy-ball). */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    public Optimizer build(Model model) {
        Checks.notNull(model, "model");
        return new FirstOrderOptimizer(model, prior, stepSize, toString()) {
            private double[] velocity = new double[model.parameterCount()];

            @Override
            double update(double[] theta, double[] g, double eta, long t) {
                double norm2 = 0;
                for (int i = 0; i < theta.length; i++) {
                    double u;
                    if (nesterov) {
                        double previous = velocity[i];
                        velocity[i] = momentum * previous - eta * g[i];
                        u = momentum * previous - (1 + momentum) * velocity[i];
                    } else {
                        velocity[i] = momentum * velocity[i] + g[i];
                        u = eta * velocity[i];
                    }
                    theta[i] -= u;
                    norm2 += u * u;
                }
                return Math.sqrt(norm2) / eta;
            }

            @Override
            void writeBuffers(OptimizerState.Builder out) {
                out.putDoubles("velocity", velocity);
            }

            @Override
            void readBuffers(OptimizerState in) {
                velocity = OptimizerRun.buffer(in, "velocity", velocity.length);
            }

            @Override
            void clearBuffers() {
                velocity = new double[velocity.length];
            }
        };
    }

    @Override
    public String toString() {
        return "sgd(eta=" + stepSize + ", momentum=" + momentum + (nesterov ? ", nesterov" : "")
                + (prior == null ? "" : ", prior=" + prior) + ")";
    }
}
