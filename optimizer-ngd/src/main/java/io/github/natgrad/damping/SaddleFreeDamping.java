package io.github.natgrad.damping;

import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;

/**
 * The saddle-free Newton step of Dauphin et al. (NeurIPS 2014, "Identifying and attacking the saddle
 * point problem in high-dimensional non-convex optimization"): d = (|C| + λI)⁻¹ g, where |C| = V|W|Vᵀ
 * replaces each eigenvalue of C by its absolute value, so directions of negative curvature are
 * followed downhill rather than towards the saddle.
 */
final class SaddleFreeDamping implements DampingPolicy {
    private final double lambda;

    SaddleFreeDamping(double lambda) {
        this.lambda = lambda;
    }

    @Override
    public String name() {
        return String.format("saddle-free(%.3g)", lambda);
    }

    @Override
    public Damped damp(CurvatureSystem curvature) {
        var spectrum = curvature.spectrum();
        long negative = java.util.Arrays.stream(spectrum.eigenvalues()).filter(w -> w < 0).count();
        return new Damped(lambda, spectrum.inverse(w -> Math.abs(w) + lambda),
                "saddle-free: " + negative + " negative eigenvalues flipped");
    }

    @Override
    public DampingPolicy copy() {
        return this;
    }
}
