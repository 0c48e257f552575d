package io.github.natgrad.layerwise;

import io.github.natgrad.Optimizer;

/** Test access to a layer-wise optimizer's package-private curvature product, for tests in other packages. */
public final class LayerwiseAccess {
    private LayerwiseAccess() {
    }

    /** out = C v with the optimizer's current per-layer curvature (its blocks, without damping). */
    public static void curvatureProduct(Optimizer optimizer, double[] v, double[] out) {
        ((LayerwiseOptimizer) optimizer).curvatureProduct(v, out);
    }
}
