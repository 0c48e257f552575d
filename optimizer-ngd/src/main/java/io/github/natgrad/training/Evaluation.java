package io.github.natgrad.training;

import io.github.natgrad.Batch;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;

/**
 * The mean loss and the accuracy of a classifier on a data set, evaluated in chunks (forward passes only).
 *
 * @param loss     the mean negative log-likelihood
 * @param accuracy the fraction of examples whose largest output is the label's (for K = 1, f &gt; 0 ↔ y = 1)
 */
public record Evaluation(double loss, double accuracy) {

    /** Evaluates {@code model} at θ on {@code data}, 2 000 examples at a time. */
    public static Evaluation of(Model model, double[] theta, Batch data) {
        int n = data.rows();
        int k = model.likelihood().outputsPerExample();
        double loss = 0;
        long correct = 0;
        for (int from = 0; from < n; from += 2000) {
            int to = Math.min(n, from + 2000);
            Batch chunk = from == 0 && to == n ? data : data.slice(from, to);
            Linearization lin = model.linearize(theta, chunk);
            double[] f = lin.outputs();
            loss += model.likelihood().lossAndResidual(f, chunk.y(), chunk.rows(), null);
            for (int i = 0; i < chunk.rows(); i++) {
                int predicted;
                if (k == 1) {
                    predicted = f[i] > 0 ? 1 : 0;
                } else {
                    predicted = 0;
                    for (int c = 1; c < k; c++) {
                        if (f[i * k + c] > f[i * k + predicted]) {
                            predicted = c;
                        }
                    }
                }
                if (predicted == (int) chunk.y()[i]) {
                    correct++;
                }
            }
        }
        return new Evaluation(loss / n, (double) correct / n);
    }
}
