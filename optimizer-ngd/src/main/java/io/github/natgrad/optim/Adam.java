package io.github.natgrad.optim;

import io.github.natgrad.Checks;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.OptimizerState;

/**
 * Adam (Kingma and Ba 2015, "Adam: a method for stochastic optimization", ICLR), the first-order
 * baseline, with ND4J's update rule ({@code org.nd4j.linalg.learning.AdamUpdater}, the one DL4J users
 * train with): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α_t m/(√v + ε) with
 * α_t = η √(1−β₂ᵗ)/(1−β₁ᵗ) (the paper's "efficient" form, where ε sits outside the bias correction).
 * A test checks it against ND4J's updater step by step.
 *
 * <p>Why not ND4J's updater itself: it works on an INDArray view of the whole parameter vector, so each
 * step would copy θ and g into ND4J and back (two copies of D doubles) and run ND4J ops of 7–80 µs each;
 * and its state is an opaque view array. This plain-Java loop is one pass over D, bit-reproducible, and
 * its state (m, v, t) saves with {@link io.github.natgrad.OptimizerState}.
 *
 * <p>Defaults: η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no prior. Immutable, with {@code with...} copies.
 */
public final class Adam implements OptimizerFactory {
    private final double stepSize;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final L2Prior prior;

    private Adam(double stepSize, double beta1, double beta2, double epsilon, L2Prior prior) {
        this.stepSize = stepSize;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.prior = prior;
    }

    /** Adam with the defaults. */
    public static Adam defaults() {
        return new Adam(1e-3, 0.9, 0.999, 1e-8, null);
    }

    /** A copy with step size (learning rate) η &gt; 0. */
    public Adam withStepSize(double eta) {
        return new Adam(Checks.positive(eta, "step size"), beta1, beta2, epsilon, prior);
    }

    /** A copy with moment decays β₁, β₂ in [0, 1). */
    public Adam withBetas(double b1, double b2) {
        return new Adam(stepSize, unit(b1, "beta1"), unit(b2, "beta2"), epsilon, prior);
    }

    /** A copy with ε &gt; 0. */
    public Adam withEpsilon(double eps) {
        return new Adam(stepSize, beta1, beta2, Checks.positive(eps, "epsilon"), prior);
    }

    /** A copy with an L2 prior (or none, for {@code null}). */
    public Adam withPrior(L2Prior l2Prior) {
        return new Adam(stepSize, beta1, beta2, epsilon, l2Prior);
    }

    /** The prior, if any. */
    public java.util.Optional<L2Prior> prior() {
        return java.util.Optional.ofNullable(prior);
    }

    /** The step size η. */
    public double stepSize() {
        return stepSize;
    }

    /** The first-moment decay β₁. */
    public double beta1() {
        return beta1;
    }

    /** The second-moment decay β₂. */
    public double beta2() {
        return beta2;
    }

    /** The ε added to the root of the second moment. */
    public double epsilon() {
        return epsilon;
    }

    static double unit(double v, String name) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
        }
        return v;
    }

    @Override
    public Optimizer build(Model model) {
        Checks.notNull(model, "model");
        return new FirstOrderOptimizer(model, prior, stepSize, toString()) {
            private double[] m = new double[model.parameterCount()];
            private double[] v = new double[model.parameterCount()];

            @Override
            double update(double[] theta, double[] g, double eta, long t) {
                double alpha = eta * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
                double norm2 = 0;
                for (int i = 0; i < theta.length; i++) {
                    double gi = g[i];
                    m[i] = beta1 * m[i] + (1 - beta1) * gi;
                    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                    double u = alpha * m[i] / (Math.sqrt(v[i]) + epsilon);
                    theta[i] -= u;
                    norm2 += u * u;
                }
                return Math.sqrt(norm2) / eta;
            }

            @Override
            void writeBuffers(OptimizerState.Builder out) {
                out.putDoubles("m", m).putDoubles("v", v);
            }

            @Override
            void readBuffers(OptimizerState in) {
                double[] mm = OptimizerRun.buffer(in, "m", m.length);
                double[] vv = OptimizerRun.buffer(in, "v", v.length);
                m = mm;
                v = vv;
            }

            @Override
            void clearBuffers() {
                m = new double[m.length];
                v = new double[v.length];
            }
        };
    }

    @Override
    public String toString() {
        return "adam(eta=" + stepSize + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon
                + (prior == null ? "" : ", prior=" + prior) + ")";
    }
}
