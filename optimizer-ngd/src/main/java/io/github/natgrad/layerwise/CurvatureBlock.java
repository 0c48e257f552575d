package io.github.natgrad.layerwise;

import io.github.natgrad.OptimizerState;

/**
 * The curvature estimate of one dense layer under one {@link Structure}: statistics folded into a moving
 * average, a damped inverse refreshed every few steps, and the products the optimizer needs. Vectors are
 * in θ's layout for the layer: W (out × in, row-major) then b (out).
 *
 * <p>Call order: {@link #accumulate} at least once, then {@link #refresh}, then any number of
 * {@link #precondition} and {@link #multiply}; accumulate and refresh again whenever the periods say.
 */
interface CurvatureBlock {

    /**
     * Folds in one batch: layer inputs {@code a} (n × in) and pre-activation gradients {@code g}
     * ((n·m) × out, m rows per example), as a weighted moving average with {@code decay}: the estimate is
     * Σ_t decay^(T−t) S_t / Σ_t decay^(T−t) over the batches' statistics S_t (the first batch's alone at
     * first, decay 0: the latest batch's).
     */
    void accumulate(double[] a, double[] g, int n, int m, double decay);

    /**
     * Recomputes the damped inverse with total damping λ &gt; 0 (the damping plus an isotropic prior's precision)
     * and, for a prior with a per-parameter scale, its precisions p for this layer ({@code prior}, in the
     * [W | b] matrix layout of {@link LayerShape#toMatrix}; null otherwise): the inverse of
     * estimate + diag(p) + λI, exactly for the diagonal and block-diagonal structures; K-FAC, whose factored
     * damping has one λ per layer, uses λ + mean(p) (the isotropic prior of the same trace).
     */
    void refresh(double lambda, double[] prior, InverseMethod method);

    /** {@code out[outOff..]} = (damped estimate)⁻¹ v for the layer's slice of v starting at {@code off}. */
    void precondition(double[] v, int off, double[] out, int outOff);

    /** {@code out[outOff..]} = (undamped estimate) v. */
    void multiply(double[] v, int off, double[] out, int outOff);

    /** Writes the estimate and the cached inverse under {@code prefix}. */
    void write(OptimizerState.Builder out, String prefix);

    /** Restores what {@link #write} wrote. */
    void read(OptimizerState in, String prefix);
}
