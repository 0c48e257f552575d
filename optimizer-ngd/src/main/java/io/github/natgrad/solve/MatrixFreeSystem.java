package io.github.natgrad.solve;

import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import java.util.Optional;

/**
 * A {@link CurvatureSystem} held as an operator and solved by conjugate gradients: {@link #factor} never
 * fails up front (positive definiteness shows only during the solve, as a
 * {@link io.github.natgrad.NegativeCurvatureException}); {@link #spectrum()} and {@link #toDense()} build
 * C from D products and are meant for small D only (inspection, tests).
 */
final class MatrixFreeSystem extends OperatorSystem {
    /** Largest D for which {@link #spectrum()} / {@link #toDense()} build the dense matrix. */
    static final int DENSE_LIMIT = 4096;

    private final ConjugateGradient config;

    MatrixFreeSystem(CurvatureOperator op, ConjugateGradient config) {
        super(op);
        this.config = config;
    }

    @Override
    public Optional<Factorization> factor(double lambda) {
        return Optional.of(config.factorization(op, lambda));
    }

    /** The Steihaug–Toint CG solve within radius Δ (NaN: choose Δ₀ from the gradient); see {@link ConjugateGradient#withinRadius}. */
    TrustRegionSolve withinRadius(double radius) {
        return new ConjugateGradientSolve(op, 0.0, config, radius);
    }

    /** C from D products with the unit vectors (symmetrised), for D up to {@link #DENSE_LIMIT}. */
    static double[] densify(CurvatureOperator op) {
        int d = op.dimension();
        if (d > DENSE_LIMIT) {
            throw new UnsupportedOperationException("the " + op.kind() + " curvature has D = " + d + " parameters, "
                    + "too many to form densely (limit " + DENSE_LIMIT + "); use a damping that needs no "
                    + "eigen-decomposition (fixed, levenberg-marquardt, shift-to-pd) or Lanczos estimates");
        }
        double[] c = new double[d * d];
        double[] e = new double[d];
        double[] col = new double[d];
        for (int j = 0; j < d; j++) {
            e[j] = 1;
            op.multiply(e, col);
            e[j] = 0;
            for (int i = 0; i < d; i++) {
                c[i * d + j] = col[i];
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double s = 0.5 * (c[i * d + j] + c[j * d + i]);
                c[i * d + j] = s;
                c[j * d + i] = s;
            }
        }
        return c;
    }
}
