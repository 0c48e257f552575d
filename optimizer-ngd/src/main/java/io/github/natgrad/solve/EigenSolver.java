package io.github.natgrad.solve;

import io.github.natgrad.Factorization;
import io.github.natgrad.Spectrum;
import java.util.Optional;

/**
 * Solves with the symmetric eigen-decomposition C = V diag(w) Vᵀ: (C + λI)⁻¹ b = V diag(1/(w + λ)) Vᵀ b.
 * C + λI counts as positive definite when min(w) + λ &gt; D·ε·max|w| (ε the machine epsilon), the
 * same threshold at which Cholesky would lose all accuracy.
 *
 * <p>Through a {@link io.github.natgrad.CurvatureSystem} (what an optimizer and its damping policy use)
 * C is decomposed once per step and every λ tried on it reuses that spectrum
 * ({@link #factorsFromSpectrum()}); the stateless {@link #factor(double[], int, double)} on a bare
 * matrix decomposes it on each call.
 *
 * <p>Never silently wrong: the decomposition is checked once on a probe vector, and every solve checks its
 * residual ‖(C + λI)x − g‖ and refines once if needed ({@link DenseSpectrum}).
 */
final class EigenSolver extends NamedSolver {
    static final EigenSolver INSTANCE = new EigenSolver();

    private EigenSolver() {
        super("eigen");
    }

    @Override
    public Optional<Factorization> factor(double[] c, int d, double lambda) {
        return factor(DenseSpectrum.of(c, d), lambda);
    }

    @Override
    public boolean factorsFromSpectrum() {
        return true;
    }

    /** (C + λI)⁻¹ from a spectrum already computed, or empty if not positive definite. */
    @Override
    public Optional<Factorization> factor(Spectrum spectrum, double lambda) {
        double scale = Math.max(Math.abs(spectrum.min()), Math.abs(spectrum.max()));
        int d = spectrum instanceof DenseSpectrum dense ? dense.dimension() : spectrum.eigenvalues().length;
        double threshold = d * Math.ulp(1.0) * scale;
        if (!(spectrum.min() + lambda > threshold)) {
            return Optional.empty();
        }
        if (spectrum instanceof DenseSpectrum dense) {
            return Optional.of(dense.shiftedInverse(lambda));
        }
        return Optional.of(spectrum.inverse(w -> w + lambda));
    }
}
