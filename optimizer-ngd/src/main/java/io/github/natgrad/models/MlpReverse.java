package io.github.natgrad.models;

import io.github.natgrad.linalg.Gemm;
import java.nio.DoubleBuffer;
import java.util.Arrays;

/**
 * Reverse mode (backpropagation) through a {@link MlpForward} pass: for the whole minibatch as BLAS-3 products —
 * the pre-activation gradients δ_l of m vectors per example (the layer-wise structures' statistics) and Jᵀu —
 * and per example, J_iᵀ u into a Jacobian row ({@link #jacobianRows}, the dense curvature kinds).
 */
final class MlpReverse {
    private final MlpForward fw;
    private final MlpArchitecture arch;

    MlpReverse(MlpForward forward) {
        this.fw = forward;
        this.arch = forward.arch;
    }

    /**
     * δ_l = ∂(uᵀ f)/∂z_{l+1} per layer for the N·m rows of u (N·m × K, m rows per example), into
     * {@code deltas} (allocated when missing or short).
     */
    void preActivationGradients(double[] u, int m, double[][] deltas) {
        int[] sizes = arch.sizes;
        int layers = fw.layers;
        int k = sizes[sizes.length - 1];
        int rows = fw.n * m;
        if (u.length < rows * k) {
            throw new IllegalArgumentException("u holds " + u.length + " values, expected N*m*K = " + fw.n + "*"
                    + m + "*" + k);
        }
        if (deltas.length != layers) {
            throw new IllegalArgumentException("deltas must have one entry per layer (" + layers + "), got "
                    + deltas.length);
        }
        for (int l = 0; l < layers; l++) {
            if (deltas[l] == null || deltas[l].length < rows * sizes[l + 1]) {
                deltas[l] = new double[rows * sizes[l + 1]];
            }
        }
        System.arraycopy(u, 0, deltas[layers - 1], 0, rows * k);
        for (int l = layers - 1; l >= 1; l--) {
            int in = sizes[l];
            double[] below = deltas[l - 1];
            Gemm.multiply(false, false, rows, in, sizes[l + 1], 1.0, deltas[l], fw.weights[l], 0.0, below);
            double[] s = fw.slope(l);
            for (int r = 0; r < rows; r++) {
                int ro = r * in;
                int so = (r / m) * in;
                for (int j = 0; j < in; j++) {
                    below[ro + j] *= s[so + j];
                }
            }
        }
    }

    /** {@code out} = Jᵀu (length D) for u of N × K: one {@code dgemm} per layer for the weights. */
    void vectorJacobianProduct(double[] u, double[] out) {
        int[] sizes = arch.sizes;
        int layers = fw.layers;
        int n = fw.n;
        double[][] deltas = new double[layers][];
        preActivationGradients(u, 1, deltas);
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int outs = sizes[l + 1];
            int w = arch.weightOffset[l];
            double[] dw = new double[outs * in];
            Gemm.multiply(true, false, outs, in, n, 1.0, deltas[l], fw.hl[l], 0.0, dw);
            System.arraycopy(dw, 0, out, w, dw.length);
            int b = w + outs * in;
            Arrays.fill(out, b, b + outs, 0.0);
            double[] d = deltas[l];
            for (int i = 0; i < n; i++) {
                int o = i * outs;
                for (int c = 0; c < outs; c++) {
                    out[b + c] += d[o + c];
                }
            }
        }
    }

    /** The rows B_iᵀ J_i of examples {@code from} to {@code to} (m per example) into {@code out}, row-major. */
    void jacobianRows(int from, int to, double[] b, int m, DoubleBuffer out) {
        fw.packed();
        int k = arch.outputs();
        int parameters = arch.parameters;
        double[] delta = new double[arch.widest];
        double[] next = new double[arch.widest];
        double[] u = new double[k];
        double[] row = new double[parameters];
        int r = 0;
        for (int i = from; i < to; i++) {
            int bi = (i - from) * k * m;
            for (int a = 0; a < m; a++) {
                for (int c = 0; c < k; c++) {
                    u[c] = b[bi + c * m + a];
                }
                Arrays.fill(row, 0.0);
                backprop(i, u, 0, row, delta, next);
                int o = r * parameters;
                for (int j = 0; j < parameters; j++) {
                    out.put(o + j, row[j]);
                }
                r++;
            }
        }
    }

    /**
     * Reverse mode for example i: adds J_iᵀ u to {@code grad} (length D), for u = u[uOff..uOff+K).
     * {@code delta} and {@code next} are scratch arrays of at least the widest layer.
     */
    private void backprop(int i, double[] u, int uOff, double[] grad, double[] delta, double[] next) {
        int[] sizes = arch.sizes;
        double[] theta = fw.theta;
        int k = sizes[sizes.length - 1];
        System.arraycopy(u, uOff, delta, 0, k);
        for (int l = fw.layers - 1; l >= 0; l--) {
            int rowsOut = sizes[l + 1];
            int cols = sizes[l];
            int w = arch.weightOffset[l];
            int b = w + rowsOut * cols;
            double[] in = fw.input(l);
            int inOff = fw.inputOffset(l, i);
            for (int o = 0; o < rowsOut; o++) {
                double d = delta[o];
                if (d == 0) {
                    continue;
                }
                int row = w + o * cols;
                for (int j = 0; j < cols; j++) {
                    grad[row + j] += d * in[inOff + j];
                }
                grad[b + o] += d;
            }
            if (l > 0) {
                int zOff = i * arch.hiddenTotal + arch.hiddenOffset[l];
                for (int j = 0; j < cols; j++) {
                    next[j] = 0;
                }
                for (int o = 0; o < rowsOut; o++) {
                    double d = delta[o];
                    int row = w + o * cols;
                    for (int j = 0; j < cols; j++) {
                        next[j] += theta[row + j] * d;
                    }
                }
                for (int j = 0; j < cols; j++) {
                    delta[j] = next[j] * fw.d1[zOff + j];
                }
            }
        }
    }
}
