package io.github.natgrad.models;

import io.github.natgrad.Batch;
import io.github.natgrad.LayeredLinearization;
import io.github.natgrad.Checks;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.linalg.Gemm;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Set;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A multilayer perceptron f(θ, x) ∈ ℝᴷ: h₀ = x, z_{l+1} = W_l h_l + b_l, h_{l+1} = σ(z_{l+1}) for the
 * hidden layers, and f = z_{L+1} (linear output layer) feeding any likelihood with K outputs (Gaussian
 * for regression, Bernoulli for two classes, categorical for K classes). σ is one activation for every hidden
 * layer ({@link #withActivation}) or one per layer ({@link #withActivations}).
 *
 * <p>θ holds the layers in order, each as W_l (row-major, n_{l+1} × n_l) followed by b_l (n_{l+1}).
 * The forward pass and the gradient are minibatch BLAS-3 products (one {@code dgemm} per layer and
 * direction); linearizations are {@link LayeredLinearization}s for the layer-wise curvature structures
 * (K-FAC). Per-example Jacobian rows come from backpropagation (reverse mode). The second-order term
 * Σ_i Σ_k r_ik ∇²_θ f_ik of the Hessian is assembled exactly, column by column, from Hessian-vector
 * products of the scalar r_iᵀ f(θ, x_i) computed forward-over-reverse with Pearlmutter's R-operator
 * (Pearlmutter 1994, "Fast exact multiplication by the Hessian", Neural Computation 6(1)): D products of
 * O(D) work per example, O(N·D²) in all, meant for small D (inspection, tests, small experiments).
 * For the matrix-free solvers the network gives J v (forward mode) and the second-order term's product
 * with a vector (one forward-over-reverse pass, O(N·D)) without forming anything D × D.
 *
 * <p>Immutable; configured with {@code with...} copies:
 * <pre>{@code
 * MultilayerPerceptron mlp = MultilayerPerceptron.of(4, Likelihoods.bernoulli())
 *         .withHidden(8, 8).withActivation(Activation.TANH);
 * double[] theta = mlp.initialParameters(42);
 * }</pre>
 */
public final class MultilayerPerceptron implements Model {
    private final Likelihood likelihood;
    private final int[] sizes;
    /** The activation {@link #withHidden} gives every hidden layer. */
    private final Activation activation;
    /** The activation of hidden layer l at index l - 1. */
    private final Activation[] activations;
    private final int[] weightOffset;
    private final int parameters;

    private MultilayerPerceptron(int inputs, int[] hidden, Activation activation, Activation[] activations,
            Likelihood likelihood) {
        Checks.atLeastOne(inputs, "input columns");
        this.likelihood = Checks.notNull(likelihood, "likelihood");
        this.activation = Checks.notNull(activation, "activation");
        if (activations.length != hidden.length) {
            throw new IllegalArgumentException("one activation per hidden layer: " + hidden.length
                    + " hidden layers but " + activations.length + " activations");
        }
        for (int l = 0; l < activations.length; l++) {
            Checks.notNull(activations[l], "activation of hidden layer " + (l + 1));
        }
        this.activations = activations;
        sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        for (int l = 0; l < hidden.length; l++) {
            sizes[l + 1] = Checks.atLeastOne(hidden[l], "units of hidden layer " + (l + 1));
        }
        sizes[hidden.length + 1] = likelihood.outputsPerExample();
        weightOffset = new int[hidden.length + 1];
        long count = 0;
        for (int l = 0; l <= hidden.length; l++) {
            weightOffset[l] = (int) count;
            count += (long) sizes[l + 1] * (sizes[l] + 1);
        }
        if (count > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("the network has " + count + " parameters, too many for one array");
        }
        parameters = (int) count;
    }

    /**
     * A network without hidden layers (a linear model with K outputs); add them with {@link #withHidden}
     * (tanh unless {@link #withActivation} says otherwise).
     */
    public static MultilayerPerceptron of(int inputs, Likelihood likelihood) {
        return new MultilayerPerceptron(inputs, new int[0], Activation.TANH, new Activation[0], likelihood);
    }

    private static Activation[] uniform(Activation sigma, int layers) {
        Activation[] all = new Activation[layers];
        Arrays.fill(all, sigma);
        return all;
    }

    /**
     * A copy with the given hidden-layer widths, input side first (none: a linear model), all with the
     * activation last set by {@link #withActivation} (tanh by default).
     */
    public MultilayerPerceptron withHidden(int... units) {
        return new MultilayerPerceptron(sizes[0], units.clone(), activation, uniform(activation, units.length),
                likelihood);
    }

    /** A copy whose hidden layers all use {@code sigma}. */
    public MultilayerPerceptron withActivation(Activation sigma) {
        Checks.notNull(sigma, "activation");
        return new MultilayerPerceptron(sizes[0], hidden(), sigma, uniform(sigma, activations.length), likelihood);
    }

    /**
     * A copy with one activation per hidden layer, input side first (e.g. a Deeplearning4j network whose
     * layers differ).
     *
     * @throws IllegalArgumentException unless there is exactly one activation per hidden layer
     */
    public MultilayerPerceptron withActivations(Activation... perLayer) {
        Checks.notNull(perLayer, "activations");
        return new MultilayerPerceptron(sizes[0], hidden(), activation, perLayer.clone(), likelihood);
    }

    /** A copy with another likelihood (its K sets the width of the output layer). */
    public MultilayerPerceptron withLikelihood(Likelihood other) {
        return new MultilayerPerceptron(sizes[0], hidden(), activation, activations, other);
    }

    /** The hidden-layer widths, input side first. */
    public int[] hidden() {
        return Arrays.copyOfRange(sizes, 1, sizes.length - 1);
    }

    /**
     * The activation of the hidden layers: the one {@link #withActivation} set (tanh by default); when
     * {@link #withActivations} gave the layers different ones, see {@link #activations()}.
     */
    public Activation activation() {
        return activation;
    }

    /** The activation of each hidden layer, input side first. */
    public Activation[] activations() {
        return activations.clone();
    }

    /** σ of hidden layer l (1 = the first hidden layer). */
    private Activation sigma(int l) {
        return activations[l - 1];
    }

    /** The offset in θ of layer l's weight matrix W_l (l = 0 reads the inputs); b_l follows it. */
    public int weightOffset(int layer) {
        return weightOffset[layer];
    }

    /**
     * A per-parameter precision scale for {@link io.github.natgrad.L2Prior#withScale}: {@code weights} on every
     * entry of every W_l, {@code biases} on every b_l. {@code priorScale(1, 0)} regularises the weights only
     * (Deeplearning4j's {@code .l2(c)}); {@code priorScale(1, b/a)} with variance 1/a gives precisions a and b
     * ({@code .l2(a).l2Bias(b)}).
     *
     * @throws IllegalArgumentException if a value is negative or not finite
     */
    public double[] priorScale(double weights, double biases) {
        Checks.nonNegative(weights, "weights' prior scale");
        Checks.nonNegative(biases, "biases' prior scale");
        double[] s = new double[parameters];
        for (int l = 0; l < weightOffset.length; l++) {
            int w = weightOffset[l];
            int nw = sizes[l + 1] * sizes[l];
            Arrays.fill(s, w, w + nw, weights);
            Arrays.fill(s, w + nw, w + nw + sizes[l + 1], biases);
        }
        return s;
    }

    /**
     * Seeded LeCun initialisation: every weight of W_l drawn from N(0, 1/n_l) (n_l the layer's inputs),
     * biases zero. The same seed gives the same θ.
     */
    public double[] initialParameters(long seed) {
        RandomGenerator random = new Well19937c(seed);
        double[] theta = new double[parameters];
        for (int l = 0; l < weightOffset.length; l++) {
            double std = 1.0 / Math.sqrt(sizes[l]);
            int w = weightOffset[l];
            for (int e = 0; e < sizes[l + 1] * sizes[l]; e++) {
                theta[w + e] = std * random.nextGaussian();
            }
        }
        return theta;
    }

    @Override
    public int parameterCount() {
        return parameters;
    }

    @Override
    public int inputColumns() {
        return sizes[0];
    }

    @Override
    public Likelihood likelihood() {
        return likelihood;
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return Set.of(ModelCapability.JACOBIAN, ModelCapability.SECOND_ORDER_TERM,
                ModelCapability.JACOBIAN_VECTOR_PRODUCT, ModelCapability.SECOND_ORDER_PRODUCT,
                ModelCapability.DENSE_LAYERS);
    }

    @Override
    public String describe() {
        return "multilayer perceptron " + sizes[0] + "-" + Arrays.toString(hidden()).replaceAll("[\\[\\] ]", "")
                .replace(',', '-') + (sizes.length > 2 ? "-" : "") + sizes[sizes.length - 1] + ", "
                + activationNames() + ", " + likelihood.name() + " likelihood, "
                + parameters + " parameters";
    }

    /** "relu" when the hidden layers agree (tanh without hidden layers), else "relu-tanh-…" per layer. */
    private String activationNames() {
        if (activations.length == 0 || Arrays.stream(activations).allMatch(a -> a == activations[0])) {
            Activation shown = activations.length == 0 ? activation : activations[0];
            return shown.name().toLowerCase(java.util.Locale.ROOT);
        }
        StringBuilder names = new StringBuilder();
        for (Activation a : activations) {
            names.append(names.length() > 0 ? "-" : "").append(a.name().toLowerCase(java.util.Locale.ROOT));
        }
        return names.toString();
    }

    @Override
    public Linearization linearize(double[] theta, Batch batch) {
        Checks.fits(this, theta, batch);
        return new At(theta.clone(), batch);
    }

    /**
     * The network at θ on one batch: the forward pass, kept for the backward passes. The minibatch passes
     * (forward, {@link #vectorJacobianProduct}, {@link #preActivationGradients}) are BLAS-3 products over
     * the whole batch, one {@code dgemm} per layer and direction; the per-example paths (Jacobian rows,
     * the second-order term) read a packed copy of the activations made on first use.
     */
    private final class At implements LayeredLinearization {
        private final double[] theta;
        private final Batch batch;
        private final int n;
        private final int layers;
        /** Offset of hidden layer l (1..L) within an example's block of pre-activations. */
        private final int[] hiddenOffset;
        private final int hiddenTotal;
        private final int widest;
        /** Per layer: the weights W_l (out × in), the pre-activations z_l and activations h_l (h_0 = x). */
        private final double[][] weights;
        private final double[][] zl;
        private final double[][] hl;
        private final double[][] slope;
        /** Pre-activations and activations of the hidden layers packed N × hiddenTotal, made on first use. */
        private double[] z;
        private double[] h;
        private final double[] f;

        At(double[] theta, Batch batch) {
            this.theta = theta;
            this.batch = batch;
            this.n = batch.rows();
            this.layers = weightOffset.length;
            hiddenOffset = new int[sizes.length];
            int total = 0;
            int wide = 0;
            for (int l = 1; l < sizes.length - 1; l++) {
                hiddenOffset[l] = total;
                total += sizes[l];
            }
            for (int s : sizes) {
                wide = Math.max(wide, s);
            }
            hiddenTotal = total;
            widest = wide;
            int k = sizes[sizes.length - 1];
            f = new double[n * k];
            weights = new double[layers][];
            zl = new double[layers + 1][];
            hl = new double[layers + 1][];
            slope = new double[layers + 1][];
            hl[0] = batch.x();
            for (int l = 0; l < layers; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                int w = weightOffset[l];
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
                        act[e] = sigma(l + 1).value(target[e]);
                    }
                    zl[l + 1] = target;
                    hl[l + 1] = act;
                }
            }
        }

        /** The packed N × hiddenTotal copies of z and h the per-example paths read. */
        private void packed() {
            if (z != null) {
                return;
            }
            double[] pz = new double[n * hiddenTotal];
            double[] ph = new double[n * hiddenTotal];
            for (int l = 1; l < sizes.length - 1; l++) {
                int width = sizes[l];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(zl[l], i * width, pz, i * hiddenTotal + hiddenOffset[l], width);
                    System.arraycopy(hl[l], i * width, ph, i * hiddenTotal + hiddenOffset[l], width);
                }
            }
            z = pz;
            h = ph;
        }

        /** σ'(z_l), N × width of hidden layer l, computed on first use. */
        private double[] slope(int l) {
            if (slope[l] == null) {
                double[] zz = zl[l];
                double[] s = new double[zz.length];
                for (int e = 0; e < s.length; e++) {
                    s[e] = sigma(l).first(zz[e]);
                }
                slope[l] = s;
            }
            return slope[l];
        }

        @Override
        public int layerCount() {
            return layers;
        }

        @Override
        public int layerInputs(int layer) {
            return sizes[layer];
        }

        @Override
        public int layerOutputs(int layer) {
            return sizes[layer + 1];
        }

        @Override
        public int layerOffset(int layer) {
            return weightOffset[layer];
        }

        @Override
        public double[] layerInput(int layer) {
            return hl[layer];
        }

        @Override
        public void preActivationGradients(double[] u, int m, double[][] deltas) {
            int k = sizes[sizes.length - 1];
            int rows = n * m;
            if (u.length < rows * k) {
                throw new IllegalArgumentException("u holds " + u.length + " values, expected N*m*K = " + n + "*"
                        + m + "*" + k);
            }
            if (deltas.length != layers) {
                throw new IllegalArgumentException("deltas must have one entry per layer (" + layers + "), got "
                        + deltas.length);
            }
            for (int l = 0; l < layers; l++) {
                if (deltas[l] == null || deltas[l].length < rows * sizes[l + 1]) {
                    deltas[l] = new double[rows * sizes[l + 1]];
                }
            }
            System.arraycopy(u, 0, deltas[layers - 1], 0, rows * k);
            for (int l = layers - 1; l >= 1; l--) {
                int in = sizes[l];
                double[] below = deltas[l - 1];
                Gemm.multiply(false, false, rows, in, sizes[l + 1], 1.0, deltas[l], weights[l], 0.0, below);
                double[] s = slope(l);
                for (int r = 0; r < rows; r++) {
                    int ro = r * in;
                    int so = (r / m) * in;
                    for (int j = 0; j < in; j++) {
                        below[ro + j] *= s[so + j];
                    }
                }
            }
        }

        /** The input array of layer l for example i (x for l = 0), with its offset. */
        private double[] input(int l) {
            return l == 0 ? batch.x() : h;
        }

        private int inputOffset(int l, int i) {
            return l == 0 ? i * sizes[0] : i * hiddenTotal + hiddenOffset[l];
        }

        /**
         * Reverse mode for example i: adds J_iᵀ u to {@code grad} (length D), for u = u[uOff..uOff+K).
         * {@code delta} and {@code next} are scratch arrays of at least the widest layer.
         */
        private void backprop(int i, double[] u, int uOff, double[] grad, double[] delta, double[] next) {
            int k = sizes[sizes.length - 1];
            System.arraycopy(u, uOff, delta, 0, k);
            for (int l = layers - 1; l >= 0; l--) {
                int rowsOut = sizes[l + 1];
                int cols = sizes[l];
                int w = weightOffset[l];
                int b = w + rowsOut * cols;
                double[] in = input(l);
                int inOff = inputOffset(l, i);
                for (int o = 0; o < rowsOut; o++) {
                    double d = delta[o];
                    if (d == 0) {
                        continue;
                    }
                    int row = w + o * cols;
                    for (int j = 0; j < cols; j++) {
                        grad[row + j] += d * in[inOff + j];
                    }
                    grad[b + o] += d;
                }
                if (l > 0) {
                    int zOff = i * hiddenTotal + hiddenOffset[l];
                    for (int j = 0; j < cols; j++) {
                        next[j] = 0;
                    }
                    for (int o = 0; o < rowsOut; o++) {
                        double d = delta[o];
                        int row = w + o * cols;
                        for (int j = 0; j < cols; j++) {
                            next[j] += theta[row + j] * d;
                        }
                    }
                    for (int j = 0; j < cols; j++) {
                        delta[j] = next[j] * sigma(l).first(z[zOff + j]);
                    }
                }
            }
        }

        @Override
        public int rows() {
            return n;
        }

        @Override
        public int outputsPerExample() {
            return sizes[sizes.length - 1];
        }

        @Override
        public int parameterCount() {
            return parameters;
        }

        @Override
        public double[] outputs() {
            return f;
        }

        @Override
        public void vectorJacobianProduct(double[] u, double[] out) {
            double[][] deltas = new double[layers][];
            preActivationGradients(u, 1, deltas);
            for (int l = 0; l < layers; l++) {
                int in = sizes[l];
                int outs = sizes[l + 1];
                int w = weightOffset[l];
                double[] dw = new double[outs * in];
                Gemm.multiply(true, false, outs, in, n, 1.0, deltas[l], hl[l], 0.0, dw);
                System.arraycopy(dw, 0, out, w, dw.length);
                int b = w + outs * in;
                Arrays.fill(out, b, b + outs, 0.0);
                double[] d = deltas[l];
                for (int i = 0; i < n; i++) {
                    int o = i * outs;
                    for (int c = 0; c < outs; c++) {
                        out[b + c] += d[o + c];
                    }
                }
            }
        }

        @Override
        public void jacobianRows(int from, int to, double[] b, int m, DoubleBuffer out) {
            packed();
            int k = outputsPerExample();
            double[] delta = new double[widest];
            double[] next = new double[widest];
            double[] u = new double[k];
            double[] row = new double[parameters];
            int r = 0;
            for (int i = from; i < to; i++) {
                int bi = (i - from) * k * m;
                for (int a = 0; a < m; a++) {
                    for (int c = 0; c < k; c++) {
                        u[c] = b[bi + c * m + a];
                    }
                    Arrays.fill(row, 0.0);
                    backprop(i, u, 0, row, delta, next);
                    int o = r * parameters;
                    for (int j = 0; j < parameters; j++) {
                        out.put(o + j, row[j]);
                    }
                    r++;
                }
            }
        }

        /**
         * Adds scale · Σ_i ∇²_θ (r_iᵀ f(θ, x_i)) to c, one column per basis direction e_j, each column a
         * forward-over-reverse Hessian-vector product; the result is symmetrised (its two triangles agree
         * to rounding before that).
         */
        @Override
        public void addSecondOrderTerm(double[] r, double scale, double[] c) {
            int d = parameters;
            if (c.length != d * d) {
                throw new IllegalArgumentException("the second-order term of " + describe() + " needs a " + d
                        + " x " + d + " matrix, got " + c.length + " entries");
            }
            packed();
            int k = outputsPerExample();
            double[] m = new double[d * d];
            SecondOrder work = new SecondOrder();
            for (int i = 0; i < n; i++) {
                boolean zero = true;
                for (int o = 0; o < k; o++) {
                    zero &= r[i * k + o] == 0;
                }
                if (zero || layers == 1) {
                    continue; // no hidden layer: f is linear in θ
                }
                work.backward(i, r, i * k);
                for (int j = 0; j < d; j++) {
                    work.column(i, j, m, j, d);
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

        @Override
        public void jacobianVectorProduct(double[] v, double[] out) {
            packed();
            Directional t = new Directional();
            int k = outputsPerExample();
            for (int i = 0; i < n; i++) {
                t.forward(i, v, out, i * k);
            }
        }

        @Override
        public boolean linearInParameters() {
            return layers == 1;
        }

        @Override
        public void secondOrderTermProduct(double[] r, double scale, double[] v, double[] out) {
            if (layers == 1) {
                return; // no hidden layer: f is linear in θ
            }
            packed();
            int k = outputsPerExample();
            SecondOrder work = new SecondOrder();
            Directional t = new Directional();
            for (int i = 0; i < n; i++) {
                boolean zero = true;
                for (int o = 0; o < k; o++) {
                    zero &= r[i * k + o] == 0;
                }
                if (zero) {
                    continue;
                }
                work.backward(i, r, i * k);
                t.forward(i, v, null, 0);
                t.reverse(i, work, v, scale, out);
            }
        }

        /**
         * Pearlmutter's R-operator along a direction V (all layers at once): the forward tangent
         * R{z_{l+1}} = V_l h_l + c_l + W_l R{h_l}, R{h} = σ'(z) R{z}, whose output is J_i v, and the reverse
         * pass R{∂W_l} = R{δ_{l+1}} h_lᵀ + δ_{l+1} R{h_l}ᵀ, R{∂b_l} = R{δ_{l+1}},
         * R{δ_l} = σ''(z_l) R{z_l} g_l + σ'(z_l)(V_lᵀ δ_{l+1} + W_lᵀ R{δ_{l+1}}), with R{δ_out} = 0 (r fixed).
         */
        private final class Directional {
            private final double[] rz = new double[hiddenTotal];
            private final double[] rh = new double[hiddenTotal];
            private final double[] rdelta = new double[hiddenTotal + outputsPerExample()];
            private final double[] rg = new double[widest];

            /** The forward tangent of example i along v; writes J_i v to fOut[fOff..] when fOut is non-null. */
            void forward(int i, double[] v, double[] fOut, int fOff) {
                for (int l = 0; l < layers; l++) {
                    int rowsOut = sizes[l + 1];
                    int cols = sizes[l];
                    int w = weightOffset[l];
                    int b = w + rowsOut * cols;
                    double[] in = input(l);
                    int inOff = inputOffset(l, i);
                    int hIn = l > 0 ? hiddenOffset[l] : 0;
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
                            int ho = hiddenOffset[l + 1];
                            rz[ho + o] = s;
                            rh[ho + o] = sigma(l + 1).first(z[i * hiddenTotal + ho + o]) * s;
                        }
                    }
                }
            }

            /** Adds scale · ∇²_θ(r_iᵀ f(θ, x_i)) v to out, after {@link #forward} and {@code so.backward}. */
            void reverse(int i, SecondOrder so, double[] v, double scale, double[] out) {
                int k = outputsPerExample();
                Arrays.fill(rdelta, hiddenTotal, hiddenTotal + k, 0.0);
                for (int l = layers - 1; l >= 0; l--) {
                    int rowsOut = sizes[l + 1];
                    int cols = sizes[l];
                    int w = weightOffset[l];
                    int b = w + rowsOut * cols;
                    int dOut = so.deltaOffset(l + 1);
                    double[] in = input(l);
                    int inOff = inputOffset(l, i);
                    int hIn = l > 0 ? hiddenOffset[l] : 0;
                    for (int o = 0; o < rowsOut; o++) {
                        double rd = rdelta[dOut + o];
                        double dd = so.delta[dOut + o];
                        int row = w + o * cols;
                        for (int j = 0; j < cols; j++) {
                            double val = rd * in[inOff + j];
                            if (l > 0) {
                                val += dd * rh[hIn + j];
                            }
                            out[row + j] += scale * val;
                        }
                        out[b + o] += scale * rd;
                    }
                    if (l == 0) {
                        break;
                    }
                    for (int j = 0; j < cols; j++) {
                        double s = 0;
                        for (int o = 0; o < rowsOut; o++) {
                            s += v[w + o * cols + j] * so.delta[dOut + o] + theta[w + o * cols + j] * rdelta[dOut + o];
                        }
                        rg[j] = s;
                    }
                    int zOff = i * hiddenTotal + hiddenOffset[l];
                    int dIn = so.deltaOffset(l);
                    for (int j = 0; j < cols; j++) {
                        double zz = z[zOff + j];
                        rdelta[dIn + j] = sigma(l).second(zz) * rz[hiddenOffset[l] + j] * so.g[hiddenOffset[l] + j]
                                + sigma(l).first(zz) * rg[j];
                    }
                }
            }
        }

        /** Scratch space for the R-operator passes of one example. */
        private final class SecondOrder {
            /** δ_l = ∂(rᵀf)/∂z_l for hidden layer l, and g_l = W_lᵀ δ_{l+1} before the σ' factor. */
            private final double[] delta = new double[hiddenTotal + outputsPerExample()];
            private final double[] g = new double[hiddenTotal];
            private final double[] rz = new double[hiddenTotal];
            private final double[] rh = new double[hiddenTotal];
            private final double[] rdelta = new double[hiddenTotal + outputsPerExample()];
            private final double[] rg = new double[widest];
            private final double[] tmp = new double[widest];

            /** Offset of layer l's δ (l = 1..L hidden, L+1 output) within {@code delta}. */
            private int deltaOffset(int l) {
                return l == sizes.length - 1 ? hiddenTotal : hiddenOffset[l];
            }

            /** The plain backward pass of rᵀf for example i: fills δ and g. */
            void backward(int i, double[] r, int rOff) {
                int k = outputsPerExample();
                System.arraycopy(r, rOff, delta, hiddenTotal, k);
                for (int l = layers - 1; l >= 1; l--) {
                    int rowsOut = sizes[l + 1];
                    int cols = sizes[l];
                    int w = weightOffset[l];
                    int dOut = deltaOffset(l + 1);
                    int dIn = deltaOffset(l);
                    int zOff = i * hiddenTotal + hiddenOffset[l];
                    for (int j = 0; j < cols; j++) {
                        double s = 0;
                        for (int o = 0; o < rowsOut; o++) {
                            s += theta[w + o * cols + j] * delta[dOut + o];
                        }
                        g[hiddenOffset[l] + j] = s;
                        delta[dIn + j] = s * sigma(l).first(z[zOff + j]);
                    }
                }
            }

            /**
             * The Hessian-vector product of rᵀf(θ, x_i) with the basis vector e_p, added to column
             * {@code col} of the row-major matrix m (d columns). Forward: R{z_{l+1}} = V_l h_l + W_l R{h_l}
             * + c_l, R{h} = σ'(z) R{z}. Backward: R{∂W_l} = R{δ_{l+1}} h_lᵀ + δ_{l+1} R{h_l}ᵀ,
             * R{∂b_l} = R{δ_{l+1}}, R{δ_l} = σ''(z_l) R{z_l} g_l + σ'(z_l)(V_lᵀ δ_{l+1} + W_lᵀ R{δ_{l+1}}).
             */
            void column(int i, int p, double[] m, int col, int d) {
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
                    int zOff = i * hiddenTotal + hiddenOffset[l];
                    int ho = hiddenOffset[l];
                    for (int o = 0; o < rowsOut; o++) {
                        double s = 0;
                        if (l - 1 == lp) {
                            if (o == vo) {
                                s = isWeight ? input(lp)[inputOffset(lp, i) + vj] : 1.0;
                            }
                        } else {
                            int hPrev = hiddenOffset[l - 1];
                            for (int j = 0; j < cols; j++) {
                                s += theta[w + o * cols + j] * rh[hPrev + j];
                            }
                        }
                        rz[ho + o] = s;
                        rh[ho + o] = sigma(l).first(z[zOff + o]) * s;
                    }
                }
                // backward: R{δ_{L+1}} = 0 since r is held fixed
                int k = outputsPerExample();
                Arrays.fill(rdelta, hiddenTotal, hiddenTotal + k, 0.0);
                for (int l = layers - 1; l >= 0; l--) {
                    int rowsOut = sizes[l + 1];
                    int cols = sizes[l];
                    int w = weightOffset[l];
                    int b = w + rowsOut * cols;
                    int dOut = deltaOffset(l + 1);
                    double[] in = input(l);
                    int inOff = inputOffset(l, i);
                    boolean tangentIn = l > lp; // R{h_l} non-zero only above the perturbed layer
                    int hIn = l > 0 ? hiddenOffset[l] : 0;
                    for (int o = 0; o < rowsOut; o++) {
                        double rd = rdelta[dOut + o];
                        double dd = delta[dOut + o];
                        int row = w + o * cols;
                        for (int j = 0; j < cols; j++) {
                            double v = rd * in[inOff + j];
                            if (tangentIn) {
                                v += dd * rh[hIn + j];
                            }
                            m[(row + j) * d + col] += v;
                        }
                        m[(b + o) * d + col] += rd;
                    }
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
                    int zOff = i * hiddenTotal + hiddenOffset[l];
                    int dIn = deltaOffset(l);
                    for (int j = 0; j < cols; j++) {
                        double zz = z[zOff + j];
                        double rzj = l > lp ? rz[hiddenOffset[l] + j] : 0.0;
                        rdelta[dIn + j] = sigma(l).second(zz) * rzj * g[hiddenOffset[l] + j]
                                + sigma(l).first(zz) * rg[j];
                    }
                }
            }
        }
    }
}
