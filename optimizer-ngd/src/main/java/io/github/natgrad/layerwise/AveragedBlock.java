package io.github.natgrad.layerwise;

import io.github.natgrad.OptimizerState;

/**
 * A {@link CurvatureBlock} held as one array: the moving average of the batches' statistics (the dense block, or
 * its diagonal) with the weight of that average ({@link LayerShape#average}), and the damped inverse of the last
 * {@link #refresh} in the same layout. Both products apply one of the two arrays to the layer's slice
 * ({@link #apply}); the state is the two arrays and the weight, under the subclass's key.
 */
abstract class AveragedBlock implements CurvatureBlock {
    /** The layer. */
    final LayerShape shape;
    /** The state entry of the estimate ({@code "block"}, {@code "diagonal"}). */
    private final String key;
    /** The moving average of the statistics. */
    double[] estimate;
    /** The damped inverse of the last refresh (null before the first). */
    double[] inverse;
    private double weight;

    AveragedBlock(LayerShape shape, String key, int length) {
        this.shape = shape;
        this.key = key;
        this.estimate = new double[length];
    }

    /** Folds one batch's statistic (in the estimate's layout) into the moving average with {@code decay}. */
    final void fold(double[] stat, double decay) {
        weight = LayerShape.average(estimate, stat, weight, decay);
    }

    /** {@code out[outOff..]} = {@code matrix} applied to the layer's slice of v at {@code off}. */
    abstract void apply(double[] v, int off, double[] out, int outOff, double[] matrix);

    @Override
    public final void precondition(double[] v, int off, double[] out, int outOff) {
        apply(v, off, out, outOff, inverse);
    }

    @Override
    public final void multiply(double[] v, int off, double[] out, int outOff) {
        apply(v, off, out, outOff, estimate);
    }

    @Override
    public final void write(OptimizerState.Builder out, String prefix) {
        out.putDoubles(prefix + key, estimate).putDouble(prefix + "weight", weight);
        if (inverse != null) {
            out.putDoubles(prefix + "inverse", inverse);
        }
    }

    @Override
    public final void read(OptimizerState in, String prefix) {
        int length = estimate.length;
        double[] e = LayerShape.restore(in, prefix + key, length);
        double w = in.getDouble(prefix + "weight");
        double[] inv = in.has(prefix + "inverse") ? LayerShape.restore(in, prefix + "inverse", length) : null;
        estimate = e;
        weight = w;
        inverse = inv;
    }
}
