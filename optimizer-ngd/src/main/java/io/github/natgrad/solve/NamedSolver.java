package io.github.natgrad.solve;

import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;

/**
 * What natgrad's solvers share: a fixed {@link #name()} (also their {@link #toString()} unless a solver shows its
 * settings) and the eigen-decomposition of a dense C by LAPACK {@code dsyevd}, checked ({@link DenseSpectrum}),
 * which every one of them uses for {@link #decompose}. Extended by the Cholesky, eigen, Woodbury,
 * conjugate-gradient and automatic solvers.
 */
abstract class NamedSolver implements Solver {
    private final String name;

    NamedSolver(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    /** {@link DenseSpectrum#of}: LAPACK {@code dsyevd}, checked on a probe vector. */
    @Override
    public final Spectrum decompose(double[] c, int d) {
        return DenseSpectrum.of(c, d);
    }

    @Override
    public String toString() {
        return name;
    }
}
