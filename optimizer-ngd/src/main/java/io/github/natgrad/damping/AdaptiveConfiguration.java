package io.github.natgrad.damping;

import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;

/**
 * The configuration side of an adaptive damping policy ({@link LevenbergMarquardtDamping}, {@link AutoDamping}):
 * immutable, it does not damp and is not told ratios; an optimizer damps with its {@link #copy() running copy},
 * which holds what the run adapts. Asking the configuration is refused with an {@link IllegalStateException} that
 * says so.
 */
abstract class AdaptiveConfiguration implements DampingPolicy {

    /** Refused: a configuration does not damp; an optimizer damps with its {@link #copy() running copy}. */
    @Override
    public final Damped damp(CurvatureSystem curvature) {
        throw configurationOnly("damp");
    }

    /** Refused: a configuration is not told ratios; an optimizer tells its {@link #copy() running copy}. */
    @Override
    public final void observe(double rho) {
        throw configurationOnly("observe");
    }

    /** True: the running copy adapts to ρ. */
    @Override
    public final boolean needsReductionRatio() {
        return true;
    }

    private IllegalStateException configurationOnly(String what) {
        return new IllegalStateException(name() + " is an immutable configuration and cannot " + what
                + "; call copy() for the running copy an optimizer adapts");
    }

    /**
     * One run of an adaptive configuration {@code R}: the λ the run adapts (in its subclass's rule) and the
     * configuration it follows. Owned by one optimizer; not thread-safe.
     */
    abstract static class Run<R extends AdaptiveConfiguration> implements DampingPolicy {
        /** The configuration this run follows. */
        final R rule;
        /** The λ the next step starts from (NaN before the first step where λ₀ depends on the curvature). */
        double lambda;

        Run(R rule, double lambda) {
            this.rule = rule;
            this.lambda = lambda;
        }

        /** The configuration this run follows. */
        public final R rule() {
            return rule;
        }

        /** The λ the next step starts from (NaN before the first step where λ₀ depends on the curvature). */
        public final double currentLambda() {
            return lambda;
        }

        @Override
        public final String name() {
            return rule.name();
        }

        /** True: the run adapts λ to ρ. */
        @Override
        public final boolean needsReductionRatio() {
            return true;
        }
    }
}
