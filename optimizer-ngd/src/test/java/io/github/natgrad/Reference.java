package io.github.natgrad;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Independent reference computations for the tests, written with Apache Commons Math and plain loops,
 * sharing no code with natgrad's kernels.
 */
final class Reference {
    private Reference() {
    }

    /** The design matrix with a column of ones appended when {@code bias}. */
    static RealMatrix design(Batch batch, boolean bias) {
        int n = batch.rows();
        int p = batch.columns();
        RealMatrix x = new Array2DRowRealMatrix(n, p + (bias ? 1 : 0));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x.setEntry(i, j, batch.x()[i * p + j]);
            }
            if (bias) {
                x.setEntry(i, p, 1.0);
            }
        }
        return x;
    }

    static double sigmoid(double f) {
        return 1.0 / (1.0 + Math.exp(-f));
    }

    /** Xᵀ diag(w) X / N. */
    static RealMatrix weightedGram(RealMatrix x, double[] w) {
        RealMatrix scaled = x.copy();
        for (int i = 0; i < x.getRowDimension(); i++) {
            scaled.setRow(i, x.getRowVector(i).mapMultiply(w[i]).toArray());
        }
        return x.transpose().multiply(scaled).scalarMultiply(1.0 / x.getRowDimension());
    }

    /** The matrix natgrad's curvature kind builds, as a Commons Math matrix (with prior, if any). */
    static RealMatrix curvature(Curvature kind, Model model, double[] theta, Batch batch, L2Prior prior) {
        Linearization lin = model.linearize(theta, batch);
        int n = batch.rows();
        double[] r = new double[n * model.likelihood().outputsPerExample()];
        model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, r);
        double precision = prior == null ? 0 : prior.precision(n);
        CurvatureSystem system = kind.copy().build(lin, batch, model.likelihood(), r,
                kind.includesPrior() ? precision : 0, io.github.natgrad.solve.Solvers.cholesky());
        return matrix(system.toDense(), model.parameterCount());
    }

    static RealMatrix matrix(double[] rowMajor, int d) {
        RealMatrix m = new Array2DRowRealMatrix(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m.setEntry(i, j, rowMajor[i * d + j]);
            }
        }
        return m;
    }

    /** Central finite differences of the objective's gradient: column j ≈ (g(θ + h e_j) − g(θ − h e_j)) / 2h. */
    static RealMatrix finiteDifferenceHessian(Model model, double[] theta, Batch batch, L2Prior prior, double h) {
        int d = theta.length;
        RealMatrix hess = new Array2DRowRealMatrix(d, d);
        for (int j = 0; j < d; j++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[j] += h;
            minus[j] -= h;
            double[] gp = exactGradient(model, plus, batch, prior);
            double[] gm = exactGradient(model, minus, batch, prior);
            for (int i = 0; i < d; i++) {
                hess.setEntry(i, j, (gp[i] - gm[i]) / (2 * h));
            }
        }
        return hess.add(hess.transpose()).scalarMultiply(0.5);
    }

    /** The gradient of the objective from the model's vector-Jacobian product (not via a step). */
    static double[] exactGradient(Model model, double[] theta, Batch batch, L2Prior prior) {
        Linearization lin = model.linearize(theta, batch);
        int n = batch.rows();
        double[] r = new double[n * model.likelihood().outputsPerExample()];
        model.likelihood().lossAndResidual(lin.outputs(), batch.y(), n, r);
        double[] g = new double[theta.length];
        lin.vectorJacobianProduct(r, g);
        double precision = prior == null ? 0 : prior.precision(n);
        for (int i = 0; i < g.length; i++) {
            g[i] = g[i] / n + precision * theta[i];
        }
        return g;
    }

    /** ‖A − B‖_F / ‖B‖_F. */
    static double relativeDistance(RealMatrix a, RealMatrix b) {
        return a.subtract(b).getFrobeniusNorm() / b.getFrobeniusNorm();
    }

    static RealVector vector(double[] v) {
        return new ArrayRealVector(v);
    }
}
