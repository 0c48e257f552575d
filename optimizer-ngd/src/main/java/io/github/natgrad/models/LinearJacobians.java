package io.github.natgrad.models;

import io.github.natgrad.Batch;
import io.github.natgrad.linalg.SparseKernels;

/**
 * The Jacobian of a model linear in θ with K outputs per example and one row (w_c, b_c) of length
 * q = p (+ 1 with a bias) per output: J_i = I_K ⊗ x̃_iᵀ, x̃_i = [x_i, 1]. The generalised linear model is the case
 * K = 1, softmax regression K classes; what their linearizations compute alike on it is written here once.
 */
final class LinearJacobians {
    private LinearJacobians() {
    }

    /**
     * {@link io.github.natgrad.Linearization#addJacobianRowSquares} for J_i = I_K ⊗ x̃_iᵀ: the row (i, a) restricted
     * to output c's block is b[i, c, a] x̃_i, so diag_{c,j} += scale Σ_i (Σ_a b[i, c, a]²) x̃_ij², dense or sparse.
     */
    static void addRowSquares(Batch batch, int inputs, boolean bias, int k, double[] b, int m, double scale,
            double[] diagonal) {
        int n = batch.rows();
        int q = inputs + (bias ? 1 : 0);
        double[] w = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int a = 0; a < m; a++) {
                    double e = b[(i * k + c) * m + a];
                    s += e * e;
                }
                w[i * k + c] = scale * s;
            }
        }
        for (int c = 0; c < k; c++) {
            if (batch.isSparse()) {
                SparseKernels.addWeightedSquares(batch.csr(), w, k, c, diagonal, c * q);
            } else {
                double[] x = batch.x();
                for (int i = 0; i < n; i++) {
                    double wi = w[i * k + c];
                    for (int j = 0; j < inputs; j++) {
                        double e = x[i * inputs + j];
                        diagonal[c * q + j] += wi * e * e;
                    }
                }
            }
            if (bias) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += w[i * k + c];
                }
                diagonal[c * q + inputs] += s;
            }
        }
    }
}
