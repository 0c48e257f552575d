package io.github.natgrad.dl4j;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.StepReport;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.optim.Adam;
import io.github.natgrad.optim.MomentumSgd;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.training.Checkpoint;
import io.github.natgrad.training.DataSetIterators;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.DoublePointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains a Deeplearning4j {@link MultiLayerNetwork} with any natgrad optimizer — natural gradient with any
 * curvature kind, K-FAC and the other layer-wise structures, natgrad's Adam or SGD — in place of
 * {@code net.fit}: each step reads θ from the network's flattened parameter view, takes the natgrad step on
 * the minibatch and writes θ back, so {@code net.output}, {@code net.evaluate}, {@code ModelSerializer} and
 * the network's own {@link TrainingListener}s keep working on the same object. The network's DL4J updater
 * (Adam, SGD, …) is not used.
 *
 * <pre>{@code
 * Dl4jTrainer trainer = Dl4jTrainer.of(net, LayerwiseNaturalGradient.kfac().withStepSize(0.1));
 * trainer.fit(trainIterator, 3);                         // like net.fit(trainIterator, 3)
 * Evaluation eval = net.evaluate(testIterator);
 * }</pre>
 *
 * <p>Everything natgrad's optimizers offer works through {@link #optimizer()}: damping policies, step
 * rejection, step-size schedules ({@code setSchedule}), natgrad's step listeners ({@code addListener}) and
 * {@link io.github.natgrad.OptimizerState} checkpoints, which {@link #saveCheckpoint} and
 * {@link #resume} write and read together with θ and the epoch count (a resumed run on the same minibatches
 * continues bit for bit).
 *
 * <p>The network's L2 regularization becomes the optimizer's {@link L2Prior} ({@link Dl4jModel#prior()}):
 * the trainer adds it to a {@link NaturalGradient}, {@link LayerwiseNaturalGradient}, {@link Adam} or
 * {@link MomentumSgd} configuration, and refuses a configuration with a different prior of its own, or one
 * of another type (which it cannot give a prior), when the network is regularized.
 *
 * <p>DL4J listeners see, after every step, {@code iterationDone(net, iteration, epoch)} with
 * {@code net.score()} set to natgrad's objective on the minibatch before the step, and
 * {@code onEpochStart}/{@code onEpochEnd} around each epoch of {@link #fit(DataSetIterator)}; the network's
 * iteration and epoch counts advance as under {@code net.fit}. Not thread-safe: one trainer per run.
 */
public final class Dl4jTrainer {
    private final Dl4jModel model;
    private final Optimizer optimizer;
    /** θ, read from and written back to the network on every step (reused: no allocation per step). */
    private final double[] theta;
    /** The minibatch's features, reused from step to step when their size repeats. */
    private double[] features = new double[0];

    private Dl4jTrainer(Dl4jModel model, Optimizer optimizer) {
        this.model = model;
        this.optimizer = optimizer;
        this.theta = new double[model.parameterCount()];
    }

    /**
     * A trainer of {@code network} by the optimizer {@code configuration} builds for it.
     *
     * @throws IllegalArgumentException if the network has something natgrad cannot train (the message names
     *                                  the layer, see {@link Dl4jModel#of}), the configuration needs what the
     *                                  network cannot give, or the network's regularization and the
     *                                  configuration's prior disagree
     */
    public static Dl4jTrainer of(MultiLayerNetwork network, OptimizerFactory configuration) {
        Dl4jModel model = Dl4jModel.of(network);
        Checks.notNull(configuration, "optimizer configuration");
        return new Dl4jTrainer(model, withNetworkPrior(model, configuration).build(model));
    }

    /** The configuration with the network's prior added, or refused when they disagree. */
    static OptimizerFactory withNetworkPrior(Dl4jModel model, OptimizerFactory configuration) {
        Optional<L2Prior> prior = model.prior();
        if (prior.isEmpty()) {
            return configuration;
        }
        L2Prior p = prior.get();
        Optional<L2Prior> own;
        OptimizerFactory with;
        if (configuration instanceof NaturalGradient ng) {
            own = ng.prior();
            with = ng.withPrior(p);
        } else if (configuration instanceof LayerwiseNaturalGradient lw) {
            own = lw.prior();
            with = lw.withPrior(p);
        } else if (configuration instanceof Adam adam) {
            own = adam.prior();
            with = adam.withPrior(p);
        } else if (configuration instanceof MomentumSgd sgd) {
            own = sgd.prior();
            with = sgd.withPrior(p);
        } else {
            throw new IllegalArgumentException("the network is regularized (" + model.describe() + "), which natgrad "
                    + "maps to an L2 prior, but the configuration " + configuration + " is not one the trainer can "
                    + "give a prior (NaturalGradient, LayerwiseNaturalGradient, Adam, MomentumSgd): remove the "
                    + "network's L2, or build the optimizer yourself with the prior Dl4jModel.prior() gives");
        }
        if (own.isPresent() && !samePrecisions(own.get(), p, model)) {
            throw new IllegalArgumentException("the configuration has its own prior " + own.get() + " of precision "
                    + describePrecision(own.get()) + " but the network's L2 coefficients map to precision "
                    + describePrecision(p) + ": set the regularization in one place (the network's .l2/.l2Bias, or "
                    + "withPrior)");
        }
        return with;
    }

    /** Whether two priors give every parameter the same precision (at N = 1, to 1e-12 relative). */
    private static boolean samePrecisions(L2Prior a, L2Prior b, Dl4jModel model) {
        if (a.isotropic() && b.isotropic()) {
            return a.precision(1) == b.precision(1);
        }
        int d = model.parameterCount();
        a.requireParameters(d, model.describe());
        double[] pa = a.precisions(1, d);
        double[] pb = b.precisions(1, d);
        for (int j = 0; j < d; j++) {
            if (Math.abs(pa[j] - pb[j]) > 1e-12 * Math.max(Math.abs(pa[j]), Math.abs(pb[j]))) {
                return false;
            }
        }
        return true;
    }

    private static String describePrecision(L2Prior p) {
        return p.isotropic() ? String.valueOf(p.precision(1)) : "per parameter " + p;
    }

    /** The adapter this trainer steps. */
    public Dl4jModel model() {
        return model;
    }

    /** The network being trained. */
    public MultiLayerNetwork network() {
        return model.network();
    }

    /**
     * The natgrad optimizer: add step listeners, set a schedule, take or restore its
     * {@link Optimizer#state() state} here.
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * One step on a minibatch (features N × p, labels one-hot N × K or one column N × 1), then the DL4J
     * listeners' {@code iterationDone}. The network's parameters change only when the step is taken
     * ({@link StepReport#stepped()}).
     */
    public StepReport step(DataSet minibatch) {
        Checks.notNull(minibatch, "minibatch");
        if (minibatch.getFeaturesMaskArray() != null || minibatch.getLabelsMaskArray() != null) {
            throw new IllegalArgumentException("the minibatch has a " + (minibatch.getFeaturesMaskArray() != null
                    ? "features" : "labels") + " mask; natgrad weights every example and output alike: remove the "
                    + "masks (they are meant for sequences, which natgrad's dense layers do not take)");
        }
        return step(toBatch(minibatch));
    }

    /**
     * The minibatch as a natgrad batch. Double-precision N × p features that are their whole buffer (what DL4J's
     * iterators give) are copied into an array reused from step to step, so a step allocates nothing of the
     * batch's size; anything else goes through {@link DataSetIterators#toBatch}.
     */
    private Batch toBatch(DataSet minibatch) {
        INDArray x = minibatch.getFeatures();
        INDArray y = minibatch.getLabels();
        if (x == null || y == null || x.rank() != 2 || x.dataType() != DataType.DOUBLE || x.ordering() != 'c'
                || x.offset() != 0 || x.elementWiseStride() != 1 || x.data().length() != x.length()
                || y.size(0) != x.size(0)) {
            return DataSetIterators.toBatch(minibatch);
        }
        int n = Math.toIntExact(x.size(0));
        int p = Math.toIntExact(x.size(1));
        if (features.length != n * p) {
            features = new double[n * p];
        }
        ((DoublePointer) x.data().addressPointer()).get(features);
        return Batch.wrap(features, DataSetIterators.labels(y), n, p);
    }

    /** One step on a natgrad batch, as {@link #step(DataSet)}. */
    public StepReport step(Batch batch) {
        MultiLayerNetwork net = model.network();
        model.parameters(theta);
        StepReport report = optimizer.step(theta, batch);
        if (report.stepped()) {
            model.setParameters(theta);
        }
        net.setScore(report.loss());
        int iteration = net.getIterationCount();
        for (TrainingListener listener : listeners()) {
            listener.iterationDone(net, iteration, net.getEpochCount());
        }
        net.setIterationCount(iteration + 1);
        return report;
    }

    /**
     * One epoch: a {@link #step(DataSet)} on every minibatch of {@code data} (reset first when it supports it), between the DL4J
     * listeners' {@code onEpochStart} and {@code onEpochEnd}; the network's epoch count advances by one.
     *
     * @return the reports of the epoch's steps
     */
    public List<StepReport> fit(DataSetIterator data) {
        Checks.notNull(data, "data");
        MultiLayerNetwork net = model.network();
        for (TrainingListener listener : listeners()) {
            listener.onEpochStart(net);
        }
        List<StepReport> reports = new ArrayList<>();
        if (data.resetSupported()) {
            data.reset();
        }
        while (data.hasNext()) {
            reports.add(step(data.next()));
        }
        for (TrainingListener listener : listeners()) {
            listener.onEpochEnd(net);
        }
        net.incrementEpochCount();
        return reports;
    }

    /** {@code epochs} epochs of {@link #fit(DataSetIterator)}; the reports of every step. */
    public List<StepReport> fit(DataSetIterator data, int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        List<StepReport> reports = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            reports.addAll(fit(data));
        }
        return reports;
    }

    /**
     * Writes a natgrad {@link Checkpoint} (θ, the network's epoch count and the optimizer's state) atomically;
     * {@link #resume} in a new process continues the run bit for bit on the same minibatches.
     */
    public void saveCheckpoint(Path file) throws IOException {
        Checkpoint.save(file, model, model.parameters(), model.network().getEpochCount(), optimizer);
    }

    /**
     * Restores θ into the network, the epoch count and the optimizer's state from a checkpoint written by
     * {@link #saveCheckpoint} for the same architecture and optimizer configuration.
     *
     * @return the number of epochs completed
     * @throws IOException              if the file is unreadable or not a checkpoint
     * @throws IllegalArgumentException if it belongs to another model or configuration (the message says which)
     */
    public int resume(Path file) throws IOException {
        Checkpoint c = Checkpoint.load(file, model);
        optimizer.restore(c.optimizerState());
        model.setParameters(c.theta());
        model.network().setEpochCount(c.epochs());
        return c.epochs();
    }

    private List<TrainingListener> listeners() {
        var all = model.network().getListeners();
        return all == null ? List.of() : new ArrayList<>(all);
    }
}
