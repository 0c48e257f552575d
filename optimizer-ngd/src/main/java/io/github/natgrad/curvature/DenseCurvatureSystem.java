package io.github.natgrad.curvature;

import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;
import io.github.natgrad.linalg.Blas;
import java.util.Optional;

/**
 * A curvature held as a dense symmetric D × D matrix (row-major, both triangles filled), factorised
 * with a {@link Solver}. The eigen-decomposition is computed at most once; with a solver that
 * {@linkplain Solver#factorsFromSpectrum() factorises from the spectrum} (the eigen solver) every
 * {@link #factor(double)} reuses it, so one decomposition serves every λ a damping policy tries.
 */
public final class DenseCurvatureSystem implements CurvatureSystem {
    private final String kind;
    private final double[] c;
    private final int d;
    private final Solver solver;
    private Spectrum spectrum;

    /**
     * Wraps {@code c} (not copied: it must not change while the system is in use).
     *
     * @param kind   the curvature kind's name, for messages
     * @param c      the dense symmetric matrix, row-major d × d
     * @param d      the dimension
     * @param solver the solver strategy
     */
    public DenseCurvatureSystem(String kind, double[] c, int d, Solver solver) {
        this.kind = kind;
        this.c = checkedSquare(c, d);
        this.d = d;
        this.solver = solver;
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
    }

    @Override
    public Optional<Factorization> factor(double lambda) {
        if (solver.factorsFromSpectrum()) {
            return solver.factor(spectrum(), lambda);
        }
        return solver.factor(c, d, lambda);
    }

    @Override
    public Spectrum spectrum() {
        if (spectrum == null) {
            spectrum = solver.decompose(c, d);
        }
        return spectrum;
    }

    @Override
    public Optional<double[]> diagonal() {
        return Optional.of(diagonalOf(c, d));
    }

    /** {@code c}, after checking that it holds the d × d entries of a dense curvature of dimension d. */
    public static double[] checkedSquare(double[] c, int d) {
        if (c.length != d * d) {
            throw new IllegalArgumentException("a dense curvature of dimension " + d + " needs " + d * d
                    + " entries, got " + c.length);
        }
        return c;
    }

    /** The diagonal (c_11, …, c_dd) of a row-major d × d matrix, a new array. */
    public static double[] diagonalOf(double[] c, int d) {
        double[] diag = new double[d];
        for (int i = 0; i < d; i++) {
            diag[i] = c[i * d + i];
        }
        return diag;
    }

    @Override
    public double[] toDense() {
        return c.clone();
    }
}
