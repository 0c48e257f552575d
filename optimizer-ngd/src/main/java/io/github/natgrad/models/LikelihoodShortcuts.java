package io.github.natgrad.models;

import io.github.natgrad.Likelihood;

/**
 * The library's shortcuts of a {@link Likelihood}, for its own batched engines (the damping sweep, the
 * factored curvature kinds): the residual without the loss, an upper bound on one example's loss, and the
 * residual with the Fisher weight in one pass. They are an implementation detail of natgrad, not part of
 * the {@link Likelihood} a user implements: the likelihoods natgrad ships implement this interface where a
 * shortcut saves work (the {@link BernoulliLikelihood}: one exponential per example instead of two, no
 * logarithms when the loss is not needed), and the static methods here fall back to the {@link Likelihood}
 * methods for any other likelihood, with the same values.
 */
public interface LikelihoodShortcuts {

    /**
     * Writes only the residual r_i = ∂ℓ(y_i, f_i)/∂f (N × K), the values of
     * {@link Likelihood#lossAndResidual}, without computing the loss.
     */
    void residual(double[] f, double[] y, int n, double[] out);

    /**
     * An upper bound on the loss ℓ(y, f) of one example, for any label and output, or +∞ when it is
     * unbounded. A clipped likelihood has one (−log ε for probabilities clipped to [ε, 1 − ε]): a caller
     * watching for a loss above a threshold that exceeds this bound can skip computing it.
     */
    double maxLoss();

    /**
     * For one output per example (K = 1): the residual r_i (the values of {@link #residual}) and the Fisher
     * weight Λ(f_i) = B_i² (the square of {@link Likelihood#fisherFactor}) in one pass.
     */
    void residualAndFisherWeight(double[] f, double[] y, int n, double[] residual, double[] weight);

    /** The residual of {@code likelihood}: its shortcut if it has one, else {@link Likelihood#lossAndResidual}. */
    static void residual(Likelihood likelihood, double[] f, double[] y, int n, double[] out) {
        if (likelihood instanceof LikelihoodShortcuts s) {
            s.residual(f, y, n, out);
        } else {
            likelihood.lossAndResidual(f, y, n, out);
        }
    }

    /** The bound on one example's loss of {@code likelihood}: its shortcut's, else +∞ (no bound known). */
    static double maxLoss(Likelihood likelihood) {
        return likelihood instanceof LikelihoodShortcuts s ? s.maxLoss() : Double.POSITIVE_INFINITY;
    }

    /**
     * The residual and the Fisher weight of {@code likelihood} (K = 1): its shortcut if it has one, else
     * {@link #residual(Likelihood, double[], double[], int, double[])} and the square of
     * {@link Likelihood#fisherFactor}.
     *
     * @throws UnsupportedOperationException if the likelihood has more than one output per example
     */
    static void residualAndFisherWeight(Likelihood likelihood, double[] f, double[] y, int n, double[] residual,
            double[] weight) {
        if (likelihood.outputsPerExample() != 1) {
            throw new UnsupportedOperationException("a scalar Fisher weight needs one output per example; "
                    + likelihood.name() + " has " + likelihood.outputsPerExample() + ": use fisherFactor");
        }
        if (likelihood instanceof LikelihoodShortcuts s) {
            s.residualAndFisherWeight(f, y, n, residual, weight);
            return;
        }
        residual(likelihood, f, y, n, residual);
        likelihood.fisherFactor(f, n, weight);
        for (int i = 0; i < n; i++) {
            weight[i] *= weight[i];
        }
    }
}
