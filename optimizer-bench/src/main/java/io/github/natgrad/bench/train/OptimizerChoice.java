package io.github.natgrad.bench.train;

import io.github.natgrad.Model;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.optim.Adam;
import io.github.natgrad.optim.MomentumSgd;
import io.github.natgrad.optim.NaturalGradient;
import java.util.Locale;

/**
 * The optimizers the network commands offer, by name, with the defaults they use when no step size or
 * damping is given — the step sizes tuned by {@code network-bench} on Fashion-MNIST at batch 1000 (see
 * {@code docs/network-benchmark.md}): {@code kfac} (K-FAC, true Fisher from sampled labels, η 0.1, λ₀ 1e-2
 * adapted every 5 steps), {@code adam} (η 4e-3), {@code sgd} (momentum 0.9, η 0.2) and {@code ngd} (the dense Monte-Carlo
 * Fisher with Levenberg-Marquardt and step rejection, for networks of at most {@value #DENSE_LIMIT} parameters).
 */
public enum OptimizerChoice {
    KFAC(0.1, 1e-2),
    ADAM(4e-3, Double.NaN),
    SGD(0.2, Double.NaN),
    NGD(0.5, 1e-2);

    /** The largest network the dense natural gradient is offered for (its curvature is D × D). */
    public static final int DENSE_LIMIT = 4000;

    private final double defaultStepSize;
    private final double defaultDamping;

    OptimizerChoice(double defaultStepSize, double defaultDamping) {
        this.defaultStepSize = defaultStepSize;
        this.defaultDamping = defaultDamping;
    }

    /** The choice named {@code name} (case-insensitive). */
    public static OptimizerChoice parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; choose kfac, ngd, adam or sgd");
        }
    }

    /** The default step size. */
    public double defaultStepSize() {
        return defaultStepSize;
    }

    /** The default initial damping (NaN for the first-order methods). */
    public double defaultDamping() {
        return defaultDamping;
    }

    /** The configuration for {@code model}; NaN step size or damping means the default. */
    public OptimizerFactory configure(Model model, double stepSize, double damping, long seed) {
        double eta = Double.isNaN(stepSize) ? defaultStepSize : stepSize;
        double lambda = Double.isNaN(damping) ? defaultDamping : damping;
        return switch (this) {
            case KFAC -> LayerwiseNaturalGradient.kfac().withStepSize(eta).withDamping(lambda).withSeed(seed);
            case ADAM -> Adam.defaults().withStepSize(eta);
            case SGD -> MomentumSgd.defaults().withStepSize(eta).withMomentum(0.9);
            case NGD -> {
                if (model.parameterCount() > DENSE_LIMIT) {
                    throw new IllegalArgumentException("the dense natural gradient keeps a D x D curvature: D = "
                            + model.parameterCount() + " needs " + String.format(Locale.ROOT, "%.1f",
                            8.0 * model.parameterCount() * model.parameterCount() / 1e9)
                            + " GB; use --optimizer kfac, its Kronecker-factored form, for networks above "
                            + DENSE_LIMIT + " parameters");
                }
                yield NaturalGradient.of(Curvatures.monteCarloFisher(1, seed)).withStepSize(eta)
                        .withDamping(Damping.levenbergMarquardt(lambda, 1e-8, 1e8)).withStepRejection(4);
            }
        };
    }
}
