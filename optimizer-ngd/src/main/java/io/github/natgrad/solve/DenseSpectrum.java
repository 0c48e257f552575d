package io.github.natgrad.solve;

import io.github.natgrad.CurvatureNotPositiveDefiniteException;
import io.github.natgrad.Factorization;
import io.github.natgrad.Spectrum;
import io.github.natgrad.linalg.Blas;
import java.util.function.DoubleUnaryOperator;

/** A dense symmetric eigen-decomposition C = V diag(w) Vᵀ computed by LAPACK {@code dsyevd}. */
public final class DenseSpectrum implements Spectrum {
    private final int d;
    private final double[] vectors;
    private final double[] values;

    private DenseSpectrum(int d, double[] vectors, double[] values) {
        this.d = d;
        this.vectors = vectors;
        this.values = values;
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
        return new DenseSpectrum(d, v, w);
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
