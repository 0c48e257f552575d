package io.github.natgrad.bench.inspect;

import io.github.natgrad.Batch;
import io.github.natgrad.Model;
import io.github.natgrad.datasets.Dataset;
import io.github.natgrad.models.Activation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One curvature inspection, as the {@code inspect} command and the study kind {@code inspect}
 * ({@link InspectKind}) run it: the model of {@link Settings#model()} on a dataset at one point, its
 * Hessian, Gauss-Newton matrix, true Fisher, Monte-Carlo Fisher and empirical Fisher compared
 * ({@link CurvatureInspection}; above {@link Settings#maxDimension()} parameters the matrix-free estimates
 * of {@link MatrixFreeInspection}), printed as tables or as JSON with stable keys, and with an output
 * folder the figures {@code spectra.png} and {@code training.png} ({@link InspectFigures}).
 */
public final class Inspection {
    private Inspection() {
    }

    /**
     * What to inspect and how.
     *
     * @param model        the model kind
     * @param at           the point: zero, init, optimum or a file of D numbers ({@link InspectPoints})
     * @param lambda       the damping λ of the directions (C + λI)⁻¹ g, finite and ≥ 0
     * @param mcSamples    labels sampled per example for the Monte-Carlo Fisher, ≥ 1
     * @param seed         the seed of the initialisation, the sampled labels and the figures' data
     * @param hidden       an MLP's hidden-layer widths
     * @param activation   an MLP's activation
     * @param likelihood   an MLP's output likelihood
     * @param trainSteps   steps of training for {@code at = optimum}
     * @param figureSteps  steps of the training runs in training.png
     * @param maxDimension the largest D inspected densely
     */
    public record Settings(ModelKind model, String at, double lambda, int mcSamples, long seed, int[] hidden,
            Activation activation, MlpLikelihood likelihood, int trainSteps, int figureSteps, int maxDimension) {
    }

    /**
     * Inspects {@code data}: prints the report to {@code stdout} (JSON when {@code json}, else tables) and,
     * when {@code outDir} is not null, writes the figures there (and, unless {@code json}, says so).
     *
     * @param notes where a point's notes go (e.g. the training to the optimum)
     * @return 0
     * @throws IllegalArgumentException for labels the model cannot take or a point that cannot be read
     */
    public static int run(Settings s, Dataset data, boolean json, Path outDir, PrintStream stdout, PrintStream notes) {
        Model m = InspectModels.build(s.model(), data, s.hidden(), s.activation(), s.likelihood());
        int d = m.parameterCount();
        if (d > s.maxDimension()) {
            Batch large = data.batch();
            m.likelihood().checkLabels(large.y(), large.rows());
            double[] start = s.at().equalsIgnoreCase("optimum") ? MatrixFreeInspection.optimum(m,
                    m.initialParameters(s.seed()), large,
                    s.trainSteps())
                    : InspectPoints.point(s.at(), m, large, s.seed(), s.trainSteps(), notes);
            return MatrixFreeInspection.print(m, start, large, data.name(), s.at(), s.mcSamples(), s.seed(), json,
                    stdout);
        }
        Batch batch = data.batch();
        m.likelihood().checkLabels(batch.y(), batch.rows());
        double[] theta = InspectPoints.point(s.at(), m, batch, s.seed(), s.trainSteps(), notes);
        CurvatureInspection.Report report = CurvatureInspection.inspect(m, theta, batch, s.model().toString(),
                data.name(), s.at(), s.lambda(), s.mcSamples(), s.seed());
        if (json) {
            stdout.println(InspectOutput.json(report));
        } else {
            InspectOutput.table(stdout, report, m);
        }
        if (outDir != null) {
            Path spectra = InspectFigures.spectra(report, outDir);
            Path training = trainingFigure(s, m, outDir);
            if (!json) {
                stdout.println("wrote " + spectra + " and " + training);
            }
        }
        return 0;
    }

    /**
     * Training runs on seeded teacher data of the dataset's input dimension: teacher θ_T = 2 × the seeded
     * initialisation, student from another seeded initialisation (never θ = 0, where for a one-output GLM
     * H, F and EF can coincide exactly).
     */
    private static Path trainingFigure(Settings s, Model m, Path outDir) {
        long seed = s.seed();
        double[] teacher = InspectModels.init(m, seed);
        for (int j = 0; j < teacher.length; j++) {
            teacher[j] *= 2;
        }
        int n = m.parameterCount() <= 100 ? 2000 : 1000;
        Batch well = InspectFigures.teacherData(m, teacher, n, false, seed + 1);
        Batch miss = InspectFigures.teacherData(m, teacher, n, true, seed + 1);
        double[] start = InspectModels.init(m, seed + 2);
        var a = InspectFigures.trajectory(m, start, well, s.figureSteps(), seed);
        var b = InspectFigures.trajectory(m, start, miss, s.figureSteps(), seed);
        return InspectFigures.training(String.format(Locale.ROOT, "%s: H and EF vs F along training on teacher data "
                + "(N = %d)", s.model(), n), a, b, outDir);
    }
}
