package io.github.natgrad.solve;

import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.linalg.Blas;
import java.util.Optional;

/** A dense symmetric matrix seen as a {@link CurvatureOperator} (for the matrix-free solvers' dense entry point). */
final class DenseOperator implements CurvatureOperator {
    private final String kind;
    private final double[] c;
    private final int d;
    private long products;

    private DenseOperator(String kind, double[] c, int d) {
        this.kind = kind;
        this.c = c;
        this.d = d;
    }

    static DenseOperator of(String kind, double[] c, int d) {
        if (c.length != d * d) {
            throw new IllegalArgumentException("a dense curvature of dimension " + d + " needs " + d * d
                    + " entries, got " + c.length);
        }
        return new DenseOperator(kind, c, d);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public void multiply(double[] v, double[] out) {
        Blas.symv(d, c, v, out);
        products++;
    }

    @Override
    public long products() {
        return products;
    }

    @Override
    public boolean positiveSemidefinite() {
        return false;
    }

    @Override
    public Optional<double[]> diagonal() {
        double[] diag = new double[d];
        for (int j = 0; j < d; j++) {
            diag[j] = c[j * d + j];
        }
        return Optional.of(diag);
    }
}
