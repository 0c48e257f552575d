package io.github.natgrad.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Linearization;
import io.github.natgrad.Optimizer;
import io.github.natgrad.check.OracleChecker;
import io.github.natgrad.check.OracleReport;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.training.DataSetIterators;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The adapter computes what the DL4J network computes — checked against DL4J's own forward pass, gradient
 * and score, not against natgrad — and refuses, naming the layer, what it cannot train exactly.
 */
class Dl4jModelTest {

    private static double relative(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int j = 0; j < expected.length; j++) {
            diff = Math.max(diff, Math.abs(expected[j] - actual[j]));
            norm = Math.max(norm, Math.abs(expected[j]));
        }
        return diff / Math.max(norm, 1e-300);
    }

    /** DL4J's output probabilities, gradient and score against the adapter's outputs, gradient and objective. */
    private static void agreesWithDl4j(MultiLayerNetwork net, DataSet data, double l2) {
        double[] theta = Networks.randomize(net, 5, 0.5);
        Dl4jModel model = Dl4jModel.of(net);
        assertEquals(net.numParams(), model.parameterCount());
        Batch batch = DataSetIterators.toBatch(data);
        int n = batch.rows();
        int k = model.likelihood().outputsPerExample();
        Linearization lin = model.linearize(theta, batch);
        double[] f = lin.outputs();

        // forward pass: DL4J's output layer applies softmax / sigmoid / identity to natgrad's f
        double[] dl4jOut = net.output(data.getFeatures()).ravel().toDoubleVector();
        double[] ours = new double[n * k];
        String name = model.likelihood().name();
        for (int i = 0; i < n; i++) {
            if (name.startsWith("categorical")) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, f[i * k + c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(f[i * k + c] - max);
                }
                for (int c = 0; c < k; c++) {
                    ours[i * k + c] = Math.exp(f[i * k + c] - max) / sum;
                }
            } else if (name.startsWith("bernoulli")) {
                ours[i] = 1 / (1 + Math.exp(-f[i]));
            } else {
                ours[i] = f[i];
            }
        }
        assertTrue(relative(dl4jOut, ours) < 1e-12, name + ": outputs differ by " + relative(dl4jOut, ours));

        // gradient of the summed loss: DL4J's backprop against natgrad's Jᵀr (DL4J's updater divides by the
        // minibatch size and adds the regularization later; net.gradient() has neither)
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        double[] dl4jGradient = net.gradient().gradient().toDoubleVector();
        double[] r = new double[n * k];
        model.likelihood().lossAndResidual(f, batch.y(), n, r);
        double[] gradient = new double[theta.length];
        lin.vectorJacobianProduct(r, gradient);
        assertTrue(relative(dl4jGradient, gradient) < 1e-10, name + ": gradients differ by "
                + relative(dl4jGradient, gradient));

        // DL4J's score (mean loss + its L2 term) is natgrad's objective (mean NLL + the prior the L2 maps to)
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).withPrior(model.prior().orElse(null)).build(model);
        double objective = opt.loss(theta, batch);
        assertEquals(net.score(), objective, 1e-12 * Math.abs(objective), name + " score");
        if (l2 > 0) {
            double penalty = 0;
            for (double t : theta) {
                penalty += 0.5 * l2 * t * t;
            }
            assertEquals(model.prior().orElseThrow().precision(n), l2, 0.0);
            assertEquals(penalty, net.calcRegularizationScore(true), 1e-12 * penalty);
        }
    }

    @Test
    void softmaxWithReluAndTanhHiddenLayersMatchesDl4jWithL2() {
        MultiLayerNetwork net = Networks.network(4, Activation.RELU, Activation.TANH, Activation.SOFTMAX,
                LossFunction.MCXENT, 3, 1, b -> b.l2(1e-2).l2Bias(1e-2));
        agreesWithDl4j(net, Networks.data(20, 4, 3, false, 2), 1e-2);
    }

    /**
     * With regularization that is not one coefficient on every parameter: DL4J's score equals the adapter's
     * objective, and DL4J's regularized gradient — its backpropagated gradient over N plus each parameter array's
     * {@code Regularization.apply} (DL4J's own code: c·w for L2) — equals the adapter's gradient, to 1e-10; each
     * parameter's precision is its DL4J coefficient.
     */
    private static void regularizedAgreesWithDl4j(MultiLayerNetwork net, DataSet data) {
        double[] theta = Networks.randomize(net, 5, 0.5);
        Dl4jModel model = Dl4jModel.of(net);
        Batch batch = DataSetIterators.toBatch(data);
        int n = batch.rows();
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        double score = net.score();
        INDArray flat = net.gradient().gradient();
        flat.divi(n);
        double[] coefficients = new double[theta.length];
        for (int l = 0; l < net.getnLayers(); l++) {
            org.deeplearning4j.nn.api.Layer layer = net.getLayer(l);
            for (String key : new String[] {"W", "b"}) {
                INDArray param = layer.getParam(key);
                INDArray view = net.gradient().getGradientFor(l + "_" + key);
                for (var r : layer.conf().getLayer().getRegularizationByParam(key)) {
                    r.apply(param, view, 0.0, 0, 0);
                }
                double c = layer.conf().getLayer().getRegularizationByParam(key).stream()
                        .mapToDouble(r -> ((org.nd4j.linalg.learning.regularization.L2Regularization) r).getL2()
                                .valueAt(0, 0)).sum();
                int from = model.perceptron().weightOffset(l) + (key.equals("W") ? 0 : (int) layer.getParam("W").length());
                java.util.Arrays.fill(coefficients, from, from + (int) param.length(), c);
            }
        }
        double[] dl4jGradient = flat.toDoubleVector();
        io.github.natgrad.optim.MinibatchObjective objective = new io.github.natgrad.optim.MinibatchObjective(model,
                model.prior().orElseThrow());
        double[] gradient = new double[theta.length];
        double loss = objective.lossAndGradient(theta, model.linearize(theta, batch), batch, gradient);
        assertEquals(score, loss, 1e-10 * Math.abs(score), "score");
        assertTrue(relative(dl4jGradient, gradient) < 1e-10, "regularized gradients differ by "
                + relative(dl4jGradient, gradient));
        double[] precisions = model.prior().orElseThrow().precisions(n, theta.length);
        for (int j = 0; j < theta.length; j++) {
            assertEquals(coefficients[j], precisions[j], 0.0, "precision of parameter " + j);
        }
    }

    @Test
    void weightsOnlyL2IsTheMaskedPriorAndMatchesDl4jsScoreAndGradient() {
        MultiLayerNetwork net = Networks.network(4, Activation.RELU, Activation.TANH, Activation.SOFTMAX,
                LossFunction.MCXENT, 3, 1, b -> b.l2(1e-2));
        regularizedAgreesWithDl4j(net, Networks.data(20, 4, 3, false, 2));
        assertTrue(Dl4jModel.of(net).describe().contains("weights 0.01 biases 0.0"), Dl4jModel.of(net).describe());
    }

    @Test
    void differentWeightAndBiasCoefficientsArePerBlockPrecisions() {
        MultiLayerNetwork net = Networks.network(3, Activation.SIGMOID, Activation.SOFTPLUS, Activation.SIGMOID,
                LossFunction.XENT, 1, 5, b -> b.l2(3e-3).l2Bias(1e-3));
        regularizedAgreesWithDl4j(net, Networks.data(25, 3, 1, true, 6));
    }

    @Test
    void coefficientsThatDifferBetweenLayersArePerLayerPrecisions() {
        MultiLayerNetwork net = new MultiLayerNetwork(Networks.builder(7).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(5).activation(Activation.TANH).l2(1e-3).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(4).nOut(1).activation(Activation.IDENTITY)
                        .l2(2e-3).l2Bias(5e-4).build())
                .build());
        net.init();
        regularizedAgreesWithDl4j(net, Networks.data(15, 2, 1, false, 8));
    }

    @Test
    void negativeLogLikelihoodIsTheSameCategoricalLikelihood() {
        MultiLayerNetwork net = Networks.network(4, Activation.SOFTPLUS, Activation.IDENTITY, Activation.SOFTMAX,
                LossFunction.NEGATIVELOGLIKELIHOOD, 3, 3, b -> b);
        agreesWithDl4j(net, Networks.data(20, 4, 3, false, 4), 0);
    }

    @Test
    void sigmoidCrossEntropyWithSigmoidAndSoftplusHiddenLayersMatchesDl4j() {
        MultiLayerNetwork net = Networks.network(3, Activation.SIGMOID, Activation.SOFTPLUS, Activation.SIGMOID,
                LossFunction.XENT, 1, 5, b -> b.l2(3e-3).l2Bias(3e-3));
        agreesWithDl4j(net, Networks.data(25, 3, 1, true, 6), 3e-3);
    }

    @Test
    void identityMeanSquaredErrorWithTanhAndIdentityHiddenLayersMatchesDl4j() {
        MultiLayerNetwork net = Networks.network(2, Activation.TANH, Activation.IDENTITY, Activation.IDENTITY,
                LossFunction.MSE, 1, 7, b -> b);
        agreesWithDl4j(net, Networks.data(15, 2, 1, false, 8), 0);
    }

    @Test
    void parametersAreTheNetworksFlattenedViewInNatgradsLayout() {
        MultiLayerNetwork net = Networks.softmax(9);
        double[] theta = Networks.randomize(net, 10, 1.0);
        Dl4jModel model = Dl4jModel.of(net);
        INDArray w0 = net.getParam("0_W"); // nIn × nOut
        INDArray b1 = net.getParam("1_b");
        int offset1 = model.perceptron().weightOffset(1);
        for (int i = 0; i < 4; i++) {
            for (int o = 0; o < 5; o++) {
                assertEquals(w0.getDouble(i, o), theta[o * 4 + i], 0.0, "W0[" + i + "," + o + "]");
            }
        }
        for (int o = 0; o < 4; o++) {
            assertEquals(b1.getDouble(o), theta[offset1 + 4 * 5 + o], 0.0);
        }
        double[] changed = theta.clone();
        changed[3] = 42;
        model.setParameters(changed);
        assertEquals(42, net.params().getDouble(3), 0.0);
        assertEquals(42, model.parameters()[3], 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> model.setParameters(new double[3]));
        assertTrue(e.getMessage().contains("theta"), e.getMessage());
    }

    @Test
    void oracleCheckerPassesOnTheAdapter() {
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {Networks.softmax(11),
                Networks.network(3, Activation.SIGMOID, Activation.TANH, Activation.SIGMOID, LossFunction.XENT, 1, 12,
                        b -> b)}) {
            double[] theta = Networks.randomize(net, 13, 0.7);
            Dl4jModel model = Dl4jModel.of(net);
            int k = model.likelihood().outputsPerExample();
            Batch batch = DataSetIterators.toBatch(Networks.data(12, model.inputColumns(), k, k == 1, 14));
            OracleReport report = OracleChecker.defaults().check(model, theta, batch);
            assertTrue(report.passed(), report.toString());
        }
    }

    private static void refused(Supplier<MultiLayerNetwork> net, String... fragments) {
        MultiLayerNetwork built = net.get();
        var e = assertThrows(IllegalArgumentException.class, () -> Dl4jModel.of(built));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
        }
    }

    /** Two layers; DL4J's own check of the output layer is off, so that natgrad's refusal is what is tested. */
    private static MultiLayerNetwork two(UnaryOperator<NeuralNetConfiguration.Builder> edit,
            org.deeplearning4j.nn.conf.layers.Layer hidden, org.deeplearning4j.nn.conf.layers.Layer out) {
        MultiLayerNetwork net = new MultiLayerNetwork(edit.apply(Networks.builder(1)).list().layer(hidden).layer(out)
                .validateOutputLayerConfig(false).build());
        net.init();
        return net;
    }

    private static DenseLayer dense(Activation a) {
        return new DenseLayer.Builder().nIn(4).nOut(3).activation(a).build();
    }

    private static OutputLayer softmaxOut() {
        return new OutputLayer.Builder(LossFunction.MCXENT).nIn(3).nOut(2).activation(Activation.SOFTMAX).build();
    }

    @Test
    void unsupportedLayersAndSettingsAreRefusedNamingTheLayer() {
        refused(() -> two(b -> b, new ConvolutionLayer.Builder(2, 2).nIn(1).nOut(2).build(), softmaxOut()),
                "layer 0", "ConvolutionLayer", "natgrad supports DenseLayers");
        refused(() -> two(b -> b, new BatchNormalization.Builder().nIn(4).nOut(4).build(),
                new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX).build()),
                "layer 0", "BatchNormalization", "natgrad supports DenseLayers");
        refused(() -> two(b -> b, new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).dropOut(0.5)
                .build(), softmaxOut()), "layer 0", "DenseLayer", "dropout");
        refused(() -> two(b -> b.l1(1e-3), dense(Activation.RELU), softmaxOut()), "layer 0", "L1Regularization");
        refused(() -> two(b -> b, dense(Activation.LEAKYRELU), softmaxOut()), "layer 0", "DenseLayer",
                "relu, tanh, sigmoid, identity and softplus");
        refused(() -> two(b -> b, dense(Activation.RELU), new OutputLayer.Builder(LossFunction.MCXENT).nIn(3).nOut(2)
                .activation(Activation.SIGMOID).build()), "layer 1", "OutputLayer", "softmax + MCXENT");
        refused(() -> two(b -> b, dense(Activation.RELU), new OutputLayer.Builder(LossFunction.XENT).nIn(3).nOut(2)
                .activation(Activation.SOFTMAX).build()), "layer 1", "OutputLayer", "sigmoid + XENT");
        refused(() -> two(b -> b, dense(Activation.RELU), new OutputLayer.Builder(LossFunction.L1).nIn(3).nOut(1)
                .activation(Activation.IDENTITY).build()), "layer 1", "OutputLayer", "identity + MSE");
        refused(() -> two(b -> b, dense(Activation.RELU), new OutputLayer.Builder(LossFunction.XENT).nIn(3).nOut(2)
                .activation(Activation.SIGMOID).build()), "layer 1", "1 output");
        refused(() -> two(b -> b, new DenseLayer.Builder().nIn(4).nOut(3).hasBias(false).build(), softmaxOut()),
                "layer 0", "no bias");
        refused(() -> two(b -> b, dense(Activation.RELU), new DenseLayer.Builder().nIn(3).nOut(2).build()),
                "layer 1", "DenseLayer", "as the last layer");
        refused(() -> two(b -> b.dataType(DataType.FLOAT), dense(Activation.RELU), softmaxOut()), "FLOAT",
                ".dataType(DataType.DOUBLE)");
        refused(() -> two(b -> b.weightDecay(1e-3).l1Bias(1e-4), dense(Activation.RELU), softmaxOut()), "layer 0",
                "its biases with L1Regularization");
        refused(() -> two(b -> b.regularization(java.util.List.of(new org.nd4j.linalg.learning.regularization
                .L2Regularization(new org.nd4j.linalg.schedule.StepSchedule(
                        org.nd4j.linalg.schedule.ScheduleType.ITERATION, 1e-3, 0.5, 10)))), dense(Activation.RELU),
                softmaxOut()), "layer 0", "scheduled coefficient");
        var e = assertThrows(IllegalArgumentException.class, () -> Dl4jModel.of(new MultiLayerNetwork(
                Networks.builder(1).list().layer(dense(Activation.RELU)).layer(softmaxOut()).build())));
        assertTrue(e.getMessage().contains("net.init()"), e.getMessage());
    }
}
