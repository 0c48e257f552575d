package io.github.natgrad.solve;

import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.Factorization;
import io.github.natgrad.Spectrum;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.BlasKernelException;
import io.github.natgrad.linalg.SolveCheck;
import java.util.function.DoubleUnaryOperator;

/**
 * A dense symmetric eigen-decomposition C = V diag(w) Vᵀ computed by LAPACK {@code dsyevd}.
 *
 * <p>Never silently wrong: the decomposition is checked once, when made, on a fixed pseudo-random probe z
 * (seed {@value #PROBE_SEED}): ‖Cz − V diag(w) Vᵀz‖ must be at rounding level (O(D²), against 4D³ for the
 * decomposition), which a wrong eigenvector or eigenvalue fails with probability one; and every solve with
 * (C + λI) from {@link EigenSolver} checks its residual ‖(C + λI)x − g‖ ({@link SolveCheck}), refining once
 * if needed. A failure throws a {@link BlasKernelException} naming the routine and kernel. For this the
 * spectrum keeps a copy of C.
 */
public final class DenseSpectrum implements Spectrum {
    /** The seed of the probe vector of the decomposition check. */
    public static final long PROBE_SEED = 20261203L;

    private final int d;
    private final double[] matrix;
    private final double frobenius;
    private final double[] vectors;
    private final double[] values;

    private DenseSpectrum(int d, double[] matrix, double[] vectors, double[] values) {
        this.d = d;
        this.matrix = matrix;
        this.vectors = vectors;
        this.values = values;
        double scale = 0;
        for (double m : matrix) {
            scale = Math.max(scale, Math.abs(m));
        }
        double f = 0;
        if (scale > 0) {
            for (double m : matrix) {
                double e = m / scale;
                f += e * e;
            }
        }
        this.frobenius = scale * Math.sqrt(f);
    }

    /** Decomposes the dense row-major symmetric d × d matrix {@code c} (not modified; upper triangle read). */
    public static DenseSpectrum of(double[] c, int d) {
        for (int i = 0; i < d * d; i++) {
            if (!Double.isFinite(c[i])) {
                throw new IllegalArgumentException("cannot decompose a curvature with a non-finite entry: C["
                        + (i / d) + "][" + (i % d) + "] = " + c[i]);
            }
        }
        double[] v = c.clone();
        double[] w = new double[d];
        Blas.symmetricEigen(d, v, w);
        DenseSpectrum spectrum = new DenseSpectrum(d, c.clone(), v, w);
        spectrum.checkDecomposition();
        return spectrum;
    }

    /** ‖Cz − V diag(w) Vᵀz‖ ≤ 64·D·ε·‖C‖_F·‖z‖ for the probe z, or a {@link BlasKernelException}. */
    private void checkDecomposition() {
        double[] z = new double[d];
        java.util.SplittableRandom random = new java.util.SplittableRandom(PROBE_SEED);
        for (int i = 0; i < d; i++) {
            z[i] = random.nextDouble() - 0.5;
        }
        double[] cz = new double[d];
        Blas.symv(d, matrix, z, cz);
        double[] vz = new double[d];
        apply(w -> w, z, vz);
        double diff = 0;
        double zNorm = 0;
        for (int i = 0; i < d; i++) {
            diff += (cz[i] - vz[i]) * (cz[i] - vz[i]);
            zNorm += z[i] * z[i];
        }
        diff = Math.sqrt(diff);
        double tolerance = SolveCheck.FACTOR * d * Math.ulp(1.0) * frobenius * Math.sqrt(zNorm);
        if (!(diff <= tolerance)) {
            throw new BlasKernelException("dsyevd", String.format("the eigen-decomposition V diag(w) V' of a %d x %d "
                    + "matrix C (Frobenius norm %.3g) differs from C on a probe vector z: ||Cz - V diag(w) V'z|| = "
                    + "%.3g ||z||, where rounding allows %.3g ||z||", d, d, frobenius, diff / Math.sqrt(zNorm),
                    tolerance / Math.sqrt(zNorm)));
        }
    }

    /**
     * (C + λI)⁻¹, every solve checked by its residual ‖(C + λI)x − g‖ and refined once if needed;
     * λ_min + λ must be positive (see {@link #inverse}).
     */
    Factorization shiftedInverse(double lambda) {
        Factorization inverse = inverse(w -> w + lambda);
        double norm = frobenius + Math.abs(lambda);
        SolveCheck.Product product = (x, out) -> {
            Blas.symv(d, matrix, x, out);
            for (int i = 0; i < d; i++) {
                out[i] += lambda * x[i];
            }
        };
        return (b, x) -> {
            double[] rhs = x == b ? b.clone() : b;
            inverse.solve(rhs, x);
            SolveCheck.refine("eigen solve (LAPACK dsyevd)", d, norm, product, inverse::solve, rhs, x);
        };
    }

    /** The dimension D. */
    public int dimension() {
        return d;
    }

    @Override
    public double[] eigenvalues() {
        return values.clone();
    }

    @Override
    public double min() {
        return values[0];
    }

    @Override
    public double max() {
        return values[d - 1];
    }

    /** The eigenvectors as the columns of a row-major d × d array (a copy). */
    public double[] eigenvectors() {
        return vectors.clone();
    }

    @Override
    public Factorization inverse(DoubleUnaryOperator map) {
        double[] inv = new double[d];
        for (int i = 0; i < d; i++) {
            double m = map.applyAsDouble(values[i]);
            if (!(m > 0) || Double.isInfinite(m)) {
                throw new CurvatureNotPositiveDefiniteException("decomposed", values[0], m - values[i]);
            }
            inv[i] = 1.0 / m;
        }
        return (b, x) -> {
            double[] t = new double[d];
            Blas.gemvTransposed(d, d, 1.0, vectors, b, 0.0, t);
            for (int i = 0; i < d; i++) {
                t[i] *= inv[i];
            }
            Blas.gemv(d, d, 1.0, vectors, t, 0.0, x);
        };
    }

    /**
     * x = V diag(f(w)) Vᵀ b, any spectral function of C applied to b: e.g. f(w) = 1/(w + λ) gives the
     * Newton direction (C + λI)⁻¹b of an indefinite C + λI, which {@link #inverse} refuses. Nothing is
     * checked: f(w) = ±∞ or NaN makes x non-finite. {@code b} is left unchanged; {@code x} may be {@code b}.
     */
    public void apply(DoubleUnaryOperator f, double[] b, double[] x) {
        double[] t = new double[d];
        Blas.gemvTransposed(d, d, 1.0, vectors, b, 0.0, t);
        for (int i = 0; i < d; i++) {
            t[i] *= f.applyAsDouble(values[i]);
        }
        Blas.gemv(d, d, 1.0, vectors, t, 0.0, x);
    }
}
