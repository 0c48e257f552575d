package io.github.natgrad.optim;

import io.github.natgrad.Checks;
import io.github.natgrad.Model;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepReport;

/**
 * A {@link NaturalGradient} optimizer stepping on a {@link ShardedObjective}: θ ← θ − η (C + λI)⁻¹ g with the
 * same damping policy, conjugate-gradient solve, line search and step rejection as the optimizer of
 * {@link NaturalGradient#build(Model)} (the same code: only the sums come from the shards), with O(D)
 * memory on the caller's side. Made by {@link NaturalGradient#build(ShardedObjective)}; one per run, not
 * thread-safe. Its {@link #state()} is the state of the local optimizer of the same configuration, so a run
 * can be resumed (and compared) across the two.
 */
public final class ShardedOptimizer {
    private final NaturalGradientOptimizer optimizer;
    private final ShardedObjective objective;

    ShardedOptimizer(NaturalGradientOptimizer optimizer, ShardedObjective objective) {
        this.optimizer = optimizer;
        this.objective = objective;
    }

    /** The model. */
    public Model model() {
        return objective.model();
    }

    /** The objective this optimizer steps on. */
    public ShardedObjective objective() {
        return objective;
    }

    /** One step from θ (updated in place), as {@link io.github.natgrad.Optimizer#step}. */
    public StepReport step(double[] theta) {
        return optimizer.step(theta, objective);
    }

    /** The objective (mean NLL plus prior) at θ. */
    public double loss(double[] theta) {
        Checks.notNull(theta, "theta");
        return optimizer.loss(theta, objective);
    }

    /** What the optimizer carries between steps, as {@link io.github.natgrad.Optimizer#state()}. */
    public OptimizerState state() {
        return optimizer.state();
    }

    /** Restores a {@link #state()}, as {@link io.github.natgrad.Optimizer#restore}. */
    public void restore(OptimizerState state) {
        optimizer.restore(state);
    }
}
