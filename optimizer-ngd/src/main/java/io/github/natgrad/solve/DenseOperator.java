package io.github.natgrad.solve;

import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.curvature.CountingOperator;
import io.github.natgrad.curvature.DenseCurvatureSystem;
import io.github.natgrad.linalg.Blas;
import java.util.Optional;

/** A dense symmetric matrix seen as a {@link CurvatureOperator} (for the matrix-free solvers' dense entry point). */
final class DenseOperator extends CountingOperator {
    private final double[] c;
    private final int d;

    private DenseOperator(String kind, double[] c, int d) {
        super(kind, d);
        this.c = c;
        this.d = d;
    }

    static DenseOperator of(String kind, double[] c, int d) {
        return new DenseOperator(kind, DenseCurvatureSystem.checkedSquare(c, d), d);
    }

    @Override
    protected void apply(double[] v, double[] out) {
        Blas.symv(d, c, v, out);
    }

    @Override
    public boolean positiveSemidefinite() {
        return false;
    }

    @Override
    public Optional<double[]> diagonal() {
        return Optional.of(DenseCurvatureSystem.diagonalOf(c, d));
    }
}
