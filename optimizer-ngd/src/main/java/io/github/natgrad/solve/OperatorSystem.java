package io.github.natgrad.solve;

import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Spectrum;
import java.util.Optional;

/**
 * A {@link CurvatureSystem} over a {@link CurvatureOperator}: the kind, the dimension, the products and the
 * diagonal are the operator's; {@link #toDense()} forms C from D products ({@link MatrixFreeSystem#densify}) and
 * {@link #spectrum()} decomposes it once, both for small D only (inspection, tests, spectral dampings). The
 * subclass says how C + λI is solved: by conjugate gradients ({@link MatrixFreeSystem}) or by the Woodbury
 * identity ({@link Woodbury}).
 */
abstract class OperatorSystem implements CurvatureSystem {
    /** The curvature's products. */
    final CurvatureOperator op;
    private Spectrum spectrum;

    OperatorSystem(CurvatureOperator op) {
        this.op = op;
    }

    @Override
    public final String kind() {
        return op.kind();
    }

    @Override
    public final int dimension() {
        return op.dimension();
    }

    @Override
    public final void multiply(double[] v, double[] out) {
        op.multiply(v, out);
    }

    @Override
    public final Optional<double[]> diagonal() {
        return op.diagonal();
    }

    @Override
    public final Spectrum spectrum() {
        if (spectrum == null) {
            spectrum = DenseSpectrum.of(toDense(), dimension());
        }
        return spectrum;
    }

    @Override
    public final double[] toDense() {
        return MatrixFreeSystem.densify(op);
    }
}
