package io.github.natgrad.bench.scale;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import io.github.natgrad.Batch;
import io.github.natgrad.CsrMatrix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LIBLINEAR's Java port ({@code de.bwaldvogel:liblinear}) as the anchor: L2-regularised logistic regression
 * ({@code -s 0}, its line-search Newton-CG) with a regularised bias ({@code -B 1}) on the same examples,
 * converted once from natgrad's CSR batch.
 */
public final class LiblinearAnchor {
    private static final Pattern ITER = Pattern.compile("iter\\s+\\d+.*?CG\\s+(\\d+)");

    private final Problem problem;

    /** One run: wall time, the weights in natgrad's order (w, bias), Newton iterations and CG iterations. */
    public record Run(double seconds, double[] theta, int iterations, int cgIterations) {
    }

    public LiblinearAnchor(Batch batch) {
        CsrMatrix x = batch.csr();
        int n = x.rows();
        int p = x.columns();
        Problem prob = new Problem();
        prob.l = n;
        prob.n = p + 1;
        prob.bias = 1;
        prob.y = new double[n];
        prob.x = new Feature[n][];
        int[] start = x.rowStart();
        for (int i = 0; i < n; i++) {
            int len = start[i + 1] - start[i];
            Feature[] row = new Feature[len + 1];
            for (int k = 0; k < len; k++) {
                row[k] = new FeatureNode(x.columnIndex()[start[i] + k] + 1, x.values()[start[i] + k]);
            }
            row[len] = new FeatureNode(p + 1, 1.0);
            prob.x[i] = row;
            prob.y[i] = batch.y()[i] == 1 ? 1 : -1;
        }
        this.problem = prob;
    }

    /** Trains with C and stopping tolerance eps; times {@code Linear.train} only. */
    public Run train(double c, double eps) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Linear.setDebugOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            Parameter parameter = new Parameter(SolverType.L2R_LR, c, eps);
            parameter.setMaxIters(10000);
            long t0 = System.nanoTime();
            de.bwaldvogel.liblinear.Model model = Linear.train(problem, parameter);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] w = model.getFeatureWeights();
            // LIBLINEAR's first label is its positive class; natgrad's positive label is +1
            if (model.getLabels()[0] != 1) {
                for (int j = 0; j < w.length; j++) {
                    w[j] = -w[j];
                }
            }
            int iterations = 0;
            int cg = 0;
            Matcher m = ITER.matcher(log.toString(StandardCharsets.UTF_8));
            while (m.find()) {
                iterations++;
                cg += Integer.parseInt(m.group(1));
            }
            return new Run(seconds, w, iterations, cg);
        } finally {
            Linear.disableDebugOutput();
        }
    }
}
