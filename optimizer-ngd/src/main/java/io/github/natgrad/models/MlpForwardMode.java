package io.github.natgrad.models;

/**
 * Forward mode through a {@link MlpForward} pass, per example: the tangent of Pearlmutter's R-operator along a
 * direction V (all layers at once), R{z_{l+1}} = V_l h_l + c_l + W_l R{h_l}, R{h} = σ'(z) R{z}, whose output is
 * J_i v. The tangent R{z}, R{h} of the last example stays in {@link #rz}, {@link #rh} for the second-order pass
 * ({@link MlpSecondOrder}). Scratch space for one example at a time; not thread-safe.
 */
final class MlpForwardMode {
    private final MlpForward fw;
    private final MlpArchitecture arch;
    /** R{z} and R{h} of the hidden layers, packed as one example's hidden block. */
    final double[] rz;
    final double[] rh;

    MlpForwardMode(MlpForward forward) {
        this.fw = forward;
        this.arch = forward.arch;
        this.rz = new double[arch.hiddenTotal];
        this.rh = new double[arch.hiddenTotal];
    }

    /** {@code out} = J v (N × K) for v of length D, example by example. */
    void jacobianVectorProduct(double[] v, double[] out) {
        fw.packed();
        int k = arch.outputs();
        for (int i = 0; i < fw.n; i++) {
            forward(i, v, out, i * k);
        }
    }

    /** The forward tangent of example i along v; writes J_i v to fOut[fOff..] when fOut is non-null. */
    void forward(int i, double[] v, double[] fOut, int fOff) {
        int[] sizes = arch.sizes;
        double[] theta = fw.theta;
        int layers = fw.layers;
        for (int l = 0; l < layers; l++) {
            int rowsOut = sizes[l + 1];
            int cols = sizes[l];
            int w = arch.weightOffset[l];
            int b = w + rowsOut * cols;
            double[] in = fw.input(l);
            int inOff = fw.inputOffset(l, i);
            int hIn = l > 0 ? arch.hiddenOffset[l] : 0;
            boolean last = l == layers - 1;
            for (int o = 0; o < rowsOut; o++) {
                int row = w + o * cols;
                double s = v[b + o];
                for (int j = 0; j < cols; j++) {
                    s += v[row + j] * in[inOff + j];
                }
                if (l > 0) {
                    for (int j = 0; j < cols; j++) {
                        s += theta[row + j] * rh[hIn + j];
                    }
                }
                if (last) {
                    if (fOut != null) {
                        fOut[fOff + o] = s;
                    }
                } else {
                    int ho = arch.hiddenOffset[l + 1];
                    rz[ho + o] = s;
                    rh[ho + o] = fw.d1[i * arch.hiddenTotal + ho + o] * s;
                }
            }
        }
    }
}
