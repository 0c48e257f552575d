package io.github.natgrad;

import java.util.Arrays;

/**
 * A Gaussian prior θ ~ N(0, σ² S⁻¹) with S = diag(s) a per-parameter precision scale (S = I, the isotropic
 * prior, unless {@link #withScale} sets one), entering the objective as ½ Σ_j s_j θ_j² / (σ²N), as in
 * Kunstner, Balles and Hennig (2019) for S = I: the objective stays a mean over N examples. Its gradient is
 * S θ/(σ²N) and its curvature S/(σ²N), which is added to every curvature kind that includes the prior.
 *
 * <p>The scale s_j ≥ 0 says how strongly parameter j is pulled to 0 relative to 1/(σ²N): s_j = 0 leaves it
 * unregularised (a bias, as LIBLINEAR's {@code -B} intercept or Deeplearning4j's {@code .l2(c)} without
 * {@code .l2Bias}), different values give per-block precisions ({@code .l2(a).l2Bias(b)}). The models give the
 * usual scales: {@code MultilayerPerceptron.priorScale(weights, biases)}, {@code GeneralizedLinearModel.priorScale}.
 * The scale's length must be the model's parameter count; an optimizer checks it when it is built.
 *
 * @param variance    σ² &gt; 0
 * @param datasetSize N; 0 means "the size of the batch of each step" (full-batch training). For minibatch
 *                    training pass the size of the whole training set.
 * @param scale       s (one entry per parameter, each finite and ≥ 0), or {@code null} for the isotropic prior
 */
public record L2Prior(double variance, int datasetSize, double[] scale) {

    /** Validates the arguments and copies the scale. */
    public L2Prior {
        Require.positive(variance, "prior variance");
        if (datasetSize < 0) {
            throw new IllegalArgumentException("prior dataset size must be >= 0 (0 = batch size), got " + datasetSize);
        }
        if (scale != null) {
            if (scale.length == 0) {
                throw new IllegalArgumentException("the prior's precision scale is empty; pass one entry per parameter "
                        + "(or null for the isotropic prior)");
            }
            for (int j = 0; j < scale.length; j++) {
                if (!(scale[j] >= 0) || !Double.isFinite(scale[j])) {
                    throw new IllegalArgumentException("the prior's precision scale must be finite and >= 0 for every "
                            + "parameter (0 leaves a parameter unregularised), got " + scale[j] + " at parameter " + j);
                }
            }
            scale = scale.clone();
        }
    }

    /** An isotropic prior of variance σ² and dataset size N (the scale is the identity). */
    public L2Prior(double variance, int datasetSize) {
        this(variance, datasetSize, null);
    }

    /** A prior of variance σ² whose N is each step's batch size. */
    public static L2Prior ofVariance(double variance) {
        return new L2Prior(variance, 0);
    }

    /**
     * This prior with a per-parameter precision scale s (parameter j's precision s_j/(σ²N)); {@code null} gives
     * back the isotropic prior.
     *
     * @throws IllegalArgumentException if an entry is negative or not finite, or the scale is empty
     */
    public L2Prior withScale(double[] perParameter) {
        return new L2Prior(variance, datasetSize, perParameter);
    }

    /** The precision 1/(σ²N) for a batch of {@code batchSize} examples (parameter j's is s_j times this). */
    public double precision(int batchSize) {
        int n = datasetSize == 0 ? batchSize : datasetSize;
        return 1.0 / (variance * n);
    }

    /** Whether the prior is isotropic (no per-parameter scale). */
    public boolean isotropic() {
        return scale == null;
    }

    /** A copy of the per-parameter scale, or {@code null} for the isotropic prior. */
    @Override
    public double[] scale() {
        return scale == null ? null : scale.clone();
    }

    /**
     * The per-parameter precisions s_j/(σ²N) for a batch of {@code batchSize} (all 1/(σ²N) when isotropic).
     *
     * @throws IllegalArgumentException if the scale's length is not {@code parameters}
     */
    public double[] precisions(int batchSize, int parameters) {
        requireParameters(parameters, "the model");
        double p = precision(batchSize);
        double[] out = new double[parameters];
        for (int j = 0; j < parameters; j++) {
            out[j] = scale == null ? p : p * scale[j];
        }
        return out;
    }

    /**
     * Throws unless the scale (if any) has one entry per parameter of a model of {@code parameters}.
     *
     * @param what the model's description, for the message
     */
    public void requireParameters(int parameters, String what) {
        if (scale != null && scale.length != parameters) {
            throw new IllegalArgumentException("the prior's precision scale has " + scale.length + " entries but "
                    + what + " has " + parameters + " parameters: build the scale for this model (e.g. "
                    + "MultilayerPerceptron.priorScale(weights, biases)), one entry per parameter");
        }
    }

    /** Equal variance, dataset size and scale (entry by entry). */
    @Override
    public boolean equals(Object o) {
        return o instanceof L2Prior p && Double.compare(variance, p.variance) == 0 && datasetSize == p.datasetSize
                && Arrays.equals(scale, p.scale);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Double.hashCode(variance) + datasetSize) + Arrays.hashCode(scale);
    }

    /**
     * {@code L2Prior[variance=…, datasetSize=…]} as before for the isotropic prior; with a scale, its distinct
     * values and how many parameters have each (the text optimizers use in their state's kind).
     */
    @Override
    public String toString() {
        String base = "L2Prior[variance=" + variance + ", datasetSize=" + datasetSize;
        if (scale == null) {
            return base + "]";
        }
        java.util.TreeMap<Double, Integer> counts = new java.util.TreeMap<>();
        for (double s : scale) {
            counts.merge(s, 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder(base).append(", scale=");
        if (counts.size() <= 8) {
            String sep = "";
            for (var e : counts.entrySet()) {
                sb.append(sep).append(e.getKey()).append('x').append(e.getValue());
                sep = "/";
            }
        } else {
            sb.append(counts.size()).append(" values");
        }
        return sb.append(" #").append(Integer.toHexString(Arrays.hashCode(scale))).append(']').toString();
    }
}
