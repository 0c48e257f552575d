package io.github.natgrad.bench.inspect;

import io.github.natgrad.Model;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.datasets.Dataset;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.models.SoftmaxRegression;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/** The models {@code inspect} looks at, built for a dataset, and their seeded starting points. */
public final class InspectModels {
    private InspectModels() {
    }

    /** The number of classes of integer labels 0, 1, …, at least 2. */
    static int classes(Dataset data) {
        int k = 0;
        for (double y : data.batch().y()) {
            k = Math.max(k, (int) y + 1);
        }
        return Math.max(2, k);
    }

    /** The model of {@code kind} for the dataset's columns (the MLP options are used for {@link ModelKind#MLP}). */
    public static Model build(ModelKind kind, Dataset data, int[] hidden, Activation activation,
            MlpLikelihood likelihood) {
        int p = data.batch().columns();
        switch (kind) {
            case LINEAR:
                return GeneralizedLinearModel.linearRegression(p).withBias();
            case LOGISTIC:
                return GeneralizedLinearModel.logisticRegression(p).withBias();
            case PROBIT:
                return GeneralizedLinearModel.of(Likelihoods.probit(), p).withBias();
            case SOFTMAX:
                return SoftmaxRegression.of(p, classes(data)).withBias();
            default:
                return MultilayerPerceptron.of(p, likelihood.of(data)).withHidden(hidden).withActivation(activation);
        }
    }

    /**
     * A seeded initialisation: the model's own where it declares one ({@link ModelCapability#SEEDED_INITIALIZATION}:
     * the MLP's LeCun initialisation), else N(0, 1/p) per entry.
     */
    public static double[] init(Model m, long seed) {
        if (m.capabilities().contains(ModelCapability.SEEDED_INITIALIZATION)) {
            return m.initialParameters(seed);
        }
        RandomGenerator random = new Well19937c(seed);
        double[] theta = new double[m.parameterCount()];
        double std = 1.0 / Math.sqrt(m.inputColumns());
        for (int j = 0; j < theta.length; j++) {
            theta[j] = std * random.nextGaussian();
        }
        return theta;
    }
}
