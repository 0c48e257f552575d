package io.github.natgrad.dl4j;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.javacpp.DoublePointer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * A Deeplearning4j {@link MultiLayerNetwork} as a natgrad {@link Model}: the adapter that lets every natgrad
 * optimizer (the dense curvature kinds and the layer-wise structures such as K-FAC) train a network a DL4J
 * user already has, in the network's own parameters.
 *
 * <p><b>The mapping.</b> A network of {@link DenseLayer}s followed by one {@link OutputLayer} computes
 * h_{l+1} = σ_l(W_lᵀ h_l + b_l) and p(y | x) = a(W_Lᵀ h_L + b_L); natgrad's {@link MultilayerPerceptron} with
 * the same widths and per-layer activations computes the same pre-activations f = W_Lᵀ h_L + b_L and puts the
 * output activation a and the loss into its likelihood:
 * <ul>
 *   <li>softmax + MCXENT or NEGATIVELOGLIKELIHOOD (K ≥ 2 outputs): categorical, ℓ = −log softmax(f)_y;</li>
 *   <li>sigmoid + XENT (1 output): Bernoulli, ℓ = −y log σ(f) − (1 − y) log(1 − σ(f)) (DL4J clips σ(f) to
 *       [10⁻⁵, 1 − 10⁻⁵] in its score; natgrad does not);</li>
 *   <li>identity + MSE (1 output): Gaussian of variance ½, ℓ = (f − y)², DL4J's MSE exactly.</li>
 * </ul>
 * Hidden activations: ReLU (without threshold, cap or slope), tanh, sigmoid, identity, softplus.
 * DL4J's parameter layout is natgrad's: per layer the weights W (nIn × nOut in column-major 'f' order, i.e.
 * natgrad's row-major nOut × nIn) then the bias b (nOut), so θ is {@code net.params()} as it is, with no
 * permutation.
 *
 * <p><b>Regularization.</b> DL4J's {@code L2Regularization} with coefficient c adds {@code 0.5 · c · ‖w‖²} to
 * the score of each parameter array it covers ({@code L2Regularization.score}) and {@code c · w} to its gradient,
 * on top of the mean loss over the minibatch; natgrad's {@link L2Prior} adds ½ Σ_j p_j θ_j² with
 * p_j = s_j/(σ²N). So DL4J's coefficient <em>is</em> the precision, with N = 1 (the prior is not divided by the
 * minibatch size, as in DL4J's score):
 * <ul>
 *   <li>{@code .l2(c).l2Bias(c)} (the same c on every parameter): {@code new L2Prior(1/c, 1)}, isotropic, as
 *       before;</li>
 *   <li>{@code .l2(c)} alone (DL4J's usual weights-only L2, biases unregularized), {@code .l2(a).l2Bias(b)} with
 *       a ≠ b, or coefficients that differ between layers: {@code new L2Prior(1, 1).withScale(s)} with s_j the
 *       coefficient of parameter j (c on W, 0 on b for {@code .l2(c)}), i.e. p_j = s_j exactly.</li>
 * </ul>
 * With either, natgrad's objective is DL4J's score and its gradient DL4J's (tested to 1e-10). Weight decay
 * ({@code WeightDecay}, whose score term is the same 0.5 · c · ‖w‖²) maps the same way; DL4J applies it after its
 * updater (decoupled), natgrad folds it into the objective like L2.
 *
 * <p><b>Refused</b>, when the adapter is built, with the layer's index, its type and what is supported:
 * any other layer (convolution, batch normalization, recurrent, …), a layer without bias, layer
 * normalization, dropout, weight noise, constraints, gradient normalization, L1 or scheduled
 * regularization, a loss with
 * weights, any other loss or a mismatched activation/loss pair, input preprocessors, and networks not in
 * double precision (natgrad computes in double: build with {@code .dataType(DataType.DOUBLE)} or convert
 * with {@code net.convertDataType(DataType.DOUBLE)}).
 *
 * <p>The math (forward pass, Jacobian products, layer statistics, second-order term) is natgrad's MLP's: this
 * class only maps the configuration and reads and writes the network's flattened parameter view
 * ({@link #parameters()}, {@link #setParameters}); {@link Dl4jTrainer} runs the training loop.
 */
public final class Dl4jModel implements Model {
    private final MultiLayerNetwork network;
    private final MultilayerPerceptron perceptron;
    private final L2Prior prior;
    private final String summary;

    private Dl4jModel(MultiLayerNetwork network, MultilayerPerceptron perceptron, L2Prior prior, String summary) {
        this.network = network;
        this.perceptron = perceptron;
        this.prior = prior;
        this.summary = summary;
    }

    /**
     * The adapter over an initialised network.
     *
     * @throws IllegalArgumentException naming the layer, its type and what is supported, when the network has
     *                                  anything natgrad cannot train exactly (see the class description), is
     *                                  not initialised ({@code net.init()}) or not in double precision
     */
    public static Dl4jModel of(MultiLayerNetwork network) {
        Checks.notNull(network, "network");
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        if (network.getLayers() == null || network.params() == null) {
            throw new IllegalArgumentException("the network is not initialised: call net.init() before handing it "
                    + "to natgrad");
        }
        DataType type = network.params().dataType();
        if (type != DataType.DOUBLE) {
            throw new IllegalArgumentException("the network's parameters are " + type + ", but natgrad computes in "
                    + "double: build the configuration with .dataType(DataType.DOUBLE) or convert the network with "
                    + "net = net.convertDataType(DataType.DOUBLE)");
        }
        if (!conf.getInputPreProcessors().isEmpty()) {
            int index = conf.getInputPreProcessors().keySet().iterator().next();
            throw new IllegalArgumentException("layer " + index + " has an input preprocessor ("
                    + conf.getInputPreProcessors().get(index).getClass().getSimpleName() + "); natgrad trains "
                    + "networks of DenseLayers on flat N x p inputs: " + SUPPORTED);
        }
        List<NeuralNetConfiguration> confs = conf.getConfs();
        int count = confs.size();
        int inputs = 0;
        int[] hidden = new int[count - 1];
        Activation[] activations = new Activation[count - 1];
        Likelihood likelihood = null;
        double[] weightCoefficients = new double[count];
        double[] biasCoefficients = new double[count];
        StringBuilder shape = new StringBuilder();
        for (int l = 0; l < count; l++) {
            Layer layer = confs.get(l).getLayer();
            boolean last = l == count - 1;
            Class<?> expected = last ? OutputLayer.class : DenseLayer.class;
            if (layer.getClass() != expected) {
                throw refuse(l, layer, "is not supported" + (last ? " as the last layer" : "") + "; " + SUPPORTED);
            }
            BaseLayer base = (BaseLayer) layer;
            long nIn = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer).getNIn();
            long nOut = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer).getNOut();
            if (l == 0) {
                inputs = Math.toIntExact(nIn);
                shape.append(inputs);
            }
            shape.append('-').append(nOut);
            if (layer.getIDropout() != null) {
                throw refuse(l, layer, "uses dropout (" + layer.getIDropout() + "), which natgrad does not apply; "
                        + "remove it (natgrad regularizes through an L2 prior)");
            }
            if (base.getWeightNoise() != null) {
                throw refuse(l, layer, "uses weight noise (" + base.getWeightNoise() + "), which natgrad does not "
                        + "apply; remove it");
            }
            if (layer.getConstraints() != null && !layer.getConstraints().isEmpty()) {
                throw refuse(l, layer, "has parameter constraints " + layer.getConstraints() + ", which natgrad's "
                        + "steps do not enforce; remove them");
            }
            GradientNormalization gn = base.getGradientNormalization();
            if (gn != null && gn != GradientNormalization.None) {
                throw refuse(l, layer, "uses gradient normalization " + gn + ", which natgrad's steps would ignore; "
                        + "remove it (natgrad's damping and step rejection bound the steps)");
            }
            if (!last) {
                DenseLayer dense = (DenseLayer) layer;
                if (!dense.hasBias()) {
                    throw refuse(l, layer, "has no bias; natgrad's dense layers have one: use .hasBias(true)");
                }
                if (dense.hasLayerNorm()) {
                    throw refuse(l, layer, "uses layer normalization, which natgrad does not support; remove it");
                }
                activations[l] = hiddenActivation(l, layer, base.getActivationFn());
                hidden[l] = Math.toIntExact(nOut);
            } else {
                OutputLayer out = (OutputLayer) layer;
                if (!out.hasBias()) {
                    throw refuse(l, layer, "has no bias; natgrad's output layer has one: use .hasBias(true)");
                }
                likelihood = likelihood(l, layer, base.getActivationFn(), out.getLossFn(), Math.toIntExact(nOut));
            }
            weightCoefficients[l] = coefficient(l, layer, base.getRegularization(), "weights");
            biasCoefficients[l] = coefficient(l, layer, base.getRegularizationBias(), "biases");
        }
        MultilayerPerceptron mlp = MultilayerPerceptron.of(inputs, likelihood).withHidden(hidden)
                .withActivations(activations);
        if (mlp.parameterCount() != network.numParams()) {
            throw new IllegalStateException("natgrad's layout of " + mlp.describe() + " has " + mlp.parameterCount()
                    + " parameters but the network has " + network.numParams());
        }
        L2Prior l2 = prior(mlp, weightCoefficients, biasCoefficients);
        String description = "Deeplearning4j MultiLayerNetwork " + shape + " as " + mlp.describe()
                + regularization(weightCoefficients, biasCoefficients);
        return new Dl4jModel(network, mlp, l2, description);
    }

    /**
     * The prior of DL4J's per-layer L2 coefficients: none when all are 0; {@code L2Prior(1/c, 1)} when every
     * parameter has the same c; else precision 1 with each parameter's coefficient as its scale.
     */
    private static L2Prior prior(MultilayerPerceptron mlp, double[] weights, double[] biases) {
        boolean any = false;
        boolean uniform = true;
        for (int l = 0; l < weights.length; l++) {
            any |= weights[l] > 0 || biases[l] > 0;
            uniform &= weights[l] == weights[0] && biases[l] == weights[0];
        }
        if (!any) {
            return null;
        }
        if (uniform) {
            return new L2Prior(1.0 / weights[0], 1);
        }
        double[] scale = new double[mlp.parameterCount()];
        for (int l = 0; l < weights.length; l++) {
            double[] layer = mlp.priorScale(weights[l], biases[l]);
            int from = mlp.weightOffset(l);
            int to = l + 1 < weights.length ? mlp.weightOffset(l + 1) : scale.length;
            System.arraycopy(layer, from, scale, from, to - from);
        }
        return new L2Prior(1.0, 1).withScale(scale);
    }

    /** ", L2 c" for one coefficient everywhere, ", L2 weights a / biases b" per layer otherwise; "" without. */
    private static String regularization(double[] weights, double[] biases) {
        boolean any = false;
        boolean uniform = true;
        StringBuilder perLayer = new StringBuilder();
        for (int l = 0; l < weights.length; l++) {
            any |= weights[l] > 0 || biases[l] > 0;
            uniform &= weights[l] == weights[0] && biases[l] == weights[0];
            perLayer.append(l == 0 ? "" : ", ").append("layer ").append(l).append(" weights ").append(weights[l])
                    .append(" biases ").append(biases[l]);
        }
        return !any ? "" : uniform ? ", L2 " + weights[0] : ", L2 " + perLayer;
    }

    private static final String SUPPORTED = "natgrad supports DenseLayers (relu, tanh, sigmoid, identity or "
            + "softplus) followed by one OutputLayer with softmax + MCXENT/NEGATIVELOGLIKELIHOOD, sigmoid + XENT "
            + "(1 output) or identity + MSE (1 output)";

    private static IllegalArgumentException refuse(int index, Layer layer, String what) {
        String name = layer.getLayerName() != null ? " '" + layer.getLayerName() + "'" : "";
        return new IllegalArgumentException("layer " + index + name + " (" + layer.getClass().getSimpleName() + ") "
                + what);
    }

    private static Activation hiddenActivation(int l, Layer layer, IActivation fn) {
        if (fn instanceof ActivationReLU relu) {
            if (isZero(relu.getMax()) && isZero(relu.getThreshold()) && isZero(relu.getNegativeSlope())) {
                return Activation.RELU;
            }
            throw refuse(l, layer, "uses a ReLU with cap, threshold or negative slope (" + fn + "); natgrad's ReLU is "
                    + "max(z, 0)");
        }
        if (fn instanceof ActivationTanH) {
            return Activation.TANH;
        }
        if (fn instanceof ActivationSigmoid) {
            return Activation.SIGMOID;
        }
        if (fn instanceof ActivationIdentity) {
            return Activation.IDENTITY;
        }
        if (fn instanceof ActivationSoftPlus) {
            return Activation.SOFTPLUS;
        }
        throw refuse(l, layer, "uses activation " + fn + "; natgrad's hidden layers support relu, tanh, sigmoid, "
                + "identity and softplus");
    }

    private static boolean isZero(Double value) {
        return value == null || value == 0.0;
    }

    private static Likelihood likelihood(int l, Layer layer, IActivation activation, ILossFunction loss, int outputs) {
        String pair = activation + " + " + (loss == null ? "no loss" : loss.name());
        if (loss != null && (loss.getClass() == LossMCXENT.class || loss.getClass() == LossNegativeLogLikelihood.class)
                && activation instanceof ActivationSoftmax) {
            if (((LossMCXENT) loss).getWeights() != null) {
                throw refuse(l, layer, "weights its loss per class; natgrad's categorical likelihood is unweighted");
            }
            if (outputs < 2) {
                throw refuse(l, layer, "has softmax over " + outputs + " output; use 2 or more classes, or sigmoid + "
                        + "XENT for a binary label");
            }
            return Likelihoods.categorical(outputs);
        }
        if (loss != null && loss.getClass() == LossBinaryXENT.class && activation instanceof ActivationSigmoid) {
            requireOneUnweightedOutput(l, layer, ((LossBinaryXENT) loss).getWeights(), outputs, "sigmoid + XENT",
                    "Bernoulli", "binary");
            return Likelihoods.bernoulli();
        }
        if (loss != null && loss.getClass() == LossMSE.class && activation instanceof ActivationIdentity) {
            requireOneUnweightedOutput(l, layer, ((LossMSE) loss).getWeights(), outputs, "identity + MSE",
                    "Gaussian", "real");
            return Likelihoods.gaussian(0.5); // ℓ = (f − y)², DL4J's MSE of one output
        }
        throw refuse(l, layer, "has activation and loss " + pair.toLowerCase(Locale.ROOT) + ", which natgrad does "
                + "not map to a likelihood; supported: softmax + MCXENT/NEGATIVELOGLIKELIHOOD, sigmoid + XENT "
                + "(1 output), identity + MSE (1 output)");
    }

    /**
     * The checks of an output layer mapped to a likelihood of one output per example (Bernoulli, Gaussian): its
     * loss is unweighted and it has one output.
     *
     * @param weights    the loss's weights, null when unweighted
     * @param pair       the activation and loss, e.g. "sigmoid + XENT"
     * @param likelihood natgrad's likelihood, e.g. "Bernoulli"
     * @param label      the kind of label, e.g. "binary"
     */
    private static void requireOneUnweightedOutput(int l, Layer layer, INDArray weights, int outputs, String pair,
            String likelihood, String label) {
        if (weights != null) {
            throw refuse(l, layer, "weights its loss; natgrad's " + likelihood + " likelihood is unweighted");
        }
        if (outputs != 1) {
            throw refuse(l, layer, "has " + pair + " over " + outputs + " outputs; natgrad's " + likelihood
                    + " likelihood takes 1 output (one " + label + " label per example)");
        }
    }

    /** The total L2 / weight-decay coefficient of one parameter kind; refuses L1 and schedules. */
    private static double coefficient(int l, Layer layer, List<Regularization> list, String what) {
        double sum = 0;
        if (list == null) {
            return 0;
        }
        for (Regularization r : list) {
            ISchedule schedule;
            if (r instanceof L2Regularization l2) {
                schedule = l2.getL2();
            } else if (r instanceof WeightDecay wd) {
                schedule = wd.getCoeff();
            } else {
                throw refuse(l, layer, "regularizes its " + what + " with " + r.getClass().getSimpleName()
                        + ", which natgrad cannot map to its Gaussian prior; use L2 (or weight decay), or none");
            }
            if (!(schedule instanceof FixedSchedule)) {
                throw refuse(l, layer, "regularizes its " + what + " with a scheduled coefficient (" + schedule
                        + "); natgrad's prior is fixed: use a constant coefficient");
            }
            sum += schedule.valueAt(0, 0);
        }
        return sum;
    }

    /** The network this adapter reads and writes. */
    public MultiLayerNetwork network() {
        return network;
    }

    /** natgrad's own network with this one's architecture, which computes everything for this adapter. */
    public MultilayerPerceptron perceptron() {
        return perceptron;
    }

    /**
     * The prior the network's L2 regularization or weight decay maps to (empty without regularization): each
     * parameter's precision is its DL4J coefficient c, isotropic {@code L2Prior(1/c, 1)} when one c covers every
     * parameter, else {@code L2Prior(1, 1)} with the coefficients as its per-parameter scale (see the class
     * description).
     */
    public Optional<L2Prior> prior() {
        return Optional.ofNullable(prior);
    }

    /** A copy of the network's parameters θ ({@code net.params()}, natgrad's layout as it is). */
    public double[] parameters() {
        double[] theta = new double[perceptron.parameterCount()];
        parameters(theta);
        return theta;
    }

    /**
     * Copies the network's parameters θ into {@code into} (length D), without allocating: a training loop
     * reuses one array across steps.
     *
     * @throws IllegalArgumentException if {@code into} has the wrong length
     */
    public void parameters(double[] into) {
        Checks.notNull(into, "into");
        if (into.length != perceptron.parameterCount()) {
            throw new IllegalArgumentException("the array for the parameters of " + describe() + " must hold "
                    + perceptron.parameterCount() + " values, got " + into.length);
        }
        INDArray view = network.params();
        if (wholeBuffer(view)) {
            ((DoublePointer) view.data().addressPointer()).get(into); // one bulk copy out of the native buffer
        } else {
            double[] copy = view.dup('c').data().asDouble();
            System.arraycopy(copy, 0, into, 0, into.length);
        }
    }

    /**
     * Writes θ into the network's flattened parameter view, so {@code net.output}, {@code net.evaluate} and
     * {@code ModelSerializer} see it.
     *
     * @throws IllegalArgumentException if θ has the wrong length
     */
    public void setParameters(double[] theta) {
        Checks.length(theta, perceptron.parameterCount(), "theta", describe());
        INDArray view = network.params();
        if (wholeBuffer(view)) {
            view.data().setData(theta); // one bulk copy into the native buffer the layers' views share
        } else {
            view.assign(Nd4j.createFromArray(theta).reshape(view.shape()));
        }
    }

    /** Whether the view is its whole contiguous DOUBLE buffer, in order (what MultiLayerNetwork.init makes). */
    private boolean wholeBuffer(INDArray view) {
        return view.dataType() == DataType.DOUBLE && view.offset() == 0 && view.data().length() == view.length()
                && view.length() == perceptron.parameterCount() && view.elementWiseStride() == 1;
    }

    @Override
    public int parameterCount() {
        return perceptron.parameterCount();
    }

    @Override
    public int inputColumns() {
        return perceptron.inputColumns();
    }

    @Override
    public Likelihood likelihood() {
        return perceptron.likelihood();
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return perceptron.capabilities();
    }

    @Override
    public Linearization linearize(double[] theta, Batch batch) {
        return perceptron.linearize(theta, batch);
    }

    @Override
    public String describe() {
        return summary;
    }
}
