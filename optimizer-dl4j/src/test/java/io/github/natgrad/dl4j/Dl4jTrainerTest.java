package io.github.natgrad.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.StepReport;
import io.github.natgrad.StepSizeSchedule;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.layerwise.Structure;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.optim.Adam;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.training.DataSetIterators;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The trainer takes natgrad's steps on the DL4J network: the same steps as natgrad's own MLP for every kind and
 * structure, in the network's parameters, with DL4J's listeners, evaluation and serialisation still working.
 */
class Dl4jTrainerTest {
    private static final double L2 = 1e-3;

    /** A softmax network with L2 on weights and biases, and natgrad's MLP of the same architecture. */
    private static MultiLayerNetwork network(long seed) {
        return network(seed, b -> b.l2(L2).l2Bias(L2));
    }

    private static MultiLayerNetwork network(long seed,
            java.util.function.UnaryOperator<org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder> edit) {
        return Networks.network(4, org.nd4j.linalg.activations.Activation.RELU,
                org.nd4j.linalg.activations.Activation.TANH, org.nd4j.linalg.activations.Activation.SOFTMAX,
                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT, 3, seed, edit);
    }

    private static final MultilayerPerceptron MLP = MultilayerPerceptron.of(4, Likelihoods.categorical(3))
            .withHidden(5, 4).withActivations(Activation.RELU, Activation.TANH);

    /** 60 examples in minibatches of 20, the same order every epoch. */
    private static ListDataSetIterator<DataSet> minibatches() {
        return new ListDataSetIterator<>(Networks.data(60, 4, 3, false, 21).asList(), 20);
    }

    private static List<Batch> natgradBatches() {
        List<Batch> out = new ArrayList<>();
        DataSetIterators.batches(minibatches()).forEach(out::add);
        return out;
    }

    private static Map<String, OptimizerFactory> configurations() {
        return Map.of(
                "fisher", NaturalGradient.of(Curvatures.fisher()).withStepSize(0.5).withDamping(Damping.fixed(1e-2)),
                "mc-fisher", NaturalGradient.of(Curvatures.monteCarloFisher(1, 7)).withStepSize(0.5)
                        .withDamping(Damping.fixed(1e-2)),
                "empirical-fisher", NaturalGradient.of(Curvatures.empiricalFisher()).withStepSize(0.3)
                        .withDamping(Damping.fixed(1e-1)),
                "gauss-newton", NaturalGradient.of(Curvatures.gaussNewton()).withDamping(Damping.levenbergMarquardt())
                        .withStepRejection(3),
                "hessian", NaturalGradient.of(Curvatures.hessian()).withDamping(Damping.shiftToPositiveDefinite())
                        .withStepRejection(3),
                "kfac", LayerwiseNaturalGradient.kfac().withStepSize(0.2).withDamping(1e-2),
                "block-diagonal", LayerwiseNaturalGradient.kfac().withStructure(Structure.BLOCK_DIAGONAL)
                        .withCurvature(Curvatures.fisher()).withStepSize(0.2).withDamping(1e-2),
                "diagonal", LayerwiseNaturalGradient.kfac().withStructure(Structure.DIAGONAL)
                        .withCurvature(Curvatures.empiricalFisher()).withStepSize(0.05).withDamping(1e-1),
                "adam", Adam.defaults().withStepSize(1e-2));
    }

    private static OptimizerFactory withPrior(OptimizerFactory config, L2Prior prior) {
        if (config instanceof NaturalGradient ng) {
            return ng.withPrior(prior);
        }
        if (config instanceof LayerwiseNaturalGradient lw) {
            return lw.withPrior(prior);
        }
        return ((Adam) config).withPrior(prior);
    }

    @Test
    void everyKindAndStructureTakesTheStepsOfNatgradsOwnMlp() {
        // natgrad alone: its MLP, the network's initial θ, the prior that L2 = 1e-3 on everything means
        sameStepsAsNatgradsMlp(b -> b.l2(L2).l2Bias(L2), new L2Prior(1 / L2, 1));
    }

    @Test
    void withWeightsOnlyL2EveryKindAndStructureTakesTheStepsOfNatgradsMlpWithTheMaskedPrior() {
        // DL4J's usual .l2(c): the weights' precision is c, the biases are not regularized
        sameStepsAsNatgradsMlp(b -> b.l2(L2), new L2Prior(1.0, 1).withScale(MLP.priorScale(L2, 0.0)));
        // .l2(a).l2Bias(b), a ≠ b: per-block precisions
        sameStepsAsNatgradsMlp(b -> b.l2(L2).l2Bias(4 * L2), new L2Prior(1.0, 1).withScale(MLP.priorScale(L2, 4 * L2)));
        // a configuration's own prior must give every parameter the same precision (to 1e-12 relative)
        MultiLayerNetwork net = network(7, b -> b.l2(L2));
        var e = assertThrows(IllegalArgumentException.class, () -> Dl4jTrainer.of(net,
                NaturalGradient.of(Curvatures.fisher()).withPrior(new L2Prior(1 / L2, 1))));
        assertTrue(e.getMessage().contains("set the regularization in one place"), e.getMessage());
        Dl4jTrainer.of(net, NaturalGradient.of(Curvatures.fisher())
                .withPrior(new L2Prior(1 / L2, 1).withScale(MLP.priorScale(1, 0))));
    }

    private static void sameStepsAsNatgradsMlp(
            java.util.function.UnaryOperator<org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder> regularization,
            L2Prior prior) {
        List<Batch> batches = natgradBatches();
        for (var entry : configurations().entrySet()) {
            MultiLayerNetwork net = network(3, regularization);
            double[] theta = net.params().toDoubleVector();
            Dl4jTrainer trainer = Dl4jTrainer.of(net, entry.getValue());
            assertEquals(prior, trainer.model().prior().orElseThrow());
            Optimizer reference = withPrior(entry.getValue(), prior).build(MLP);
            StepSizeSchedule halving = t -> 0.2 / (1 + t / 3);
            if (!entry.getKey().equals("adam")) {
                trainer.optimizer().setSchedule(halving);
                reference.setSchedule(halving);
            }
            List<StepReport> ours = trainer.fit(minibatches(), 3);
            List<StepReport> theirs = new ArrayList<>();
            for (int epoch = 0; epoch < 3; epoch++) {
                for (Batch b : batches) {
                    theirs.add(reference.step(theta, b));
                }
            }
            assertEquals(9, ours.size());
            double[] trained = net.params().toDoubleVector();
            double diff = 0;
            double norm = 0;
            for (int j = 0; j < theta.length; j++) {
                diff = Math.max(diff, Math.abs(trained[j] - theta[j]));
                norm = Math.max(norm, Math.abs(theta[j]));
            }
            assertTrue(diff <= 1e-12 * norm, entry.getKey() + ": relative difference " + diff / norm);
            for (int s = 0; s < 9; s++) {
                assertEquals(theirs.get(s).loss(), ours.get(s).loss(), 1e-12 * Math.abs(theirs.get(s).loss()),
                        entry.getKey() + " step " + s);
            }
            assertTrue(ours.get(8).loss() < ours.get(0).loss(), entry.getKey() + " learns: " + ours.get(0).loss()
                    + " -> " + ours.get(8).loss());
        }
    }

    @Test
    void dl4jListenersCountersAndEvaluationKeepWorking() {
        MultiLayerNetwork net = network(4);
        AtomicInteger iterations = new AtomicInteger();
        AtomicInteger epochEnds = new AtomicInteger();
        List<Double> scores = new ArrayList<>();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                assertEquals(iterations.getAndIncrement(), iteration);
                assertEquals(iteration / 3, epoch);
                scores.add(model.score());
            }

            @Override
            public void onEpochEnd(Model model) {
                epochEnds.incrementAndGet();
            }
        });
        Dl4jTrainer trainer = Dl4jTrainer.of(net, LayerwiseNaturalGradient.kfac().withStepSize(0.3).withDamping(1e-2));
        AtomicInteger natgradEvents = new AtomicInteger();
        trainer.optimizer().addListener(e -> natgradEvents.incrementAndGet());
        Evaluation before = net.evaluate(minibatches());
        List<StepReport> reports = trainer.fit(minibatches(), 8);
        assertEquals(24, iterations.get());
        assertEquals(8, epochEnds.get());
        assertEquals(24, net.getIterationCount());
        assertEquals(8, net.getEpochCount());
        assertTrue(natgradEvents.get() >= 24, "natgrad's step events: " + natgradEvents.get());
        for (int s = 0; s < 24; s++) {
            assertEquals(reports.get(s).loss(), scores.get(s), 0.0);
        }
        Evaluation after = net.evaluate(minibatches());
        assertTrue(after.accuracy() > before.accuracy() + 0.2 && after.accuracy() > 0.8,
                "training accuracy " + before.accuracy() + " -> " + after.accuracy());
    }

    @Test
    void aRunResumedFromACheckpointContinuesBitForBit(@TempDir Path dir) throws IOException {
        OptimizerFactory kfac = LayerwiseNaturalGradient.kfac().withStepSize(0.2).withDamping(1e-2).withMomentum(0.5);
        MultiLayerNetwork straight = network(5);
        Dl4jTrainer a = Dl4jTrainer.of(straight, kfac);
        a.fit(minibatches(), 5);

        Path file = dir.resolve("run.ckpt");
        MultiLayerNetwork first = network(5);
        Dl4jTrainer b = Dl4jTrainer.of(first, kfac);
        b.fit(minibatches(), 2);
        b.saveCheckpoint(file);
        // a new process: another network object, differently initialised, another optimizer
        MultiLayerNetwork second = network(99);
        Dl4jTrainer c = Dl4jTrainer.of(second, kfac);
        assertEquals(2, c.resume(file));
        assertEquals(2, second.getEpochCount());
        c.fit(minibatches(), 3);
        assertArrayEquals(straight.params().toDoubleVector(), second.params().toDoubleVector(), 0.0);
        assertEquals(a.optimizer().state(), c.optimizer().state());

        var e = assertThrows(IllegalArgumentException.class, () -> Dl4jTrainer.of(Networks.network(4,
                org.nd4j.linalg.activations.Activation.RELU, org.nd4j.linalg.activations.Activation.RELU,
                org.nd4j.linalg.activations.Activation.SOFTMAX,
                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT, 3, 5, x -> x.l2(L2).l2Bias(L2)), kfac)
                .resume(file));
        assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
    }

    @Test
    void theTrainedNetworkSavedWithModelSerializerReloadsAndPredictsTheSame(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = network(6);
        Dl4jTrainer.of(net, NaturalGradient.of(Curvatures.fisher()).withStepSize(0.5).withDamping(Damping.fixed(1e-2)))
                .fit(minibatches(), 2);
        DataSet test = Networks.data(30, 4, 3, false, 22);
        double[] predicted = net.output(test.getFeatures()).ravel().toDoubleVector();
        Path file = dir.resolve("net.zip");
        ModelSerializer.writeModel(net, file.toFile(), true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file.toFile());
        assertArrayEquals(net.params().toDoubleVector(), restored.params().toDoubleVector(), 0.0);
        assertArrayEquals(predicted, restored.output(test.getFeatures()).ravel().toDoubleVector(), 0.0);
        assertEquals(2, restored.getEpochCount());
        // and training goes on from the restored network
        Dl4jTrainer.of(restored, LayerwiseNaturalGradient.kfac()).fit(minibatches());
        assertEquals(3, restored.getEpochCount());
    }

    @Test
    void theNetworksRegularizationAndTheConfigurationsPriorMustAgree() {
        MultiLayerNetwork net = network(7);
        var e = assertThrows(IllegalArgumentException.class, () -> Dl4jTrainer.of(net,
                LayerwiseNaturalGradient.kfac().withPrior(new L2Prior(1.0, 1))));
        assertTrue(e.getMessage().contains("set the regularization in one place"), e.getMessage());
        Dl4jTrainer same = Dl4jTrainer.of(net, NaturalGradient.of(Curvatures.fisher())
                .withPrior(new L2Prior(1 / L2, 1)));
        assertEquals(L2, same.model().prior().orElseThrow().precision(50), 1e-18);
        OptimizerFactory custom = model -> NaturalGradient.of(Curvatures.fisher()).build(model);
        e = assertThrows(IllegalArgumentException.class, () -> Dl4jTrainer.of(net, custom));
        assertTrue(e.getMessage().contains("Dl4jModel.prior()"), e.getMessage());
        // without regularization in the network, a prior of the configuration's own is kept
        MultiLayerNetwork plain = Networks.softmax(8);
        Dl4jTrainer.of(plain, LayerwiseNaturalGradient.kfac().withPrior(new L2Prior(1.0, 1)));
        Dl4jTrainer.of(plain, custom);
    }

    @Test
    void maskedMinibatchesAreRefused() {
        Dl4jTrainer trainer = Dl4jTrainer.of(Networks.softmax(9), LayerwiseNaturalGradient.kfac());
        DataSet data = Networks.data(6, 4, 3, false, 23);
        data.setLabelsMaskArray(org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 6, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> trainer.step(data));
        assertTrue(e.getMessage().contains("labels mask"), e.getMessage());
    }
}
