package io.github.natgrad.models;

import java.util.Arrays;

/**
 * The second-order term Σ_i Σ_k r_ik ∇²_θ f_ik of a {@link MultilayerPerceptron}'s Hessian through a
 * {@link MlpForward} pass, by Pearlmutter's R-operator (Pearlmutter 1994, "Fast exact multiplication by the
 * Hessian", Neural Computation 6(1)) forward over reverse: as a product with a vector v (one forward tangent
 * {@link MlpForwardMode} and one reverse R-pass per example, O(N·D), for the matrix-free solvers), and as the
 * dense D × D matrix, one column per basis vector e_p (O(N·D²), for small D). The reverse R-pass is
 * R{∂W_l} = R{δ_{l+1}} h_lᵀ + δ_{l+1} R{h_l}ᵀ, R{∂b_l} = R{δ_{l+1}},
 * R{δ_l} = σ''(z_l) R{z_l} g_l + σ'(z_l)(V_lᵀ δ_{l+1} + W_lᵀ R{δ_{l+1}}), with R{δ_out} = 0 (r fixed).
 * The dense columns ({@link #column}) specialise the passes to e_p — only the layers above p's carry a tangent, and
 * V_lᵀ δ is one entry, added after W_lᵀ R{δ} — and share the rest ({@link #addLayer}, {@link #rdeltaBelow}) with
 * the product; the two sums of R{g_l} stay separate because they add in another order (the bits of either kind's
 * steps are kept).
 * Scratch space for one example at a time; not thread-safe.
 */
final class MlpSecondOrder {
    private final MlpForward fw;
    private final MlpArchitecture arch;
    /** The forward tangent (its R{z}, R{h} serve the dense columns too). */
    private final MlpForwardMode tangent;
    /** δ_l = ∂(rᵀf)/∂z_l for hidden layer l and the output, and g_l = W_lᵀ δ_{l+1} before the σ' factor. */
    private final double[] delta;
    private final double[] g;
    /** R{δ} (hidden layers and output) and R{g} of one layer. */
    private final double[] rdelta;
    private final double[] rg;

    MlpSecondOrder(MlpForward forward) {
        this.fw = forward;
        this.arch = forward.arch;
        this.tangent = new MlpForwardMode(forward);
        int k = arch.outputs();
        delta = new double[arch.hiddenTotal + k];
        g = new double[arch.hiddenTotal];
        rdelta = new double[arch.hiddenTotal + k];
        rg = new double[arch.widest];
    }

    /** Whether example i's residual row r_i is zero (its term vanishes), or the network has no hidden layer. */
    private boolean vanishes(double[] r, int i) {
        int k = arch.outputs();
        boolean zero = true;
        for (int o = 0; o < k; o++) {
            zero &= r[i * k + o] == 0;
        }
        return zero || fw.layers == 1; // no hidden layer: f is linear in θ
    }

    /**
     * Adds scale · Σ_i ∇²_θ (r_iᵀ f(θ, x_i)) to c (D × D, row-major), one column per basis direction e_j; the
     * result is symmetrised (its two triangles agree to rounding before that).
     */
    void addTo(double[] r, double scale, double[] c) {
        int d = arch.parameters;
        fw.packed();
        double[] m = new double[d * d];
        for (int i = 0; i < fw.n; i++) {
            if (vanishes(r, i)) {
                continue;
            }
            backward(i, r, i * arch.outputs());
            for (int j = 0; j < d; j++) {
                column(i, j, m, j, d);
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double v = 0.5 * scale * (m[a * d + b] + m[b * d + a]);
                c[a * d + b] += v;
                if (a != b) {
                    c[b * d + a] += v;
                }
            }
        }
    }

    /** Adds scale · Σ_i ∇²_θ (r_iᵀ f(θ, x_i)) v to {@code out}. */
    void product(double[] r, double scale, double[] v, double[] out) {
        if (fw.layers == 1) {
            return; // no hidden layer: f is linear in θ
        }
        fw.packed();
        for (int i = 0; i < fw.n; i++) {
            if (vanishes(r, i)) {
                continue;
            }
            backward(i, r, i * arch.outputs());
            tangent.forward(i, v, null, 0);
            reverse(i, v, scale, out);
        }
    }

    /** Offset of layer l's δ (l = 1..L hidden, L+1 output) within {@code delta}. */
    private int deltaOffset(int l) {
        return l == arch.sizes.length - 1 ? arch.hiddenTotal : arch.hiddenOffset[l];
    }

    /** The plain backward pass of rᵀf for example i: fills δ and g. */
    private void backward(int i, double[] r, int rOff) {
        int[] sizes = arch.sizes;
        double[] theta = fw.theta;
        int hiddenTotal = arch.hiddenTotal;
        System.arraycopy(r, rOff, delta, hiddenTotal, arch.outputs());
        for (int l = fw.layers - 1; l >= 1; l--) {
            int rowsOut = sizes[l + 1];
            int cols = sizes[l];
            int w = arch.weightOffset[l];
            int dOut = deltaOffset(l + 1);
            int dIn = deltaOffset(l);
            int zOff = i * hiddenTotal + arch.hiddenOffset[l];
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int o = 0; o < rowsOut; o++) {
                    s += theta[w + o * cols + j] * delta[dOut + o];
                }
                g[arch.hiddenOffset[l] + j] = s;
                delta[dIn + j] = s * fw.d1[zOff + j];
            }
        }
    }

    /**
     * The reverse R-pass of example i along v: adds scale · ∇²_θ(r_iᵀ f(θ, x_i)) v to out, after {@link #backward}
     * and the tangent's forward pass along v.
     */
    private void reverse(int i, double[] v, double scale, double[] out) {
        int[] sizes = arch.sizes;
        double[] theta = fw.theta;
        int hiddenTotal = arch.hiddenTotal;
        int k = arch.outputs();
        Arrays.fill(rdelta, hiddenTotal, hiddenTotal + k, 0.0);
        for (int l = fw.layers - 1; l >= 0; l--) {
            int rowsOut = sizes[l + 1];
            int cols = sizes[l];
            int w = arch.weightOffset[l];
            int dOut = deltaOffset(l + 1);
            addLayer(i, l, 0, scale, out, 1, 0);
            if (l == 0) {
                break;
            }
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int o = 0; o < rowsOut; o++) {
                    s += v[w + o * cols + j] * delta[dOut + o] + theta[w + o * cols + j] * rdelta[dOut + o];
                }
                rg[j] = s;
            }
            rdeltaBelow(i, l, 0);
        }
    }

    /**
     * Adds scale · (R{∂W_l}, R{∂b_l}) of example i to {@code dst} at entry (θ index)·stride + col: R{δ_{l+1}} h_lᵀ
     * plus δ_{l+1} R{h_l}ᵀ where the tangent reaches layer l (l &gt; {@code tangentAbove}), and R{δ_{l+1}}.
     */
    private void addLayer(int i, int l, int tangentAbove, double scale, double[] dst, int stride, int col) {
        int rowsOut = arch.sizes[l + 1];
        int cols = arch.sizes[l];
        int w = arch.weightOffset[l];
        int b = w + rowsOut * cols;
        int dOut = deltaOffset(l + 1);
        double[] in = fw.input(l);
        int inOff = fw.inputOffset(l, i);
        double[] rh = tangent.rh;
        boolean tangentIn = l > tangentAbove;
        int hIn = l > 0 ? arch.hiddenOffset[l] : 0;
        for (int o = 0; o < rowsOut; o++) {
            double rd = rdelta[dOut + o];
            double dd = delta[dOut + o];
            int row = w + o * cols;
            for (int j = 0; j < cols; j++) {
                double val = rd * in[inOff + j];
                if (tangentIn) {
                    val += dd * rh[hIn + j];
                }
                dst[(row + j) * stride + col] += scale * val;
            }
            dst[(b + o) * stride + col] += scale * rd;
        }
    }

    /**
     * R{δ_l} = σ''(z_l) R{z_l} g_l + σ'(z_l) R{g_l} of example i from {@link #rg}, for hidden layer l ≥ 1; R{z_l} is
     * the tangent's where it reaches layer l (l &gt; {@code tangentAbove}), else 0.
     */
    private void rdeltaBelow(int i, int l, int tangentAbove) {
        int cols = arch.sizes[l];
        int zOff = i * arch.hiddenTotal + arch.hiddenOffset[l];
        int dIn = deltaOffset(l);
        double[] rz = tangent.rz;
        double[] d1 = fw.d1;
        double[] d2 = fw.packedCurvature();
        for (int j = 0; j < cols; j++) {
            double rzj = l > tangentAbove ? rz[arch.hiddenOffset[l] + j] : 0.0;
            rdelta[dIn + j] = d2[zOff + j] * rzj * g[arch.hiddenOffset[l] + j] + d1[zOff + j] * rg[j];
        }
    }

    /**
     * The Hessian-vector product of rᵀf(θ, x_i) with the basis vector e_p, added to row {@code col} of the
     * row-major matrix m (d columns; contiguous writes — {@link #addTo} symmetrises m, and m + mᵀ has the same
     * bits whichever triangle holds which product): the passes of {@link #product} specialised to e_p.
     */
    private void column(int i, int p, double[] m, int col, int d) {
        int[] sizes = arch.sizes;
        int[] weightOffset = arch.weightOffset;
        double[] theta = fw.theta;
        double[] rz = tangent.rz;
        double[] rh = tangent.rh;
        int hiddenTotal = arch.hiddenTotal;
        int layers = fw.layers;
        // locate the layer and entry of e_p
        int lp = layers - 1;
        while (weightOffset[lp] > p) {
            lp--;
        }
        int rowsP = sizes[lp + 1];
        int colsP = sizes[lp];
        int local = p - weightOffset[lp];
        boolean isWeight = local < rowsP * colsP;
        int vo = isWeight ? local / colsP : local - rowsP * colsP; // output unit of the entry
        int vj = isWeight ? local % colsP : -1; // input unit (-1 for a bias)

        // forward tangent; R{h_l} = 0 for l ≤ lp
        for (int l = lp + 1; l < sizes.length - 1; l++) {
            int cols = sizes[l - 1];
            int rowsOut = sizes[l];
            int w = weightOffset[l - 1];
            int zOff = i * hiddenTotal + arch.hiddenOffset[l];
            int ho = arch.hiddenOffset[l];
            for (int o = 0; o < rowsOut; o++) {
                double s = 0;
                if (l - 1 == lp) {
                    if (o == vo) {
                        s = isWeight ? fw.input(lp)[fw.inputOffset(lp, i) + vj] : 1.0;
                    }
                } else {
                    int hPrev = arch.hiddenOffset[l - 1];
                    for (int j = 0; j < cols; j++) {
                        s += theta[w + o * cols + j] * rh[hPrev + j];
                    }
                }
                rz[ho + o] = s;
                rh[ho + o] = fw.d1[zOff + o] * s;
            }
        }
        // backward: R{δ_{L+1}} = 0 since r is held fixed
        int k = arch.outputs();
        Arrays.fill(rdelta, hiddenTotal, hiddenTotal + k, 0.0);
        for (int l = layers - 1; l >= 0; l--) {
            int rowsOut = sizes[l + 1];
            int cols = sizes[l];
            int w = weightOffset[l];
            int dOut = deltaOffset(l + 1);
            addLayer(i, l, lp, 1.0, m, 1, col * d); // R{h_l} non-zero only above the perturbed layer
            if (l == 0) {
                break;
            }
            // R{g_l} = V_lᵀ δ_{l+1} + W_lᵀ R{δ_{l+1}}
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int o = 0; o < rowsOut; o++) {
                    s += theta[w + o * cols + j] * rdelta[dOut + o];
                }
                rg[j] = s;
            }
            if (l == lp && isWeight) {
                rg[vj] += delta[dOut + vo];
            }
            rdeltaBelow(i, l, lp);
        }
    }
}
