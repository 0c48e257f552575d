package io.github.natgrad;

/**
 * An isotropic Gaussian prior θ ~ N(0, σ² I), entering the objective as ‖θ‖² / (2σ²N), as in
 * Kunstner, Balles and Hennig (2019): the objective stays a mean over N examples. Its gradient is
 * θ/(σ²N) and its curvature I/(σ²N), which is added to every curvature kind that includes the prior.
 *
 * @param variance    σ² &gt; 0
 * @param datasetSize N; 0 means "the size of the batch of each step" (full-batch training). For minibatch
 *                    training pass the size of the whole training set.
 */
public record L2Prior(double variance, int datasetSize) {

    /** Validates the arguments. */
    public L2Prior {
        Require.positive(variance, "prior variance");
        if (datasetSize < 0) {
            throw new IllegalArgumentException("prior dataset size must be >= 0 (0 = batch size), got " + datasetSize);
        }
    }

    /** A prior of variance σ² whose N is each step's batch size. */
    public static L2Prior ofVariance(double variance) {
        return new L2Prior(variance, 0);
    }

    /** The precision 1/(σ²N) for a batch of {@code batchSize} examples. */
    public double precision(int batchSize) {
        int n = datasetSize == 0 ? batchSize : datasetSize;
        return 1.0 / (variance * n);
    }
}
