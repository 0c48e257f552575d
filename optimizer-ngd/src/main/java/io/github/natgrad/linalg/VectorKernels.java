package io.github.natgrad.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernels, on the JDK's incubating Vector API. Loaded only when {@link Simd#enabled()} (a class
 * that names {@code jdk.incubator.vector} cannot be loaded without the module), so every caller checks
 * that first. Each kernel is checked against the scalar loops and Apache Commons Math in the tests.
 *
 * <p>Same input, same bits, whatever the JIT has compiled: every sum runs in a fixed order (lanes are
 * read one by one and added by a fixed tree, never by {@code reduceLanes}, whose order is
 * unspecified and differs between the interpreter and compiled code), multiply-adds are fused
 * ({@code fma}: one rounding in every tier, as {@link Math#fma}) or explicitly not, and no kernel uses the
 * vector {@code EXP}/{@code LOG}, whose compiled form (a vector math library) may differ from its
 * interpreted form in the last bit; exp and log1p run on {@link FixedExpLog}'s polynomials
 * ({@code VectorExpLog}), the same operations in every tier and at every width.
 *
 * <p>Same input, same bits, whatever the vector width L (2, 4 or 8 doubles; {@link Simd#LANES_PROPERTY})
 * and on the scalar path of {@link Kernels}: no sum's order depends on L. The Gram kernel, the batched
 * product and the transposed product vectorise across independent outputs, each summed over k in order
 * (the transposed product in 4 partial sums over the rows, i mod 4); the matrix-vector product sums each
 * row in 8 partial sums (element j to partial j mod 8, which one vector of 8, two of 4 or four of 2 hold),
 * then adds them by the fixed tree of {@link Kernels#sum8}; the batched Cholesky keeps one system per lane.
 * The scalar code of {@link Kernels} sums in the same orders with {@link Math#fma}.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> S = species(Simd.forcedLanes());
    private static final int L = S.length();

    /** Whether the Gram kernel's 8-row tiles run as two 4-row halves (vectors of at most 4 doubles). */
    private static final boolean SPLIT_TILES = L <= 4;


    private VectorKernels() {
    }

    static int lanes() {
        return L;
    }

    /** The species of the kernels (L doubles). */
    static VectorSpecies<Double> species() {
        return S;
    }

    /** The species of {@code lanes} doubles, or the CPU's preferred one for 0. */
    private static VectorSpecies<Double> species(int lanes) {
        switch (lanes) {
            case 2:
                return DoubleVector.SPECIES_128;
            case 4:
                return DoubleVector.SPECIES_256;
            case 8:
                return DoubleVector.SPECIES_512;
            default:
                return DoubleVector.SPECIES_PREFERRED;
        }
    }

    /**
     * P += Gᵀ G on the 8 × 2L blocks that cover the upper triangle, for G row-major rows × d (its array
     * padded by at least {@link GramBuilder#PADDING} finite doubles) and P the padded product, row stride
     * {@code ldp} ≥ d rounded up to L, at least ⌈d/8⌉·8 rows. Entries of P outside the upper d × d
     * triangle's blocks hold junk from the padding and are never read.
     *
     * <p>The register tile (8 rows of Gᵀ × two vectors of columns, 16 accumulators) stays in registers
     * while the kernel runs down the rows of G: 8 broadcasts and 2 loads per 16 fused multiply-adds, the
     * shape of a BLAS micro-kernel. Rows go in chunks that fit in the L2 cache. The tiles are written out
     * inline, without a helper method: the JIT does not always inline into a method this large, and a
     * vector passed to a method that is not inlined is boxed on the heap.
     */
    static void gramUpper(int rows, int d, double[] g, double[] p, int ldp) {
        gramUpper(rows, d, d, g, p, ldp);
    }

    /**
     * {@link #gramUpper(int, int, double[], double[], int)} for rows at stride {@code lda} ≥ d in G (e.g. rows
     * padded to a multiple of 8 doubles, {@link StepDesign#scaledRows}): the same sums in the same order, so
     * the same bits as the rows packed at stride d.
     */
    static void gramUpper(int rows, int d, int lda, double[] g, double[] p, int ldp) {
        int chunk = Kernels.gramChunk(d);
        for (int r0 = 0; r0 < rows; r0 += chunk) {
            int r1 = Math.min(rows, r0 + chunk);
            for (int i0 = 0; i0 < d; i0 += 8) {
                int j = i0;
                for (; j + 2 * L <= ldp; j += 2 * L) {
                    if (SPLIT_TILES) {
                        tile2Half(g, r0, r1, lda, i0, j, p, ldp);
                        tile2Half(g, r0, r1, lda, i0 + 4, j, p, ldp);
                    } else {
                        tile2(g, r0, r1, lda, i0, j, p, ldp);
                    }
                }
                if (j < ldp) {
                    tile1(g, r0, r1, lda, i0, j, p, ldp);
                }
            }
        }
    }

    private static void tile2(double[] g, int r0, int r1, int lda, int i0, int j, double[] p, int ldp) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        DoubleVector b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
        for (int r = r0, o = r0 * lda; r < r1; r++, o += lda) {
            DoubleVector u = DoubleVector.fromArray(S, g, o + j);
            DoubleVector v = DoubleVector.fromArray(S, g, o + j + L);
            DoubleVector s = DoubleVector.broadcast(S, g[o + i0]);
            a0 = u.fma(s, a0);
            b0 = v.fma(s, b0);
            s = DoubleVector.broadcast(S, g[o + i0 + 1]);
            a1 = u.fma(s, a1);
            b1 = v.fma(s, b1);
            s = DoubleVector.broadcast(S, g[o + i0 + 2]);
            a2 = u.fma(s, a2);
            b2 = v.fma(s, b2);
            s = DoubleVector.broadcast(S, g[o + i0 + 3]);
            a3 = u.fma(s, a3);
            b3 = v.fma(s, b3);
            s = DoubleVector.broadcast(S, g[o + i0 + 4]);
            a4 = u.fma(s, a4);
            b4 = v.fma(s, b4);
            s = DoubleVector.broadcast(S, g[o + i0 + 5]);
            a5 = u.fma(s, a5);
            b5 = v.fma(s, b5);
            s = DoubleVector.broadcast(S, g[o + i0 + 6]);
            a6 = u.fma(s, a6);
            b6 = v.fma(s, b6);
            s = DoubleVector.broadcast(S, g[o + i0 + 7]);
            a7 = u.fma(s, a7);
            b7 = v.fma(s, b7);
        }
        int c = i0 * ldp + j;
        a0.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b0.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a1.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b1.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a2.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b2.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a3.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b3.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a4.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b4.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a5.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b5.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a6.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b6.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a7.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b7.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
    }

    /**
     * {@link #tile2} for 4 rows of Gᵀ (8 accumulators): with vectors of at most 4 doubles (AVX2: 16 vector
     * registers) the 16 accumulators of the 8-row tile plus its operands do not fit in the registers and
     * spill. Every entry sums the same products in the same order as in {@link #tile2}: the same bits.
     */
    private static void tile2Half(double[] g, int r0, int r1, int lda, int i0, int j, double[] p, int ldp) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector a0 = z, a1 = z, a2 = z, a3 = z;
        DoubleVector b0 = z, b1 = z, b2 = z, b3 = z;
        for (int r = r0, o = r0 * lda; r < r1; r++, o += lda) {
            DoubleVector u = DoubleVector.fromArray(S, g, o + j);
            DoubleVector v = DoubleVector.fromArray(S, g, o + j + L);
            DoubleVector s = DoubleVector.broadcast(S, g[o + i0]);
            a0 = u.fma(s, a0);
            b0 = v.fma(s, b0);
            s = DoubleVector.broadcast(S, g[o + i0 + 1]);
            a1 = u.fma(s, a1);
            b1 = v.fma(s, b1);
            s = DoubleVector.broadcast(S, g[o + i0 + 2]);
            a2 = u.fma(s, a2);
            b2 = v.fma(s, b2);
            s = DoubleVector.broadcast(S, g[o + i0 + 3]);
            a3 = u.fma(s, a3);
            b3 = v.fma(s, b3);
        }
        int c = i0 * ldp + j;
        a0.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b0.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a1.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b1.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a2.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b2.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
        c += ldp;
        a3.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        b3.add(DoubleVector.fromArray(S, p, c + L)).intoArray(p, c + L);
    }

    private static void tile1(double[] g, int r0, int r1, int lda, int i0, int j, double[] p, int ldp) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        for (int r = r0, o = r0 * lda; r < r1; r++, o += lda) {
            DoubleVector u = DoubleVector.fromArray(S, g, o + j);
            a0 = u.fma(DoubleVector.broadcast(S, g[o + i0]), a0);
            a1 = u.fma(DoubleVector.broadcast(S, g[o + i0 + 1]), a1);
            a2 = u.fma(DoubleVector.broadcast(S, g[o + i0 + 2]), a2);
            a3 = u.fma(DoubleVector.broadcast(S, g[o + i0 + 3]), a3);
            a4 = u.fma(DoubleVector.broadcast(S, g[o + i0 + 4]), a4);
            a5 = u.fma(DoubleVector.broadcast(S, g[o + i0 + 5]), a5);
            a6 = u.fma(DoubleVector.broadcast(S, g[o + i0 + 6]), a6);
            a7 = u.fma(DoubleVector.broadcast(S, g[o + i0 + 7]), a7);
        }
        int c = i0 * ldp + j;
        a0.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        c += ldp;
        a1.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        c += ldp;
        a2.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        c += ldp;
        a3.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        c += ldp;
        a4.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        c += ldp;
        a5.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        c += ldp;
        a6.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
        c += ldp;
        a7.add(DoubleVector.fromArray(S, p, c)).intoArray(p, c);
    }

    /**
     * {@link SmallCholesky#factorUpper}: the recurrence of {@link SmallCholesky#factor} on the upper triangle
     * (U = Lᵀ, U_ki at a[k·d + i]), the sums of one column of L vectorised across its rows i &gt; j (contiguous in
     * U's row k): each lane runs the scalar code's fused multiply-adds over k in order, so the bits are those
     * of {@link SmallCholesky#factor} at every width. The last vector of a row is not masked: its lanes past the
     * row's end read entries of the next row and are dropped; nothing below the diagonal is written (the residual
     * check reads the strict lower triangle). Needs d ≥ L + 1 ({@link SmallCholesky#VECTOR_FROM} ≥ 24).
     */
    static int choleskyUpper(int d, double[] a) {
        // squares[i] = Σ_{k<j} U_ki² (fused, k in order), kept up to date row by row of U: the pivots' sums,
        // without a serial chain at each column
        double[] squares = new double[d];
        double[] lanes = new double[2 * L];
        int j = 0;
        // two rows of U at a time: row j + 1's sums over k < j run beside row j's (sharing the loads of each
        // row k), then take their last term k = j once row j is known; every entry's chain keeps its order
        for (; j + 1 < d; j += 2) {
            int rj = j * d;
            double pivot = a[rj + j] - squares[j];
            if (!(pivot > 0)) {
                return j + 1;
            }
            double ujj = Math.sqrt(pivot);
            a[rj + j] = ujj;
            double inverse = 1.0 / ujj;
            // U_j,j+1, then the pivot of row j + 1
            double s = 0;
            for (int k = 0; k < j; k++) {
                s = Math.fma(a[k * d + j + 1], a[k * d + j], s);
            }
            double ujj1 = (a[rj + j + 1] - s) * inverse;
            a[rj + j + 1] = ujj1;
            double pivot1 = a[rj + d + j + 1] - Math.fma(ujj1, ujj1, squares[j + 1]);
            if (!(pivot1 > 0)) {
                return j + 2;
            }
            double uj1j1 = Math.sqrt(pivot1);
            a[rj + d + j + 1] = uj1j1;
            double inverse1 = 1.0 / uj1j1;
            int i = j + 2;
            for (; i + 2 * L <= d; i += 2 * L) {
                upperPairBlock2(d, a, j, i, inverse, inverse1, ujj1, squares);
            }
            for (; i + L <= d; i += L) {
                upperPairBlock(d, a, j, i, inverse, inverse1, ujj1, squares, null);
            }
            if (i < d) {
                // unmasked: the lanes past d read the next row's first entries (below the diagonal, never written;
                // row k <= j + 1 < d - 1 leaves at least L - 1 entries after its end) and are dropped; a mask is not
                // intrinsified on JDK 17 and allocated on every column
                upperPairBlock(d, a, j, i, inverse, inverse1, ujj1, squares, lanes);
                for (int t = 0; i + t < d; t++) {
                    double uji = lanes[t];
                    double uj1i = lanes[L + t];
                    a[rj + i + t] = uji;
                    a[rj + d + i + t] = uj1i;
                    squares[i + t] = Math.fma(uj1i, uj1i, Math.fma(uji, uji, squares[i + t]));
                }
            }
        }
        if (j < d) {
            double pivot = a[j * d + j] - squares[j];
            if (!(pivot > 0)) {
                return j + 1;
            }
            a[j * d + j] = Math.sqrt(pivot);
        }
        return 0;
    }

    /** {@link #upperPairBlock} on the 2L columns i … i + 2L − 1 (each broadcast shared by two vectors). */
    private static void upperPairBlock2(int d, double[] a, int j, int i, double inverse, double inverse1, double ujj1,
            double[] squares) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector t0 = s0;
        DoubleVector t1 = s0;
        for (int k = 0, o = i; k < j; k++, o += d) {
            DoubleVector x0 = DoubleVector.fromArray(S, a, o);
            DoubleVector x1 = DoubleVector.fromArray(S, a, o + L);
            DoubleVector bj = DoubleVector.broadcast(S, a[o - i + j]);
            DoubleVector bj1 = DoubleVector.broadcast(S, a[o - i + j + 1]);
            s0 = x0.fma(bj, s0);
            s1 = x1.fma(bj, s1);
            t0 = x0.fma(bj1, t0);
            t1 = x1.fma(bj1, t1);
        }
        int rj = j * d;
        DoubleVector u = DoubleVector.broadcast(S, ujj1);
        DoubleVector uj0 = DoubleVector.fromArray(S, a, rj + i).sub(s0).mul(inverse);
        DoubleVector uj1 = DoubleVector.fromArray(S, a, rj + i + L).sub(s1).mul(inverse);
        DoubleVector v0 = DoubleVector.fromArray(S, a, rj + d + i).sub(uj0.fma(u, t0)).mul(inverse1);
        DoubleVector v1 = DoubleVector.fromArray(S, a, rj + d + i + L).sub(uj1.fma(u, t1)).mul(inverse1);
        uj0.intoArray(a, rj + i);
        uj1.intoArray(a, rj + i + L);
        v0.intoArray(a, rj + d + i);
        v1.intoArray(a, rj + d + i + L);
        v0.fma(v0, uj0.fma(uj0, DoubleVector.fromArray(S, squares, i))).intoArray(squares, i);
        v1.fma(v1, uj1.fma(uj1, DoubleVector.fromArray(S, squares, i + L))).intoArray(squares, i + L);
    }

    /**
     * Rows j and j + 1 of U on the L columns i … i + L − 1: U_ji = (A_ji − Σ_{k<j} U_ki U_kj) / U_jj and
     * U_j+1,i = (A_j+1,i − Σ_{k≤j} U_ki U_k,j+1) / U_j+1,j+1, each sum a chain of fused multiply-adds over k
     * in order. Written into {@code a} with {@code squares} updated, or (the last, partial block) into
     * {@code tail[0 … 2L)} for the caller to keep the lanes inside the row.
     */
    private static void upperPairBlock(int d, double[] a, int j, int i, double inverse, double inverse1, double ujj1,
            double[] squares, double[] tail) {
        DoubleVector s = DoubleVector.zero(S);
        DoubleVector t = s;
        for (int k = 0, o = i; k < j; k++, o += d) {
            DoubleVector x = DoubleVector.fromArray(S, a, o);
            s = x.fma(DoubleVector.broadcast(S, a[o - i + j]), s);
            t = x.fma(DoubleVector.broadcast(S, a[o - i + j + 1]), t);
        }
        int rj = j * d;
        DoubleVector uj = DoubleVector.fromArray(S, a, rj + i).sub(s).mul(inverse);
        DoubleVector uj1 = DoubleVector.fromArray(S, a, rj + d + i).sub(uj.fma(DoubleVector.broadcast(S, ujj1), t)).mul(inverse1);
        if (tail != null) {
            uj.intoArray(tail, 0);
            uj1.intoArray(tail, L);
            return;
        }
        uj.intoArray(a, rj + i);
        uj1.intoArray(a, rj + d + i);
        uj1.fma(uj1, uj.fma(uj, DoubleVector.fromArray(S, squares, i))).intoArray(squares, i);
    }

    /**
     * {@link SmallCholesky#factor}'s recurrence on {@code lanes} interleaved systems ({@link BatchedCholesky}'s
     * layout), one per lane, with the vector width equal to {@code lanes}: the same operations in the same
     * order in every lane. A lane whose pivot is not &gt; 0 gets its minor's order in {@code info} (the
     * first one only) and runs on to the end with junk that no caller reads.
     */
    static void choleskyLanes(int d, int lanes, double[] a, int[] info) {
        double[] pivots = new double[L];
        // 1 / L_jj, 1 / L_j+1,j+1 and L_j+1,j of the current pair of columns, read by the row blocks (the
        // blocks are methods of their own, each compiled whole, and vectors do not cross their calls)
        double[] pair = new double[3 * L];
        int j = 0;
        // two columns at a time: the sums of column j + 1 over k < j run beside column j's (sharing the loads
        // of each row), then take their last term k = j once column j is known: every entry's chain of fused
        // multiply-adds keeps its order k = 0 … j, so the bits are the one-column recurrence's
        for (; j + 1 < d; j += 2) {
            pairHead(a, j, pivots, info, pair);
            int i = j + 2;
            for (; i + 3 < d; i += 4) {
                pairRows4(a, j, i, pair);
            }
            for (; i < d; i++) {
                pairRow(a, j, i, pair);
            }
        }
        if (j < d) {
            // the last column of an odd d: its pivot only
            int rj = j * (j + 1) / 2;
            DoubleVector s = DoubleVector.zero(S);
            for (int k = 0; k < j; k++) {
                DoubleVector ljk = DoubleVector.fromArray(S, a, (rj + k) * L);
                s = ljk.fma(ljk, s);
            }
            pivot(a, (rj + j) * L, s, j, pivots, info).intoArray(pair, 0);
        }
    }

    /** Columns j and j + 1 on rows j and j + 1: the two pivots and L_j+1,j, with {@code pair} for the rows below. */
    private static void pairHead(double[] a, int j, double[] pivots, int[] info, double[] pair) {
        int rj = j * (j + 1) / 2;
        int rj1 = rj + j + 1;
        DoubleVector sj = DoubleVector.zero(S);
        DoubleVector sj1 = sj;
        DoubleVector sjj1 = sj;
        for (int k = 0; k < j; k++) {
            DoubleVector ljk = DoubleVector.fromArray(S, a, (rj + k) * L);
            DoubleVector lj1k = DoubleVector.fromArray(S, a, (rj1 + k) * L);
            sj = ljk.fma(ljk, sj);
            sjj1 = lj1k.fma(ljk, sjj1);
            sj1 = lj1k.fma(lj1k, sj1);
        }
        DoubleVector inverse = pivot(a, (rj + j) * L, sj, j, pivots, info);
        DoubleVector lj1j = DoubleVector.fromArray(S, a, (rj1 + j) * L).sub(sjj1).mul(inverse);
        lj1j.intoArray(a, (rj1 + j) * L);
        DoubleVector inverse1 = pivot(a, (rj1 + j + 1) * L, lj1j.fma(lj1j, sj1), j + 1, pivots, info);
        inverse.intoArray(pair, 0);
        inverse1.intoArray(pair, L);
        lj1j.intoArray(pair, 2 * L);
    }

    /** Rows i … i + 3 of columns j and j + 1 (each row's loads shared by both columns' sums). */
    private static void pairRows4(double[] a, int j, int i, double[] pair) {
        int rj = j * (j + 1) / 2;
        int rj1 = rj + j + 1;
        int r0 = i * (i + 1) / 2;
        int r1 = r0 + i + 1;
        int r2 = r1 + i + 2;
        int r3 = r2 + i + 3;
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        DoubleVector t0 = s0;
        DoubleVector t1 = s0;
        DoubleVector t2 = s0;
        DoubleVector t3 = s0;
        for (int k = 0; k < j; k++) {
            DoubleVector ljk = DoubleVector.fromArray(S, a, (rj + k) * L);
            DoubleVector lj1k = DoubleVector.fromArray(S, a, (rj1 + k) * L);
            DoubleVector x0 = DoubleVector.fromArray(S, a, (r0 + k) * L);
            DoubleVector x1 = DoubleVector.fromArray(S, a, (r1 + k) * L);
            DoubleVector x2 = DoubleVector.fromArray(S, a, (r2 + k) * L);
            DoubleVector x3 = DoubleVector.fromArray(S, a, (r3 + k) * L);
            s0 = x0.fma(ljk, s0);
            s1 = x1.fma(ljk, s1);
            s2 = x2.fma(ljk, s2);
            s3 = x3.fma(ljk, s3);
            t0 = x0.fma(lj1k, t0);
            t1 = x1.fma(lj1k, t1);
            t2 = x2.fma(lj1k, t2);
            t3 = x3.fma(lj1k, t3);
        }
        DoubleVector inverse = DoubleVector.fromArray(S, pair, 0);
        DoubleVector inverse1 = DoubleVector.fromArray(S, pair, L);
        DoubleVector lj1j = DoubleVector.fromArray(S, pair, 2 * L);
        DoubleVector l0 = DoubleVector.fromArray(S, a, (r0 + j) * L).sub(s0).mul(inverse);
        DoubleVector l1 = DoubleVector.fromArray(S, a, (r1 + j) * L).sub(s1).mul(inverse);
        DoubleVector l2 = DoubleVector.fromArray(S, a, (r2 + j) * L).sub(s2).mul(inverse);
        DoubleVector l3 = DoubleVector.fromArray(S, a, (r3 + j) * L).sub(s3).mul(inverse);
        l0.intoArray(a, (r0 + j) * L);
        l1.intoArray(a, (r1 + j) * L);
        l2.intoArray(a, (r2 + j) * L);
        l3.intoArray(a, (r3 + j) * L);
        DoubleVector.fromArray(S, a, (r0 + j + 1) * L).sub(l0.fma(lj1j, t0)).mul(inverse1).intoArray(a, (r0 + j + 1) * L);
        DoubleVector.fromArray(S, a, (r1 + j + 1) * L).sub(l1.fma(lj1j, t1)).mul(inverse1).intoArray(a, (r1 + j + 1) * L);
        DoubleVector.fromArray(S, a, (r2 + j + 1) * L).sub(l2.fma(lj1j, t2)).mul(inverse1).intoArray(a, (r2 + j + 1) * L);
        DoubleVector.fromArray(S, a, (r3 + j + 1) * L).sub(l3.fma(lj1j, t3)).mul(inverse1).intoArray(a, (r3 + j + 1) * L);
    }

    /** Row i of columns j and j + 1. */
    private static void pairRow(double[] a, int j, int i, double[] pair) {
        int rj = j * (j + 1) / 2;
        int rj1 = rj + j + 1;
        int ri = i * (i + 1) / 2;
        DoubleVector si = DoubleVector.zero(S);
        DoubleVector ti = si;
        for (int k = 0; k < j; k++) {
            DoubleVector x = DoubleVector.fromArray(S, a, (ri + k) * L);
            si = x.fma(DoubleVector.fromArray(S, a, (rj + k) * L), si);
            ti = x.fma(DoubleVector.fromArray(S, a, (rj1 + k) * L), ti);
        }
        DoubleVector lij = DoubleVector.fromArray(S, a, (ri + j) * L).sub(si).mul(DoubleVector.fromArray(S, pair, 0));
        lij.intoArray(a, (ri + j) * L);
        DoubleVector.fromArray(S, a, (ri + j + 1) * L).sub(lij.fma(DoubleVector.fromArray(S, pair, 2 * L), ti))
                .mul(DoubleVector.fromArray(S, pair, L)).intoArray(a, (ri + j + 1) * L);
    }

    /**
     * The pivot of column j from its sum of squares: L_jj = √(A_jj − s) written at {@code at}; a lane whose
     * A_jj − s is not &gt; 0 gets j + 1 in {@code info} (its first failure only). Returns 1 / L_jj.
     */
    private static DoubleVector pivot(double[] a, int at, DoubleVector s, int j, double[] pivots, int[] info) {
        DoubleVector pivot = DoubleVector.fromArray(S, a, at).sub(s);
        pivot.intoArray(pivots, 0);
        for (int lane = 0; lane < L; lane++) {
            if (!(pivots[lane] > 0) && info[lane] == 0) {
                info[lane] = j + 1;
            }
        }
        DoubleVector ljj = pivot.sqrt();
        ljj.intoArray(a, at);
        return DoubleVector.broadcast(S, 1.0).div(ljj);
    }

    /** {@link SmallCholesky#solve}'s two substitutions on {@code lanes} interleaved systems (see {@link #choleskyLanes}). */
    static void choleskySolveLanes(int d, int lanes, double[] a, double[] b) {
        for (int i = 0; i < d; i++) {
            int ri = i * (i + 1) / 2;
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            int k = 0;
            for (; k + 3 < i; k += 4) {
                s0 = DoubleVector.fromArray(S, a, (ri + k) * L).fma(DoubleVector.fromArray(S, b, k * L), s0);
                s1 = DoubleVector.fromArray(S, a, (ri + k + 1) * L).fma(DoubleVector.fromArray(S, b, (k + 1) * L), s1);
                s2 = DoubleVector.fromArray(S, a, (ri + k + 2) * L).fma(DoubleVector.fromArray(S, b, (k + 2) * L), s2);
                s3 = DoubleVector.fromArray(S, a, (ri + k + 3) * L).fma(DoubleVector.fromArray(S, b, (k + 3) * L), s3);
            }
            for (; k < i; k++) {
                s0 = DoubleVector.fromArray(S, a, (ri + k) * L).fma(DoubleVector.fromArray(S, b, k * L), s0);
            }
            DoubleVector sum = s0.add(s1).add(s2.add(s3));
            DoubleVector.fromArray(S, b, i * L).sub(sum).div(DoubleVector.fromArray(S, a, (ri + i) * L))
                    .intoArray(b, i * L);
        }
        for (int i = d - 1; i >= 0; i--) {
            int ri = i * (i + 1) / 2;
            DoubleVector xi = DoubleVector.fromArray(S, b, i * L).div(DoubleVector.fromArray(S, a, (ri + i) * L));
            xi.intoArray(b, i * L);
            for (int k = 0; k < i; k++) {
                DoubleVector.fromArray(S, a, (ri + k) * L).neg().fma(xi, DoubleVector.fromArray(S, b, k * L))
                        .intoArray(b, k * L);
            }
        }
    }

    /**
     * f = A x + shift, A row-major n × p: each row's dot product in 8 partial sums (element j to partial
     * j mod 8, fused multiply-adds), held in one vector of 8 lanes, two of 4 or four of 2, then the tail
     * and the fixed tree of {@link Kernels#sum8}: the bits of the scalar path at every width. Four rows at
     * a time share the loads of x.
     */
    static void multiply(int n, int p, double[] a, double[] x, double shift, double[] f) {
        switch (L) {
            case 8:
                multiply8(n, p, a, x, shift, f);
                return;
            case 4:
                multiply4(n, p, a, x, shift, f);
                return;
            case 2:
                multiply2(n, p, a, x, shift, f);
                return;
            default:
                throw new IllegalStateException("vectors of " + L + " doubles are not supported");
        }
    }

    private static void multiply8(int n, int p, double[] a, double[] x, double shift, double[] f) {
        int p8 = p - p % 8;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int o0 = i * p;
            int o1 = o0 + p;
            int o2 = o1 + p;
            int o3 = o2 + p;
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int j = 0; j < p8; j += 8) {
                DoubleVector xv = DoubleVector.fromArray(S, x, j);
                s0 = DoubleVector.fromArray(S, a, o0 + j).fma(xv, s0);
                s1 = DoubleVector.fromArray(S, a, o1 + j).fma(xv, s1);
                s2 = DoubleVector.fromArray(S, a, o2 + j).fma(xv, s2);
                s3 = DoubleVector.fromArray(S, a, o3 + j).fma(xv, s3);
            }
            f[i] = finish8(s0, a, o0, x, p8, p) + shift;
            f[i + 1] = finish8(s1, a, o1, x, p8, p) + shift;
            f[i + 2] = finish8(s2, a, o2, x, p8, p) + shift;
            f[i + 3] = finish8(s3, a, o3, x, p8, p) + shift;
        }
        for (; i < n; i++) {
            int o = i * p;
            DoubleVector s = DoubleVector.zero(S);
            for (int j = 0; j < p8; j += 8) {
                s = DoubleVector.fromArray(S, a, o + j).fma(DoubleVector.fromArray(S, x, j), s);
            }
            f[i] = finish8(s, a, o, x, p8, p) + shift;
        }
    }

    private static double finish8(DoubleVector s, double[] a, int o, double[] x, int p8, int p) {
        return Kernels.sum8(a, o, x, p8, p, s.lane(0), s.lane(1), s.lane(2), s.lane(3), s.lane(4), s.lane(5),
                s.lane(6), s.lane(7));
    }

    private static void multiply4(int n, int p, double[] a, double[] x, double shift, double[] f) {
        int p8 = p - p % 8;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int o0 = i * p;
            int o1 = o0 + p;
            int o2 = o1 + p;
            int o3 = o2 + p;
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
            for (int j = 0; j < p8; j += 8) {
                DoubleVector xv = DoubleVector.fromArray(S, x, j);
                DoubleVector xw = DoubleVector.fromArray(S, x, j + 4);
                s0 = DoubleVector.fromArray(S, a, o0 + j).fma(xv, s0);
                t0 = DoubleVector.fromArray(S, a, o0 + j + 4).fma(xw, t0);
                s1 = DoubleVector.fromArray(S, a, o1 + j).fma(xv, s1);
                t1 = DoubleVector.fromArray(S, a, o1 + j + 4).fma(xw, t1);
                s2 = DoubleVector.fromArray(S, a, o2 + j).fma(xv, s2);
                t2 = DoubleVector.fromArray(S, a, o2 + j + 4).fma(xw, t2);
                s3 = DoubleVector.fromArray(S, a, o3 + j).fma(xv, s3);
                t3 = DoubleVector.fromArray(S, a, o3 + j + 4).fma(xw, t3);
            }
            f[i] = finish4(s0, t0, a, o0, x, p8, p) + shift;
            f[i + 1] = finish4(s1, t1, a, o1, x, p8, p) + shift;
            f[i + 2] = finish4(s2, t2, a, o2, x, p8, p) + shift;
            f[i + 3] = finish4(s3, t3, a, o3, x, p8, p) + shift;
        }
        for (; i < n; i++) {
            int o = i * p;
            DoubleVector s = DoubleVector.zero(S);
            DoubleVector t = s;
            for (int j = 0; j < p8; j += 8) {
                s = DoubleVector.fromArray(S, a, o + j).fma(DoubleVector.fromArray(S, x, j), s);
                t = DoubleVector.fromArray(S, a, o + j + 4).fma(DoubleVector.fromArray(S, x, j + 4), t);
            }
            f[i] = finish4(s, t, a, o, x, p8, p) + shift;
        }
    }

    private static double finish4(DoubleVector s, DoubleVector t, double[] a, int o, double[] x, int p8, int p) {
        return Kernels.sum8(a, o, x, p8, p, s.lane(0), s.lane(1), s.lane(2), s.lane(3), t.lane(0), t.lane(1),
                t.lane(2), t.lane(3));
    }

    private static void multiply2(int n, int p, double[] a, double[] x, double shift, double[] f) {
        int p8 = p - p % 8;
        for (int i = 0; i < n; i++) {
            int o = i * p;
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0, s2 = s0, s3 = s0;
            for (int j = 0; j < p8; j += 8) {
                s0 = DoubleVector.fromArray(S, a, o + j).fma(DoubleVector.fromArray(S, x, j), s0);
                s1 = DoubleVector.fromArray(S, a, o + j + 2).fma(DoubleVector.fromArray(S, x, j + 2), s1);
                s2 = DoubleVector.fromArray(S, a, o + j + 4).fma(DoubleVector.fromArray(S, x, j + 4), s2);
                s3 = DoubleVector.fromArray(S, a, o + j + 6).fma(DoubleVector.fromArray(S, x, j + 6), s3);
            }
            f[i] = Kernels.sum8(a, o, x, p8, p, s0.lane(0), s0.lane(1), s1.lane(0), s1.lane(1), s2.lane(0),
                    s2.lane(1), s3.lane(0), s3.lane(1)) + shift;
        }
    }

    /**
     * out[0..p) = Aᵀ u, A row-major n × p: for each block of L columns, four accumulators run down the
     * rows (four independent chains hide the latency of the fused multiply-add). Each column's sum is
     * the same at every width: rows i &lt; n − n mod 4 to partial i mod 4, the last n mod 4 rows to partial
     * 0, then (s0 + s1) + (s2 + s3), as in {@link Kernels#multiplyTransposed}'s scalar path.
     */
    static void multiplyTransposed(int n, int p, double[] a, double[] u, double[] out) {
        int pv = p - p % L;
        for (int j = 0; j < pv; j += L) {
            columnBlock(n, p, a, u, j).intoArray(out, j);
        }
        if (pv == p) {
            return;
        }
        if (p >= L) {
            // the last p mod L columns: one more vector pass over the last L columns, keeping its tail
            double[] last = new double[L];
            columnBlock(n, p, a, u, p - L).intoArray(last, 0);
            System.arraycopy(last, L - (p - pv), out, pv, p - pv);
            return;
        }
        Kernels.multiplyTransposedScalar(n, p, a, u, out);
    }

    /** Σ_i u_i A[i, j .. j + L) with four accumulators. */
    private static DoubleVector columnBlock(int n, int p, double[] a, double[] u, int j) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int n4 = n - n % 4;
        int i = 0;
        for (int o = j; i < n4; i += 4, o += 4 * p) {
            s0 = DoubleVector.fromArray(S, a, o).fma(DoubleVector.broadcast(S, u[i]), s0);
            s1 = DoubleVector.fromArray(S, a, o + p).fma(DoubleVector.broadcast(S, u[i + 1]), s1);
            s2 = DoubleVector.fromArray(S, a, o + 2 * p).fma(DoubleVector.broadcast(S, u[i + 2]), s2);
            s3 = DoubleVector.fromArray(S, a, o + 3 * p).fma(DoubleVector.broadcast(S, u[i + 3]), s3);
        }
        for (; i < n; i++) {
            s0 = DoubleVector.fromArray(S, a, i * p + j).fma(DoubleVector.broadcast(S, u[i]), s0);
        }
        return s0.add(s1).add(s2.add(s3));
    }

    /**
     * f = X w + shift over the columns of X (Xᵀ row-major, pp ≥ p rows, pp a multiple of 8, rows past p zero;
     * row stride ld ≥ n rounded up to L, readable to that width) with w padded to pp entries by −0.0 (a product
     * +0 · −0 = −0 leaves every sum as it is, ±0 included): {@link Kernels#multiply}'s sums — column j to partial
     * j mod 8 in order, fused, the tree of {@link Kernels#sum8}, then shift — with the vectors across examples,
     * so the bits of {@link #multiply} at every L ({@link StepDesign#multiply}).
     */
    static void multiplyColumns(int n, int pp, double[] xt, int ld, double[] w, double shift, double[] f) {
        for (int i = 0; i < n; i += L) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int j = 0, o = i; j < pp; j += 8, o += 8 * ld) {
                s0 = DoubleVector.fromArray(S, xt, o).fma(DoubleVector.broadcast(S, w[j]), s0);
                s1 = DoubleVector.fromArray(S, xt, o + ld).fma(DoubleVector.broadcast(S, w[j + 1]), s1);
                s2 = DoubleVector.fromArray(S, xt, o + 2 * ld).fma(DoubleVector.broadcast(S, w[j + 2]), s2);
                s3 = DoubleVector.fromArray(S, xt, o + 3 * ld).fma(DoubleVector.broadcast(S, w[j + 3]), s3);
                s4 = DoubleVector.fromArray(S, xt, o + 4 * ld).fma(DoubleVector.broadcast(S, w[j + 4]), s4);
                s5 = DoubleVector.fromArray(S, xt, o + 5 * ld).fma(DoubleVector.broadcast(S, w[j + 5]), s5);
                s6 = DoubleVector.fromArray(S, xt, o + 6 * ld).fma(DoubleVector.broadcast(S, w[j + 6]), s6);
                s7 = DoubleVector.fromArray(S, xt, o + 7 * ld).fma(DoubleVector.broadcast(S, w[j + 7]), s7);
            }
            DoubleVector a = s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))).add(shift);
            if (i + L <= n) {
                a.intoArray(f, i);
            } else {
                for (int t = 0; i + t < n; t++) {
                    f[i + t] = a.lane(t);
                }
            }
        }
    }

    /**
     * out[i·ld + j] = s_i · x[i·ld + j] for i &lt; n, j &lt; ld (ld a multiple of L): every row of a padded
     * matrix scaled by its factor, one rounded product per entry ({@link StepDesign#scaledRows}).
     */
    static void scaleRows(int from, int to, int ld, double[] x, double[] s, double[] out) {
        for (int i = from, o = from * ld, q = 0; i < to; i++, o += ld, q += ld) {
            DoubleVector sv = DoubleVector.broadcast(S, s[i]);
            for (int j = 0; j < ld; j += L) {
                DoubleVector.fromArray(S, x, o + j).mul(sv).intoArray(out, q + j);
            }
        }
    }

    /**
     * out[0 .. ld) = Aᵀ u for A row-major n × ld, ld a multiple of 8: {@link #multiplyTransposed}'s sums (each
     * column in 4 partial sums over the rows, i mod 4, the last n mod 4 rows to partial 0, then
     * (s0 + s1) + (s2 + s3)), the same bits, on blocks of two vectors of columns written out in one method
     * (8 accumulators in registers; no vector crosses a call).
     */
    static void multiplyTransposedPadded(int n, int ld, double[] a, double[] u, double[] out) {
        int n4 = n - n % 4;
        int j = 0;
        for (; j + 2 * L <= ld; j += 2 * L) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
            int i = 0;
            for (int o = j; i < n4; i += 4, o += 4 * ld) {
                DoubleVector w0 = DoubleVector.broadcast(S, u[i]);
                DoubleVector w1 = DoubleVector.broadcast(S, u[i + 1]);
                DoubleVector w2 = DoubleVector.broadcast(S, u[i + 2]);
                DoubleVector w3 = DoubleVector.broadcast(S, u[i + 3]);
                s0 = DoubleVector.fromArray(S, a, o).fma(w0, s0);
                t0 = DoubleVector.fromArray(S, a, o + L).fma(w0, t0);
                s1 = DoubleVector.fromArray(S, a, o + ld).fma(w1, s1);
                t1 = DoubleVector.fromArray(S, a, o + ld + L).fma(w1, t1);
                s2 = DoubleVector.fromArray(S, a, o + 2 * ld).fma(w2, s2);
                t2 = DoubleVector.fromArray(S, a, o + 2 * ld + L).fma(w2, t2);
                s3 = DoubleVector.fromArray(S, a, o + 3 * ld).fma(w3, s3);
                t3 = DoubleVector.fromArray(S, a, o + 3 * ld + L).fma(w3, t3);
            }
            for (; i < n; i++) {
                DoubleVector w = DoubleVector.broadcast(S, u[i]);
                s0 = DoubleVector.fromArray(S, a, i * ld + j).fma(w, s0);
                t0 = DoubleVector.fromArray(S, a, i * ld + j + L).fma(w, t0);
            }
            s0.add(s1).add(s2.add(s3)).intoArray(out, j);
            t0.add(t1).add(t2.add(t3)).intoArray(out, j + L);
        }
        for (; j < ld; j += L) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0, s2 = s0, s3 = s0;
            int i = 0;
            for (int o = j; i < n4; i += 4, o += 4 * ld) {
                s0 = DoubleVector.fromArray(S, a, o).fma(DoubleVector.broadcast(S, u[i]), s0);
                s1 = DoubleVector.fromArray(S, a, o + ld).fma(DoubleVector.broadcast(S, u[i + 1]), s1);
                s2 = DoubleVector.fromArray(S, a, o + 2 * ld).fma(DoubleVector.broadcast(S, u[i + 2]), s2);
                s3 = DoubleVector.fromArray(S, a, o + 3 * ld).fma(DoubleVector.broadcast(S, u[i + 3]), s3);
            }
            for (; i < n; i++) {
                s0 = DoubleVector.fromArray(S, a, i * ld + j).fma(DoubleVector.broadcast(S, u[i]), s0);
            }
            s0.add(s1).add(s2.add(s3)).intoArray(out, j);
        }
    }

    static void scaleRow(double s, double[] x, int xOffset, int p, double[] out, int outOffset) {
        int pv = p - p % L;
        DoubleVector sv = DoubleVector.broadcast(S, s);
        for (int j = 0; j < pv; j += L) {
            DoubleVector.fromArray(S, x, xOffset + j).mul(sv).intoArray(out, outOffset + j);
        }
        for (int j = pv; j < p; j++) {
            out[outOffset + j] = s * x[xOffset + j];
        }
    }

    /**
     * C = A B for row-major A (r × k, row stride lda), B (k × m, row stride ldb ≥ m rounded up to L, its
     * rows readable to that width with finite values) and C (r × m, row stride ldc): each entry
     * c_sj = Σ_t a_st b_tj summed over t in order with fused multiply-adds from +0, so it depends on row s of
     * A and column j of B alone, not on the other rows, nor on L, nor on the tiling ({@link Kernels#product}
     * is the scalar path).
     *
     * <p>The layout of a register-blocked matrix product (Goto and van de Geijn, "Anatomy of
     * high-performance matrix multiplication", ACM TOMS 34(3), 2008), without its split of the k loop (which
     * would change the order of the sums): A is first copied into panels of {@code MR} rows stored t-major
     * (the {@code MR} entries a tile broadcasts at step t are adjacent), then the column blocks are the outer loop, so a block of B stays in the
     * cache while every panel passes over it; the last r mod 8 rows run as one panel of 4 and single rows. Tiles of 8 rows × 3 vectors (24 accumulators: 11 loads per 24
     * fused multiply-adds) with vectors of 8 doubles (AVX-512: 32 registers), 4 rows × 2 vectors below.
     */
    static void product(int r, int k, int m, double[] a, int lda, double[] b, int ldb, double[] c, int ldc) {
        int mr = SPLIT_TILES ? 4 : 8;
        int full = r / mr;
        int half = !SPLIT_TILES && r - full * mr >= 4 ? 1 : 0;
        int packed = full * mr + 4 * half;
        double[] ap = panelBuffer(packed * k);
        for (int s = 0; s < packed; s++) {
            int width = s < full * mr ? mr : 4;
            int base = s < full * mr ? (s / mr) * k * mr : full * k * mr;
            int i = s < full * mr ? s % mr : s - full * mr;
            for (int t = 0, oa = s * lda, o = base + i; t < k; t++, o += width) {
                ap[o] = a[oa + t];
            }
        }
        int vectors = (m + L - 1) / L;
        // blocks of three vectors, then of two: a vector left alone would be one latency-bound chain per row
        int triples = SPLIT_TILES ? 0 : vectors % 3 == 1 && vectors >= 4 ? (vectors - 4) / 3 : vectors / 3;
        double[] edge = new double[8 * 3 * L]; // the rows of a tile whose columns pass m
        int j = 0;
        for (int q = 0; q < triples; q++, j += 3 * L) {
            boolean inside = j + 3 * L <= m;
            for (int p = 0; p < full; p++) {
                if (inside) {
                    productTile8x3(k, ap, p * k * 8, b, j, ldb, c, p * 8 * ldc + j, ldc);
                } else {
                    productTile8x3(k, ap, p * k * 8, b, j, ldb, edge, 0, 3 * L);
                    copyEdge(edge, 8, 3 * L, m - j, c, p * 8 * ldc + j, ldc);
                }
            }
        }
        for (; j < m; j += 2 * L) {
            boolean pair = j + L < m;
            boolean inside = j + (pair ? 2 : 1) * L <= m;
            for (int p = 0; p < full; p++) {
                int oc = p * mr * ldc + j;
                double[] to = inside ? c : edge;
                int o = inside ? oc : 0;
                int ld = inside ? ldc : 2 * L;
                if (!pair) {
                    for (int i = 0; i < mr; i++) {
                        productColumn(k, ap, p * k * mr + i, mr, b, j, ldb, to, o + i * ld);
                    }
                } else if (SPLIT_TILES) {
                    productTile4x2(k, ap, p * k * 4, b, j, ldb, to, o, ld);
                } else {
                    productTile8x2(k, ap, p * k * 8, b, j, ldb, to, o, ld);
                }
                if (!inside) {
                    copyEdge(edge, mr, 2 * L, m - j, c, oc, ldc);
                }
            }
        }
        // the last r mod 8 rows: a panel of 4 (packed after the full panels), then single rows of A as they are
        for (int s = full * mr; s < r; ) {
            boolean four = s < packed;
            int rows = four ? 4 : 1;
            for (j = 0; j < m; j += 2 * L) {
                boolean pair = j + L < m;
                boolean inside = j + (pair ? 2 : 1) * L <= m;
                double[] to = inside ? c : edge;
                int o = inside ? s * ldc + j : 0;
                int ld = inside ? ldc : 2 * L;
                if (four) {
                    if (pair) {
                        productTile4x2(k, ap, full * k * mr, b, j, ldb, to, o, ld);
                    } else {
                        for (int i = 0; i < 4; i++) {
                            productColumn(k, ap, full * k * mr + i, 4, b, j, ldb, to, o + i * ld);
                        }
                    }
                } else if (pair) {
                    productTile1x2(k, a, s * lda, b, j, ldb, to, o);
                } else {
                    productColumn(k, a, s * lda, 1, b, j, ldb, to, o);
                }
                if (!inside) {
                    copyEdge(edge, rows, 2 * L, m - j, c, s * ldc + j, ldc);
                }
            }
            s += rows;
        }
    }

    /** Rows [0, rows) × columns [0, count) of a tile computed into {@code edge} (row stride ld), into C. */
    private static void copyEdge(double[] edge, int rows, int ld, int count, double[] c, int oc, int ldc) {
        for (int i = 0; i < rows; i++) {
            System.arraycopy(edge, i * ld, c, oc + i * ldc, count);
        }
    }

    /** Per thread, the panels of A of {@link #product} (grown, never shrunk: no allocation per call). */
    private static final ThreadLocal<double[][]> PANELS = ThreadLocal.withInitial(() -> new double[1][0]);

    private static double[] panelBuffer(int size) {
        double[][] holder = PANELS.get();
        if (holder[0].length < size) {
            holder[0] = new double[size];
        }
        return holder[0];
    }

    /*
     * The register tiles of {@link #product}: each computes rows × vectors of C, every entry an in-order chain of
     * fused multiply-adds over t from +0, and stores all of them at c[oc + i·ldc + v·L] (the caller passes a
     * scratch tile where the columns pass m). No branch depends on the shape and no vector crosses a call: a
     * branch first taken after the optimising compiler has compiled a tile sends it back to the slow tiers
     * (measured: over a second of boxed vectors in a 5-second grid), and a vector passed to a call that is not
     * inlined is boxed.
     */
    private static void productTile8x3(int k, double[] ap, int oa, double[] b, int ob, int ldb, double[] c, int oc,
            int ldc) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c0 = z, d0 = z, e0 = z, c1 = z, d1 = z, e1 = z, c2 = z, d2 = z, e2 = z, c3 = z, d3 = z, e3 = z, c4 = z, d4 = z, e4 = z, c5 = z, d5 = z, e5 = z, c6 = z, d6 = z, e6 = z, c7 = z, d7 = z, e7 = z;
        for (int t = 0; t < k; t++, ob += ldb, oa += 8) {
            DoubleVector u = DoubleVector.fromArray(S, b, ob);
            DoubleVector v = DoubleVector.fromArray(S, b, ob + L);
            DoubleVector x = DoubleVector.fromArray(S, b, ob + 2 * L);
            DoubleVector w = DoubleVector.broadcast(S, ap[oa]);
            c0 = u.fma(w, c0);
            d0 = v.fma(w, d0);
            e0 = x.fma(w, e0);
            w = DoubleVector.broadcast(S, ap[oa + 1]);
            c1 = u.fma(w, c1);
            d1 = v.fma(w, d1);
            e1 = x.fma(w, e1);
            w = DoubleVector.broadcast(S, ap[oa + 2]);
            c2 = u.fma(w, c2);
            d2 = v.fma(w, d2);
            e2 = x.fma(w, e2);
            w = DoubleVector.broadcast(S, ap[oa + 3]);
            c3 = u.fma(w, c3);
            d3 = v.fma(w, d3);
            e3 = x.fma(w, e3);
            w = DoubleVector.broadcast(S, ap[oa + 4]);
            c4 = u.fma(w, c4);
            d4 = v.fma(w, d4);
            e4 = x.fma(w, e4);
            w = DoubleVector.broadcast(S, ap[oa + 5]);
            c5 = u.fma(w, c5);
            d5 = v.fma(w, d5);
            e5 = x.fma(w, e5);
            w = DoubleVector.broadcast(S, ap[oa + 6]);
            c6 = u.fma(w, c6);
            d6 = v.fma(w, d6);
            e6 = x.fma(w, e6);
            w = DoubleVector.broadcast(S, ap[oa + 7]);
            c7 = u.fma(w, c7);
            d7 = v.fma(w, d7);
            e7 = x.fma(w, e7);
        }
        c0.intoArray(c, oc);
        d0.intoArray(c, oc + L);
        e0.intoArray(c, oc + 2 * L);
        c1.intoArray(c, oc + ldc);
        d1.intoArray(c, oc + ldc + L);
        e1.intoArray(c, oc + ldc + 2 * L);
        c2.intoArray(c, oc + 2 * ldc);
        d2.intoArray(c, oc + 2 * ldc + L);
        e2.intoArray(c, oc + 2 * ldc + 2 * L);
        c3.intoArray(c, oc + 3 * ldc);
        d3.intoArray(c, oc + 3 * ldc + L);
        e3.intoArray(c, oc + 3 * ldc + 2 * L);
        c4.intoArray(c, oc + 4 * ldc);
        d4.intoArray(c, oc + 4 * ldc + L);
        e4.intoArray(c, oc + 4 * ldc + 2 * L);
        c5.intoArray(c, oc + 5 * ldc);
        d5.intoArray(c, oc + 5 * ldc + L);
        e5.intoArray(c, oc + 5 * ldc + 2 * L);
        c6.intoArray(c, oc + 6 * ldc);
        d6.intoArray(c, oc + 6 * ldc + L);
        e6.intoArray(c, oc + 6 * ldc + 2 * L);
        c7.intoArray(c, oc + 7 * ldc);
        d7.intoArray(c, oc + 7 * ldc + L);
        e7.intoArray(c, oc + 7 * ldc + 2 * L);
    }

    private static void productTile8x2(int k, double[] ap, int oa, double[] b, int ob, int ldb, double[] c, int oc,
            int ldc) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c0 = z, d0 = z, c1 = z, d1 = z, c2 = z, d2 = z, c3 = z, d3 = z, c4 = z, d4 = z, c5 = z, d5 = z, c6 = z, d6 = z, c7 = z, d7 = z;
        for (int t = 0; t < k; t++, ob += ldb, oa += 8) {
            DoubleVector u = DoubleVector.fromArray(S, b, ob);
            DoubleVector v = DoubleVector.fromArray(S, b, ob + L);
            DoubleVector w = DoubleVector.broadcast(S, ap[oa]);
            c0 = u.fma(w, c0);
            d0 = v.fma(w, d0);
            w = DoubleVector.broadcast(S, ap[oa + 1]);
            c1 = u.fma(w, c1);
            d1 = v.fma(w, d1);
            w = DoubleVector.broadcast(S, ap[oa + 2]);
            c2 = u.fma(w, c2);
            d2 = v.fma(w, d2);
            w = DoubleVector.broadcast(S, ap[oa + 3]);
            c3 = u.fma(w, c3);
            d3 = v.fma(w, d3);
            w = DoubleVector.broadcast(S, ap[oa + 4]);
            c4 = u.fma(w, c4);
            d4 = v.fma(w, d4);
            w = DoubleVector.broadcast(S, ap[oa + 5]);
            c5 = u.fma(w, c5);
            d5 = v.fma(w, d5);
            w = DoubleVector.broadcast(S, ap[oa + 6]);
            c6 = u.fma(w, c6);
            d6 = v.fma(w, d6);
            w = DoubleVector.broadcast(S, ap[oa + 7]);
            c7 = u.fma(w, c7);
            d7 = v.fma(w, d7);
        }
        c0.intoArray(c, oc);
        d0.intoArray(c, oc + L);
        c1.intoArray(c, oc + ldc);
        d1.intoArray(c, oc + ldc + L);
        c2.intoArray(c, oc + 2 * ldc);
        d2.intoArray(c, oc + 2 * ldc + L);
        c3.intoArray(c, oc + 3 * ldc);
        d3.intoArray(c, oc + 3 * ldc + L);
        c4.intoArray(c, oc + 4 * ldc);
        d4.intoArray(c, oc + 4 * ldc + L);
        c5.intoArray(c, oc + 5 * ldc);
        d5.intoArray(c, oc + 5 * ldc + L);
        c6.intoArray(c, oc + 6 * ldc);
        d6.intoArray(c, oc + 6 * ldc + L);
        c7.intoArray(c, oc + 7 * ldc);
        d7.intoArray(c, oc + 7 * ldc + L);
    }

    private static void productTile4x2(int k, double[] ap, int oa, double[] b, int ob, int ldb, double[] c, int oc,
            int ldc) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c0 = z, d0 = z, c1 = z, d1 = z, c2 = z, d2 = z, c3 = z, d3 = z;
        for (int t = 0; t < k; t++, ob += ldb, oa += 4) {
            DoubleVector u = DoubleVector.fromArray(S, b, ob);
            DoubleVector v = DoubleVector.fromArray(S, b, ob + L);
            DoubleVector w = DoubleVector.broadcast(S, ap[oa]);
            c0 = u.fma(w, c0);
            d0 = v.fma(w, d0);
            w = DoubleVector.broadcast(S, ap[oa + 1]);
            c1 = u.fma(w, c1);
            d1 = v.fma(w, d1);
            w = DoubleVector.broadcast(S, ap[oa + 2]);
            c2 = u.fma(w, c2);
            d2 = v.fma(w, d2);
            w = DoubleVector.broadcast(S, ap[oa + 3]);
            c3 = u.fma(w, c3);
            d3 = v.fma(w, d3);
        }
        c0.intoArray(c, oc);
        d0.intoArray(c, oc + L);
        c1.intoArray(c, oc + ldc);
        d1.intoArray(c, oc + ldc + L);
        c2.intoArray(c, oc + 2 * ldc);
        d2.intoArray(c, oc + 2 * ldc + L);
        c3.intoArray(c, oc + 3 * ldc);
        d3.intoArray(c, oc + 3 * ldc + L);
    }

    private static void productTile1x2(int k, double[] a, int oa, double[] b, int ob, int ldb, double[] c, int oc) {
        DoubleVector c0 = DoubleVector.zero(S);
        DoubleVector d0 = c0;
        for (int t = 0; t < k; t++, ob += ldb) {
            DoubleVector w = DoubleVector.broadcast(S, a[oa + t]);
            c0 = DoubleVector.fromArray(S, b, ob).fma(w, c0);
            d0 = DoubleVector.fromArray(S, b, ob + L).fma(w, d0);
        }
        c0.intoArray(c, oc);
        d0.intoArray(c, oc + L);
    }

    /** One row × one vector of columns; the row's entries of A at {@code oa}, {@code oa + step}, …. */
    private static void productColumn(int k, double[] a, int oa, int step, double[] b, int ob, int ldb, double[] c,
            int oc) {
        DoubleVector acc = DoubleVector.zero(S);
        for (int t = 0; t < k; t++, ob += ldb, oa += step) {
            acc = DoubleVector.fromArray(S, b, ob).fma(DoubleVector.broadcast(S, a[oa]), acc);
        }
        acc.intoArray(c, oc);
    }
}
