package io.github.natgrad.solve;

import io.github.natgrad.Factorization;
import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;
import java.util.Optional;

/**
 * Solves with the symmetric eigen-decomposition C = V diag(w) Vᵀ: (C + λI)⁻¹ b = V diag(1/(w + λ)) Vᵀ b.
 * C + λI counts as positive definite when min(w) + λ &gt; D·ε·max|w| (ε the machine epsilon), the
 * same threshold at which Cholesky would lose all accuracy.
 */
final class EigenSolver implements Solver {
    static final EigenSolver INSTANCE = new EigenSolver();

    private EigenSolver() {
    }

    @Override
    public String name() {
        return "eigen";
    }

    @Override
    public Optional<Factorization> factor(double[] c, int d, double lambda) {
        return factor(DenseSpectrum.of(c, d), lambda);
    }

    /** (C + λI)⁻¹ from a spectrum already computed, or empty if not positive definite. */
    static Optional<Factorization> factor(Spectrum spectrum, double lambda) {
        double scale = Math.max(Math.abs(spectrum.min()), Math.abs(spectrum.max()));
        double threshold = spectrum.eigenvalues().length * Math.ulp(1.0) * scale;
        if (!(spectrum.min() + lambda > threshold)) {
            return Optional.empty();
        }
        return Optional.of(spectrum.inverse(w -> w + lambda));
    }

    @Override
    public Spectrum decompose(double[] c, int d) {
        return DenseSpectrum.of(c, d);
    }

    @Override
    public String toString() {
        return name();
    }
}
