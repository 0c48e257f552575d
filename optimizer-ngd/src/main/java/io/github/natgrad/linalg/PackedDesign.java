package io.github.natgrad.linalg;

/**
 * The dimensions every design of a Gram build answers alike: N rows, D columns and the length q = D(D+1)/2 of the
 * packed upper triangle its Gram products write. Extended by the dense ({@link DenseDesign}) and the sparse
 * ({@link SparseDesign}) layouts.
 */
abstract class PackedDesign {
    /** The rows N. */
    final int n;
    /** The columns D. */
    final int d;
    /** D(D+1)/2. */
    final int q;

    PackedDesign(int n, int d) {
        this.n = n;
        this.d = d;
        this.q = d * (d + 1) / 2;
    }

    /** The rows N. */
    public final int rows() {
        return n;
    }

    /** The columns D. */
    public final int columns() {
        return d;
    }

    /** The length D(D+1)/2 of a packed upper triangle. */
    public final int packedSize() {
        return q;
    }
}
