package io.github.natgrad.examples;

import io.github.natgrad.Batch;
import io.github.natgrad.Model;
import io.github.natgrad.Nd4jDefaults;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Natural-gradient descent with the true Fisher on a seeded logistic regression. */
public final class TrainingLoopExample {

    public static void main(String[] args) {
        train();
    }

    /** Ten full-batch steps from theta = 0; returns the report of each. */
    public static List<StepReport> train() {
        Nd4jDefaults.useDoublePrecision();
        Nd4j.getRandom().setSeed(42);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 1000, 10);                  // inputs, N x p
        INDArray p = Transforms.sigmoid(x.getColumn(0).mul(2).sub(x.getColumn(1)));
        INDArray y = Nd4j.rand(DataType.DOUBLE, 1000).lt(p).castTo(DataType.DOUBLE); // labels 0/1
        Batch batch = Batch.of(x, y);

        Model model = GeneralizedLinearModel.logisticRegression(10).withBias();
        Optimizer optimizer = NaturalGradient.of(Curvatures.fisher())     // or empiricalFisher(), hessian(), ...
                .withStepSize(1.0)
                .withDamping(Damping.fixed(1e-4))                         // or levenbergMarquardt(), ...
                .build(model);                                            // checks the model can give a Fisher

        INDArray theta = Nd4j.zeros(DataType.DOUBLE, model.parameterCount());
        List<StepReport> reports = new ArrayList<>();
        for (int step = 0; step < 10; step++) {
            StepReport report = optimizer.step(theta, batch);              // theta is updated in place
            System.out.println(report);                                   // loss, |g|, |d|, cos(g, d), lambda
            reports.add(report);
        }
        return reports;
    }
}
