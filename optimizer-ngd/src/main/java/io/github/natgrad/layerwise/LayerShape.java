package io.github.natgrad.layerwise;

import io.github.natgrad.OptimizerState;

/**
 * A dense layer's shape (out × in weights plus out biases) and the conversions between θ's layout for the
 * layer (W row-major, then b) and the out × (in + 1) matrix [W | b] the curvature structures work on,
 * whose last column multiplies the constant input 1.
 */
record LayerShape(int out, int in) {

    /** in + 1: the layer's inputs with the bias's constant 1. */
    int augmented() {
        return in + 1;
    }

    /** The number of parameters out · (in + 1). */
    int size() {
        return out * (in + 1);
    }

    /** The matrix [W | b] (out × (in + 1), row-major) of the slice of v from off. */
    double[] toMatrix(double[] v, int off) {
        int cols = in + 1;
        double[] m = new double[out * cols];
        for (int o = 0; o < out; o++) {
            System.arraycopy(v, off + o * in, m, o * cols, in);
            m[o * cols + in] = v[off + out * in + o];
        }
        return m;
    }

    /** Writes the matrix [W | b] back into θ's layout at off. */
    void fromMatrix(double[] m, double[] v, int off) {
        int cols = in + 1;
        for (int o = 0; o < out; o++) {
            System.arraycopy(m, o * cols, v, off + o * in, in);
            v[off + out * in + o] = m[o * cols + in];
        }
    }

    /** The inputs with a column of ones appended, n × (in + 1). */
    double[] withOnes(double[] a, int n) {
        int cols = in + 1;
        double[] abar = new double[n * cols];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * in, abar, i * cols, in);
            abar[i * cols + in] = 1.0;
        }
        return abar;
    }

    /** est ← (decay·w·est + stat)/(decay·w + 1), the weighted moving average; returns the new weight. */
    static double average(double[] est, double[] stat, double weight, double decay) {
        double old = decay * weight;
        double total = old + 1.0;
        for (int e = 0; e < est.length; e++) {
            est[e] = (old * est[e] + stat[e]) / total;
        }
        return total;
    }

    /** Restores an array entry of a known length. */
    static double[] restore(OptimizerState in, String name, int length) {
        double[] v = in.getDoubles(name);
        if (v.length != length) {
            throw new IllegalArgumentException("state entry '" + name + "' holds " + v.length + " values, the layer "
                    + "needs " + length);
        }
        return v;
    }
}
