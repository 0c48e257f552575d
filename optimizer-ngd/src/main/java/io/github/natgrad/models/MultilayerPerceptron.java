package io.github.natgrad.models;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.LayeredLinearization;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.ModelCapability;
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
 * <p>The work is split by job, package-private: {@code MlpArchitecture} (widths, activations, θ's layout),
 * {@code MlpLinearization} (the network at θ on a batch, natgrad's {@link LayeredLinearization}) over
 * {@code MlpForward} (the forward pass), {@code MlpReverse} (reverse mode, Jacobian rows, the layer-wise hooks),
 * {@code MlpForwardMode} (J v) and {@code MlpSecondOrder} (the second-order term, matrix and product).
 *
 * <p>Immutable; configured with {@code with...} copies:
 * <pre>{@code
 * MultilayerPerceptron mlp = MultilayerPerceptron.of(4, Likelihoods.bernoulli())
 *         .withHidden(8, 8).withActivation(Activation.TANH);
 * double[] theta = mlp.initialParameters(42);
 * }</pre>
 */
public final class MultilayerPerceptron extends AbstractModel<Likelihood> {
    private static final Set<ModelCapability> CAPABILITIES = Set.of(ModelCapability.JACOBIAN,
            ModelCapability.SECOND_ORDER_TERM, ModelCapability.JACOBIAN_VECTOR_PRODUCT,
            ModelCapability.SECOND_ORDER_PRODUCT, ModelCapability.DENSE_LAYERS, ModelCapability.SEEDED_INITIALIZATION);

    /** The activation {@link #withHidden} gives every hidden layer. */
    private final Activation activation;
    /** The widths, the activation of each hidden layer and θ's layout. */
    private final MlpArchitecture arch;
    /** Shorthands for the architecture's widths n_0 … n_{L+1} and weight offsets. */
    private final int[] sizes;
    private final int[] weightOffset;
    private final int parameters;

    private MultilayerPerceptron(int inputs, int[] hidden, Activation activation, Activation[] activations,
            Likelihood likelihood) {
        super(Checks.notNull(likelihood, "likelihood"), Checks.atLeastOne(inputs, "input columns"), CAPABILITIES);
        this.activation = Checks.notNull(activation, "activation");
        this.arch = new MlpArchitecture(inputs, hidden, activations, likelihood.outputsPerExample());
        this.sizes = arch.sizes;
        this.weightOffset = arch.weightOffset;
        this.parameters = arch.parameters;
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
        return new MultilayerPerceptron(sizes[0], hidden(), sigma, uniform(sigma, sizes.length - 2), likelihood);
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
        return new MultilayerPerceptron(sizes[0], hidden(), activation, arch.activations(), other);
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
        return arch.activations().clone();
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
        double[] s = PriorScales.of(parameters, weights, biases, 0, 0, 0, 0);
        for (int l = 0; l < weightOffset.length; l++) {
            int b = weightOffset[l] + sizes[l + 1] * sizes[l];
            Arrays.fill(s, b, b + sizes[l + 1], biases);
        }
        return s;
    }

    /**
     * Seeded LeCun initialisation: every weight of W_l drawn from N(0, 1/n_l) (n_l the layer's inputs),
     * biases zero. The same seed gives the same θ.
     */
    @Override
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
    public String describe() {
        return "multilayer perceptron " + sizes[0] + "-" + Arrays.toString(hidden()).replaceAll("[\\[\\] ]", "")
                .replace(',', '-') + (sizes.length > 2 ? "-" : "") + sizes[sizes.length - 1] + ", "
                + activationNames() + ", " + likelihood.name() + " likelihood, "
                + parameters + " parameters";
    }

    /** "relu" when the hidden layers agree (tanh without hidden layers), else "relu-tanh-…" per layer. */
    private String activationNames() {
        Activation[] activations = arch.activations();
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
    Linearization linearizeChecked(double[] theta, Batch batch) {
        return new MlpLinearization(this, arch, theta.clone(), batch);
    }
}
