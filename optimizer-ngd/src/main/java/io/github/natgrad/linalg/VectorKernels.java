package io.github.natgrad.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernels, on the JDK's incubating Vector API. Loaded only when {@link Simd#enabled()} (a class
 * that names {@code jdk.incubator.vector} cannot be loaded without the module), so every caller checks
 * that first. Each kernel is checked against the scalar loops and Apache Commons Math in the tests.
 *
 * <p>Same input, same bits, whatever the JIT has compiled: every sum runs in a fixed order (lanes are
 * added in the fixed pairwise order of {@link #sumLanes}, never by {@code reduceLanes}, whose order is
 * unspecified and differs between the interpreter and compiled code), multiply-adds are fused
 * ({@code fma}: one rounding in every tier, as {@link Math#fma}) or explicitly not, and no kernel uses the
 * vector {@code EXP}/{@code LOG}, whose compiled form (a vector math library) may differ from
 * {@link Math#exp} in the last bit; those functions run on {@link Math#exp}/{@link Math#log}, the same
 * code in every tier.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Whether the Gram kernel's 8-row tiles run as two 4-row halves (vectors of at most 4 doubles). */
    private static final boolean SPLIT_TILES = L <= 4;

    /** Rows of G per pass of the Gram kernel: 256 KiB of G, so a pass stays in the L2 cache. */
    private static final int CHUNK_DOUBLES = 1 << 15;

    private VectorKernels() {
    }

    static int lanes() {
        return L;
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
        int chunk = Math.max(8, CHUNK_DOUBLES / d);
        for (int r0 = 0; r0 < rows; r0 += chunk) {
            int r1 = Math.min(rows, r0 + chunk);
            for (int i0 = 0; i0 < d; i0 += 8) {
                int j = i0;
                for (; j + 2 * L <= ldp; j += 2 * L) {
                    if (SPLIT_TILES) {
                        tile2Half(g, r0, r1, d, i0, j, p, ldp);
                        tile2Half(g, r0, r1, d, i0 + 4, j, p, ldp);
                    } else {
                        tile2(g, r0, r1, d, i0, j, p, ldp);
                    }
                }
                if (j < ldp) {
                    tile1(g, r0, r1, d, i0, j, p, ldp);
                }
            }
        }
    }

    private static void tile2(double[] g, int r0, int r1, int d, int i0, int j, double[] p, int ldp) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        DoubleVector b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
        for (int r = r0, o = r0 * d; r < r1; r++, o += d) {
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
    private static void tile2Half(double[] g, int r0, int r1, int d, int i0, int j, double[] p, int ldp) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector a0 = z, a1 = z, a2 = z, a3 = z;
        DoubleVector b0 = z, b1 = z, b2 = z, b3 = z;
        for (int r = r0, o = r0 * d; r < r1; r++, o += d) {
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

    private static void tile1(double[] g, int r0, int r1, int d, int i0, int j, double[] p, int ldp) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        for (int r = r0, o = r0 * d; r < r1; r++, o += d) {
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
     * {@link SmallCholesky#factor}'s recurrence on {@code lanes} interleaved systems ({@link BatchedCholesky}'s
     * layout), one per lane, with the vector width equal to {@code lanes}: the same operations in the same
     * order in every lane. A lane whose pivot is not &gt; 0 gets its minor's order in {@code info} (the
     * first one only) and runs on to the end with junk that no caller reads.
     */
    static void choleskyLanes(int d, int lanes, double[] a, int[] info) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        double[] pivots = new double[L];
        for (int j = 0; j < d; j++) {
            int rj = j * (j + 1) / 2;
            DoubleVector s = DoubleVector.zero(S);
            for (int k = 0; k < j; k++) {
                DoubleVector ljk = DoubleVector.fromArray(S, a, (rj + k) * L);
                s = ljk.fma(ljk, s);
            }
            DoubleVector pivot = DoubleVector.fromArray(S, a, (rj + j) * L).sub(s);
            pivot.intoArray(pivots, 0);
            for (int lane = 0; lane < L; lane++) {
                if (!(pivots[lane] > 0) && info[lane] == 0) {
                    info[lane] = j + 1;
                }
            }
            DoubleVector ljj = pivot.sqrt();
            ljj.intoArray(a, (rj + j) * L);
            DoubleVector inverse = one.div(ljj);
            int i = j + 1;
            for (; i + 1 < d; i += 2) {
                int r0 = i * (i + 1) / 2;
                int r1 = (i + 1) * (i + 2) / 2;
                DoubleVector s0 = DoubleVector.zero(S);
                DoubleVector s1 = s0;
                for (int k = 0; k < j; k++) {
                    DoubleVector ljk = DoubleVector.fromArray(S, a, (rj + k) * L);
                    s0 = DoubleVector.fromArray(S, a, (r0 + k) * L).fma(ljk, s0);
                    s1 = DoubleVector.fromArray(S, a, (r1 + k) * L).fma(ljk, s1);
                }
                DoubleVector.fromArray(S, a, (r0 + j) * L).sub(s0).mul(inverse).intoArray(a, (r0 + j) * L);
                DoubleVector.fromArray(S, a, (r1 + j) * L).sub(s1).mul(inverse).intoArray(a, (r1 + j) * L);
            }
            for (; i < d; i++) {
                int ri = i * (i + 1) / 2;
                DoubleVector si = DoubleVector.zero(S);
                for (int k = 0; k < j; k++) {
                    si = DoubleVector.fromArray(S, a, (ri + k) * L).fma(DoubleVector.fromArray(S, a, (rj + k) * L), si);
                }
                DoubleVector.fromArray(S, a, (ri + j) * L).sub(si).mul(inverse).intoArray(a, (ri + j) * L);
            }
        }
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

    /** f = A x + shift, A row-major n × p: four rows at a time share the loads of x. */
    static void multiply(int n, int p, double[] a, double[] x, double shift, double[] f) {
        int pv = p - p % L;
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
            for (int j = 0; j < pv; j += L) {
                DoubleVector xv = DoubleVector.fromArray(S, x, j);
                s0 = DoubleVector.fromArray(S, a, o0 + j).fma(xv, s0);
                s1 = DoubleVector.fromArray(S, a, o1 + j).fma(xv, s1);
                s2 = DoubleVector.fromArray(S, a, o2 + j).fma(xv, s2);
                s3 = DoubleVector.fromArray(S, a, o3 + j).fma(xv, s3);
            }
            double t0 = sumLanes(s0);
            double t1 = sumLanes(s1);
            double t2 = sumLanes(s2);
            double t3 = sumLanes(s3);
            for (int j = pv; j < p; j++) {
                double xj = x[j];
                t0 += a[o0 + j] * xj;
                t1 += a[o1 + j] * xj;
                t2 += a[o2 + j] * xj;
                t3 += a[o3 + j] * xj;
            }
            f[i] = t0 + shift;
            f[i + 1] = t1 + shift;
            f[i + 2] = t2 + shift;
            f[i + 3] = t3 + shift;
        }
        for (; i < n; i++) {
            int o = i * p;
            DoubleVector s = DoubleVector.zero(S);
            for (int j = 0; j < pv; j += L) {
                s = DoubleVector.fromArray(S, a, o + j).fma(DoubleVector.fromArray(S, x, j), s);
            }
            double t = sumLanes(s);
            for (int j = pv; j < p; j++) {
                t += a[o + j] * x[j];
            }
            f[i] = t + shift;
        }
    }

    /**
     * out[0..p) = Aᵀ u, A row-major n × p: for each block of L columns, four accumulators run down the
     * rows (four independent chains hide the latency of the fused multiply-add).
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
        for (int j = pv; j < p; j++) {
            double t = 0;
            for (int i = 0, o = j; i < n; i++, o += p) {
                t += u[i] * a[o];
            }
            out[j] = t;
        }
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
     * The sum of a vector's lanes in a fixed order, pairwise: (v0 + v1) + (v2 + v3) for four lanes. Lanes
     * are read with constant indices, so the compiled code extracts them without a detour through memory.
     */
    static double sumLanes(DoubleVector v) {
        switch (L) {
            case 2:
                return v.lane(0) + v.lane(1);
            case 4:
                return (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
            case 8:
                return ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3)))
                        + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
            default:
                throw new IllegalStateException("vectors of " + L + " doubles are not supported");
        }
    }
}
