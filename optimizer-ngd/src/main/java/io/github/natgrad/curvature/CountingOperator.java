package io.github.natgrad.curvature;

import io.github.natgrad.CurvatureOperator;

/**
 * The part every {@link CurvatureOperator} of the library shares: its kind's name, its dimension D, the check of a
 * product's vector lengths and the count of products. A subclass supplies the product C v itself
 * ({@link #apply}) and what else it knows (the diagonal, a low-rank form, whether it is positive semi-definite).
 */
public abstract class CountingOperator implements CurvatureOperator {
    private final String kind;
    private final int d;
    private long products;

    /**
     * @param kind the curvature kind's name, for messages
     * @param d    the dimension D
     */
    protected CountingOperator(String kind, int d) {
        this.kind = kind;
        this.d = d;
    }

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final int dimension() {
        return d;
    }

    @Override
    public final long products() {
        return products;
    }

    /**
     * Writes C v into {@code out} (its first D entries) by {@link #apply}, after checking that both have at least
     * D entries, and counts the product.
     *
     * @throws IllegalArgumentException when {@code v} or {@code out} is shorter than D
     */
    @Override
    public final void multiply(double[] v, double[] out) {
        if (v.length < d || out.length < d) {
            throw new IllegalArgumentException("dimension mismatch: a product with the " + kind + " curvature needs "
                    + "vectors of length " + d + ", got " + v.length + " and " + out.length);
        }
        apply(v, out);
        products++;
    }

    /** Writes C v into the first D entries of {@code out} (lengths checked; {@link #products()} not yet counted). */
    protected abstract void apply(double[] v, double[] out);
}
