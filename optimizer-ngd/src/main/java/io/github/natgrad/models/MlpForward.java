package io.github.natgrad.models;

import io.github.natgrad.Batch;
import io.github.natgrad.linalg.Gemm;
import java.util.Arrays;

/**
 * The forward pass of a {@link MultilayerPerceptron} at θ on one batch, kept for the passes that follow:
 * per layer the weights W_l (a copy), the pre-activations z_l and the activations h_l (h_0 = x), N rows each, one
 * {@code dgemm} per layer; the outputs f = z_{L+1}. The per-example passes (Jacobian rows, forward mode, the
 * second-order term) read a packed N × {@link MlpArchitecture#hiddenTotal} copy of z and h made on first use
 * ({@link #packed()}), with σ'(z) beside it and σ''(z) on first use ({@link #packedCurvature()}): each evaluated
 * once per pass instead of once per example and parameter (the same values, so the same bits);
 * σ'(z_l) per layer is computed on first use ({@link #slope}).
 */
final class MlpForward {
    final MlpArchitecture arch;
    /** θ (the linearization's own copy). */
    final double[] theta;
    final Batch batch;
    /** N. */
    final int n;
    /** The number of weight layers. */
    final int layers;
    /** Per layer: the weights W_l (out × in), the pre-activations z_l and activations h_l (h_0 = x). */
    final double[][] weights;
    final double[][] zl;
    final double[][] hl;
    private final double[][] slope;
    /** Pre-activations and activations of the hidden layers packed N × hiddenTotal, after {@link #packed()}. */
    double[] z;
    double[] h;
    /** σ'(z) packed as {@link #z}, after {@link #packed()}. */
    double[] d1;
    /** σ''(z) packed as {@link #z}, after {@link #packedCurvature()}. */
    private double[] d2;
    /** The outputs f, N × K. */
    final double[] f;

    MlpForward(MlpArchitecture arch, double[] theta, Batch batch) {
        this.arch = arch;
        this.theta = theta;
        this.batch = batch;
        this.n = batch.rows();
        this.layers = arch.layers();
        int[] sizes = arch.sizes;
        int k = arch.outputs();
        f = new double[n * k];
        weights = new double[layers][];
        zl = new double[layers + 1][];
        hl = new double[layers + 1][];
        slope = new double[layers + 1][];
        hl[0] = batch.x();
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int w = arch.weightOffset[l];
            weights[l] = Arrays.copyOfRange(theta, w, w + out * in);
            boolean last = l == layers - 1;
            double[] target = last ? f : new double[n * out];
            for (int i = 0; i < n; i++) {
                System.arraycopy(theta, w + out * in, target, i * out, out);
            }
            Gemm.multiply(false, true, n, out, in, 1.0, hl[l], weights[l], 1.0, target);
            if (!last) {
                double[] act = new double[n * out];
                for (int e = 0; e < act.length; e++) {
                    act[e] = arch.sigma(l + 1).value(target[e]);
                }
                zl[l + 1] = target;
                hl[l + 1] = act;
            }
        }
    }

    /** Makes the packed N × hiddenTotal copies of z and h the per-example paths read (once). */
    void packed() {
        if (z != null) {
            return;
        }
        int[] sizes = arch.sizes;
        int hiddenTotal = arch.hiddenTotal;
        double[] pz = new double[n * hiddenTotal];
        double[] ph = new double[n * hiddenTotal];
        for (int l = 1; l < sizes.length - 1; l++) {
            int width = sizes[l];
            for (int i = 0; i < n; i++) {
                System.arraycopy(zl[l], i * width, pz, i * hiddenTotal + arch.hiddenOffset[l], width);
                System.arraycopy(hl[l], i * width, ph, i * hiddenTotal + arch.hiddenOffset[l], width);
            }
        }
        double[] pd = new double[n * hiddenTotal];
        for (int l = 1; l < sizes.length - 1; l++) {
            Activation sigma = arch.sigma(l);
            int width = sizes[l];
            int off = arch.hiddenOffset[l];
            for (int i = 0; i < n; i++) {
                int e = i * hiddenTotal + off;
                for (int j = 0; j < width; j++) {
                    pd[e + j] = sigma.first(pz[e + j]);
                }
            }
        }
        z = pz;
        h = ph;
        d1 = pd;
    }

    /** σ''(z), packed as {@link #z} (N × hiddenTotal), computed on first use; calls {@link #packed()}. */
    double[] packedCurvature() {
        packed();
        if (d2 == null) {
            int hiddenTotal = arch.hiddenTotal;
            double[] pd = new double[n * hiddenTotal];
            for (int l = 1; l < arch.sizes.length - 1; l++) {
                Activation sigma = arch.sigma(l);
                int width = arch.sizes[l];
                int off = arch.hiddenOffset[l];
                for (int i = 0; i < n; i++) {
                    int e = i * hiddenTotal + off;
                    for (int j = 0; j < width; j++) {
                        pd[e + j] = sigma.second(z[e + j]);
                    }
                }
            }
            d2 = pd;
        }
        return d2;
    }

    /** σ'(z_l), N × width of hidden layer l, computed on first use. */
    double[] slope(int l) {
        if (slope[l] == null) {
            double[] zz = zl[l];
            double[] s = new double[zz.length];
            for (int e = 0; e < s.length; e++) {
                s[e] = arch.sigma(l).first(zz[e]);
            }
            slope[l] = s;
        }
        return slope[l];
    }

    /** The input array of layer l for the per-example paths (x for l = 0, else the packed h); see {@link #inputOffset}. */
    double[] input(int l) {
        return l == 0 ? batch.x() : h;
    }

    /** The offset of example i's inputs of layer l in {@link #input(int)}. */
    int inputOffset(int l, int i) {
        return l == 0 ? i * arch.sizes[0] : i * arch.hiddenTotal + arch.hiddenOffset[l];
    }
}
