package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.Linearization;
import io.github.natgrad.linalg.Blas;
import java.nio.DoubleBuffer;

/**
 * The Jacobian J (N·K × D) of a model linear in θ on one batch and its Gram matrix J Jᵀ, kept across steps
 * by a curvature's copy: for such a model J is the same at every θ, so the Woodbury solve's r × r Gram
 * matrix U Uᵀ = B̃ᵀ (J Jᵀ) B̃ costs O((N·K)²·m) per step instead of O((N·m)²·D). Rebuilt when the batch
 * object changes. Memory N·K·D + (N·K)².
 */
final class JacobianCache {
    private Batch batch;
    private double[] jacobian;
    private double[] gram;
    private int rows;

    /** Makes sure J and J Jᵀ are those of {@code batch}. */
    void ensure(Batch b, Linearization lin) {
        if (b == batch && jacobian != null) {
            return;
        }
        int n = lin.rows();
        int k = lin.outputsPerExample();
        int d = lin.parameterCount();
        rows = n * k;
        if ((long) rows * d > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the Jacobian has " + rows + " x " + d + " entries, more than one array "
                    + "holds; use the cg solver");
        }
        double[] identity = new double[n * k * k];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < k; o++) {
                identity[(i * k + o) * k + o] = 1;
            }
        }
        jacobian = new double[rows * d];
        lin.jacobianRows(0, n, identity, k, DoubleBuffer.wrap(jacobian));
        DoubleBuffer j = Blas.allocate((long) rows * d);
        j.put(0, jacobian, 0, jacobian.length);
        DoubleBuffer g = Blas.allocate((long) rows * rows);
        Blas.gemm(false, true, rows, rows, d, 1.0, j, d, j, d, 0.0, g, rows);
        gram = new double[rows * rows];
        g.get(0, gram, 0, gram.length);
        batch = b;
    }

    /** J, N·K × D row-major. */
    double[] jacobian() {
        return jacobian;
    }

    /** J Jᵀ, N·K × N·K row-major. */
    double[] gram() {
        return gram;
    }

    /** N·K. */
    int rows() {
        return rows;
    }
}
