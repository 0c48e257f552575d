package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.Solver;
import java.util.Set;

/**
 * A curvature kind used without the prior's curvature: the optimizer preconditions with the kind's data-term
 * matrix C alone, (C + λI)⁻¹ g, while g (and the loss) keep the prior's terms. This is the empirical-Fisher
 * field of Kunstner, Balles and Hennig (2019, Fig. 1), whose code adds the prior to the loss, the gradient
 * and the Hessian but not to the empirical Fisher.
 */
final class WithoutPrior implements Curvature {
    private final Curvature kind;

    WithoutPrior(Curvature kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.name() + "-without-prior";
    }

    @Override
    public Set<ModelCapability> requires() {
        return kind.requires();
    }

    @Override
    public boolean requiresSampling() {
        return kind.requiresSampling();
    }

    @Override
    public boolean includesPrior() {
        return false;
    }

    @Override
    public CurvatureSystem build(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double priorPrecision, Solver solver) {
        return kind.build(linearization, batch, likelihood, residual, 0.0, solver);
    }

    @Override
    public Curvature copy() {
        return new WithoutPrior(kind.copy());
    }
}
