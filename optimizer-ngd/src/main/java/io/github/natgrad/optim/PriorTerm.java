package io.github.natgrad.optim;

import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;

/**
 * The one place the terms of an {@link L2Prior} with a per-parameter scale are computed: with p_j = s_j/(σ²N),
 * the penalty ½ Σ_j p_j θ_j², its gradient p ∘ θ, its curvature diag(p) and the quadratic form Σ_j p_j x_j y_j
 * (line searches, reduction ratios). The isotropic prior keeps its scalar path in the optimizers
 * ({@link #isotropicPrecision}: the step's arithmetic, and bits, are those of natgrad without scales); the scaled
 * prior's terms are added on top ({@link #penalty}, {@link #addGradient}, {@link #diagonal}), each 0 / nothing for
 * the isotropic prior and for no prior.
 */
public final class PriorTerm {
    private static final PriorTerm NONE = new PriorTerm(null, null);

    private final L2Prior prior;
    private final double[] scale;
    private int cachedRows = -1;
    private double[] cachedDiagonal;

    private PriorTerm(L2Prior prior, double[] scale) {
        this.prior = prior;
        this.scale = scale;
    }

    /**
     * The terms of {@code prior} ({@code null}: none) for {@code model}.
     *
     * @throws IllegalArgumentException if the prior's scale does not have one entry per parameter of the model
     */
    public static PriorTerm of(L2Prior prior, Model model) {
        if (prior == null) {
            return NONE;
        }
        prior.requireParameters(model.parameterCount(), model.describe());
        return new PriorTerm(prior, prior.scale());
    }

    /** Whether there is a prior with a per-parameter scale. */
    public boolean scaled() {
        return scale != null;
    }

    /** 1/(σ²N) of an isotropic prior; 0 without a prior and for a scaled one (whose terms come from the others). */
    public double isotropicPrecision(int n) {
        return prior == null || scale != null ? 0.0 : prior.precision(n);
    }

    /**
     * The per-parameter precisions p_j = s_j/(σ²N) of a scaled prior for a batch of N (shared, not to be changed),
     * {@code null} for the isotropic prior and for none.
     */
    public double[] diagonal(int n) {
        if (scale == null) {
            return null;
        }
        if (n != cachedRows) {
            double tau = prior.precision(n);
            double[] p = new double[scale.length];
            for (int j = 0; j < p.length; j++) {
                p[j] = tau * scale[j];
            }
            cachedDiagonal = p;
            cachedRows = n;
        }
        return cachedDiagonal;
    }

    /** ½ Σ_j p_j θ_j² of a scaled prior; 0 otherwise. */
    public double penalty(double[] theta, int n) {
        return 0.5 * quadratic(theta, theta, n);
    }

    /** Σ_j p_j x_j y_j of a scaled prior; 0 otherwise. */
    public double quadratic(double[] x, double[] y, int n) {
        double[] p = diagonal(n);
        if (p == null) {
            return 0.0;
        }
        double s = 0;
        for (int j = 0; j < p.length; j++) {
            s += p[j] * x[j] * y[j];
        }
        return s;
    }

    /** {@code gradient} += p ∘ θ for a scaled prior; nothing otherwise. */
    public void addGradient(double[] theta, int n, double[] gradient) {
        double[] p = diagonal(n);
        if (p == null) {
            return;
        }
        for (int j = 0; j < p.length; j++) {
            gradient[j] += p[j] * theta[j];
        }
    }
}
