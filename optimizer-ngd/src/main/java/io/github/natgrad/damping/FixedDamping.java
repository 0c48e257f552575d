package io.github.natgrad.damping;

import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;

/**
 * Tikhonov damping with a constant λ: the step solves (C + λI) d = g. A damped curvature that is not
 * positive definite is reported with its smallest eigenvalue, never used.
 */
final class FixedDamping implements DampingPolicy, ScalarDamping {
    private final double lambda;

    FixedDamping(double lambda) {
        this.lambda = lambda;
    }

    @Override
    public String name() {
        return String.format("fixed(%.3g)", lambda);
    }

    @Override
    public Damped damp(CurvatureSystem curvature) {
        return curvature.factor(lambda)
                .map(f -> new Damped(lambda, f, "fixed"))
                .orElseThrow(() -> new CurvatureNotPositiveDefiniteException(curvature.kind(),
                        curvature.spectrum().min(), lambda));
    }

    @Override
    public double initialLambda() {
        return lambda;
    }

    @Override
    public boolean adapts() {
        return false;
    }

    @Override
    public double next(double current, double rho, int steps) {
        return current;
    }

    @Override
    public DampingPolicy copy() {
        return this;
    }
}
