package io.github.natgrad.optim;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.solve.Solvers;
import java.util.Arrays;

/**
 * One shard of a {@link ShardedObjective}: a batch of examples and what the library's own model and
 * curvature kind compute on it, as sums over its n_s examples — Σ ℓ_i, Σ J_iᵀ r_i, n_s · C_s v,
 * n_s · diag(C_s) and, for small D, the dense n_s · C_s — where C_s is the kind's mean operator
 * {@link Curvature#operator} (or its matrix, {@link Curvature#build}) on this batch. Summing
 * these over the shards and dividing by N gives exactly what the kind computes on one batch of all the
 * examples (up to the order of the sums): the single implementation of the math, on any number of machines.
 *
 * <p>The linearization and the curvature operator at the last θ are kept, so the products of one step
 * cost one J v and one Jᵀu each (a repeated θ is recognised by value, so a shard rebuilt after a failure
 * recomputes them). Not thread-safe: one per shard and task at a time.
 */
public final class Shard {
    private final Model model;
    private final Batch batch;
    private final int n;
    private double[] theta;
    private Linearization lin;
    private double[] residual;
    private double lossSum;
    private Curvature kind;
    private CurvatureOperator operator;
    /** C_s v of the last product (a D-vector kept across products, not one allocated per product). */
    private double[] product;

    /**
     * A shard of {@code batch} for {@code model}, whose columns and labels are checked here (the label
     * message names the row within the shard).
     */
    public Shard(Model model, Batch batch) {
        this.model = Checks.notNull(model, "model");
        this.batch = Checks.notNull(batch, "batch");
        Checks.columns(model, batch);
        model.likelihood().checkLabels(batch.y(), batch.rows());
        this.n = batch.rows();
    }

    /** The examples n_s of this shard. */
    public int rows() {
        return n;
    }

    /** The stored input values of this shard. */
    public long nonZeros() {
        return batch.nonZeros();
    }

    /** The shard's batch. */
    public Batch batch() {
        return batch;
    }

    private void at(double[] point) {
        if (theta != null && Arrays.equals(theta, point)) {
            return;
        }
        Likelihood likelihood = model.likelihood();
        lin = model.linearize(point.clone(), batch);
        residual = new double[n * likelihood.outputsPerExample()];
        lossSum = likelihood.lossAndResidual(lin.outputs(), batch.y(), n, residual);
        theta = point.clone();
        operator = null;
    }

    /** Σ ℓ_i over the shard at θ, and Σ J_iᵀ r_i written into the first D entries of {@code gradientSum}. */
    public double lossAndGradient(double[] point, double[] gradientSum) {
        at(point);
        lin.vectorJacobianProduct(residual, gradientSum);
        return lossSum;
    }

    /** Σ ℓ_i over the shard at θ, without keeping θ. */
    public double loss(double[] point) {
        Linearization l = model.linearize(point, batch);
        return model.likelihood().lossAndResidual(l.outputs(), batch.y(), n, null);
    }

    private void kindFor(Curvature curvature) {
        if (kind == null || !kind.name().equals(curvature.name())) {
            kind = curvature.copy();
            operator = null;
        }
    }

    private CurvatureOperator operator(double[] point, Curvature curvature) {
        at(point);
        kindFor(curvature);
        if (operator == null) {
            operator = kind.operator(lin, batch, model.likelihood(), residual, 0.0);
        }
        return operator;
    }

    /** Adds n_s · C_s v to the first D entries of {@code out}, with C_s the kind's operator (no prior) on this shard at θ. */
    public void addCurvatureProduct(double[] point, Curvature curvature, double[] v, double[] out) {
        CurvatureOperator op = operator(point, curvature);
        int d = model.parameterCount();
        if (product == null) {
            product = new double[d];
        }
        double[] cv = product;
        op.multiply(v, cv);
        for (int j = 0; j < d; j++) {
            out[j] += n * cv[j];
        }
    }

    /**
     * Adds n_s · diag(C_s) to the first D entries of {@code out} and returns true, or returns false when the kind has no cheap
     * diagonal.
     */
    public boolean addCurvatureDiagonal(double[] point, Curvature curvature, double[] out) {
        return addCurvatureDiagonal(point, curvature, out, 0);
    }

    /** As {@link #addCurvatureDiagonal(double[], Curvature, double[])}, to the D entries of {@code out} from {@code offset}. */
    public boolean addCurvatureDiagonal(double[] point, Curvature curvature, double[] out, int offset) {
        double[] diag = operator(point, curvature).diagonal().orElse(null);
        if (diag == null) {
            return false;
        }
        for (int j = 0; j < diag.length; j++) {
            out[offset + j] += n * diag[j];
        }
        return true;
    }

    /**
     * Adds n_s · C_s, the kind's dense matrix on this shard at θ (no prior; built by the kind's own
     * {@link Curvature#build}: one Gram product of the rows B_iᵀ J_i), to {@code packed} from {@code offset}
     * as the upper triangle row by row — (0,0), (0,1), …, (0,D−1), (1,1), …, (D−1,D−1): D(D+1)/2 entries, the
     * layout {@link #unpack} reads.
     */
    public void addCurvatureMatrix(double[] point, Curvature curvature, double[] packed, int offset) {
        at(point);
        kindFor(curvature);
        int d = model.parameterCount();
        double[] c = kind.build(lin, batch, model.likelihood(), residual, 0.0, Solvers.cholesky()).toDense();
        int k = offset;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                packed[k++] += n * c[i * d + j];
            }
        }
    }

    /** The entries of a packed upper triangle of dimension D (D(D+1)/2 values). */
    public static int packedLength(int d) {
        return Math.toIntExact((long) d * (d + 1) / 2);
    }

    /**
     * The symmetric D × D matrix (row-major, both triangles) of the upper triangle packed from {@code offset} by
     * {@link #addCurvatureMatrix}.
     */
    public static double[] unpack(double[] packed, int offset, int d) {
        double[] c = new double[d * d];
        int k = offset;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = packed[k++];
                c[i * d + j] = v;
                c[j * d + i] = v;
            }
        }
        return c;
    }

    /** Whether the kind's operator on this shard is positive semi-definite by construction. */
    public boolean positiveSemidefinite(double[] point, Curvature curvature) {
        return operator(point, curvature).positiveSemidefinite();
    }
}
