package io.github.natgrad.bench.train;

import io.github.natgrad.Batch;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.StepReport;
import io.github.natgrad.training.Checkpoint;
import io.github.natgrad.training.Evaluation;
import io.github.natgrad.training.Minibatches;
import io.github.natgrad.training.TrainStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The epoch loop the network commands share: seeded minibatches, one optimizer step each, then the test
 * loss and accuracy, the cumulative training seconds (evaluation excluded) and, if asked, a checkpoint.
 */
public final class NetworkRun {

    /**
     * One epoch's trace.
     *
     * @param epoch        epochs completed (from 1)
     * @param trainLoss    the mean of the minibatch losses during the epoch (before each step)
     * @param testLoss     the mean test loss after the epoch
     * @param testAccuracy the test accuracy after the epoch
     * @param seconds      training wall-clock seconds since the run began (evaluation excluded)
     */
    public record Epoch(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds) {
        /** The CSV header of {@link #csv()}. */
        public static final String HEADER = "epoch,train_loss,test_loss,test_accuracy,seconds";

        /** One CSV line. */
        public String csv() {
            return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.4f,%.3f", epoch, trainLoss, testLoss, testAccuracy,
                    seconds);
        }

        /** Parses a line of {@link #csv()}. */
        public static Epoch parse(String line) {
            String[] f = line.split(",");
            return new Epoch(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]));
        }
    }

    /**
     * A run that cannot go on: a step diverged ({@link TrainStatus#DIVERGED}: not finite, or a minibatch loss
     * above {@link #DIVERGENCE_FACTOR} × the first step's) or no step of a whole epoch
     * was taken ({@link TrainStatus#ALL_STEPS_REJECTED}). The epochs before it are in the trace and the
     * last checkpoint.
     */
    public static final class Stopped extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final transient TrainStatus status;

        Stopped(TrainStatus status, String message) {
            super(message);
            this.status = status;
        }

        /** Why the run stopped. */
        public TrainStatus status() {
            return status;
        }
    }

    /** A step whose minibatch loss exceeds this factor × the first step's loss (of this call) has diverged. */
    public static final double DIVERGENCE_FACTOR = 100;

    private NetworkRun() {
    }

    /**
     * Trains from epoch {@code start} (epochs completed) to {@code epochs}, θ in place.
     *
     * @param secondsBefore training seconds of the epochs before {@code start}
     * @param checkpoint    a file to checkpoint to after each epoch, or null
     * @param each          told every epoch's trace as it completes
     * @throws Stopped when a step diverged (loss, gradient or direction not finite, or a minibatch loss above
     *                {@link #DIVERGENCE_FACTOR} × the first step's) or no step of an epoch was taken
     */
    public static List<Epoch> train(Model model, Optimizer optimizer, double[] theta, Batch train, Batch test,
            int batchSize, long seed, int start, int epochs, double secondsBefore, Path checkpoint,
            Consumer<Epoch> each) {
        return train(model, optimizer, theta, train, test, batchSize, seed, start, epochs, secondsBefore, checkpoint,
                each, row -> false);
    }

    /** {@link #train} that stops early after the first epoch for which {@code stop} holds. */
    public static List<Epoch> train(Model model, Optimizer optimizer, double[] theta, Batch train, Batch test,
            int batchSize, long seed, int start, int epochs, double secondsBefore, Path checkpoint,
            Consumer<Epoch> each, java.util.function.Predicate<Epoch> stop) {
        List<Epoch> trace = new ArrayList<>();
        double seconds = secondsBefore;
        double firstLoss = Double.NaN;
        for (int e = start; e < epochs; e++) {
            long t0 = System.nanoTime();
            double lossSum = 0;
            long count = 0;
            int steps = 0;
            int stepped = 0;
            StepReport last = null;
            for (Batch b : Minibatches.epoch(train, batchSize, seed, e)) {
                StepReport r = optimizer.step(theta, b);
                lossSum += r.loss() * b.rows();
                count += b.rows();
                steps++;
                stepped += r.stepped() ? 1 : 0;
                last = r;
                if (r.diverged()) {
                    throw new Stopped(TrainStatus.DIVERGED, "diverged at epoch " + (e + 1) + ", step " + r.step()
                            + ": loss " + r.loss() + ", |g| " + r.gradientNorm() + " (" + r.dampingAction()
                            + "); lower the step size or raise the damping");
                }
                if (Double.isNaN(firstLoss)) {
                    firstLoss = r.loss();
                } else if (r.loss() > DIVERGENCE_FACTOR * firstLoss) {
                    throw new Stopped(TrainStatus.DIVERGED, String.format(java.util.Locale.ROOT, "diverged at epoch %d, "
                            + "step %d: minibatch loss %.6g rose above %.0fx the first step's %.6g; lower the step size "
                            + "or raise the damping", e + 1, r.step(), r.loss(), DIVERGENCE_FACTOR, firstLoss));
                }
            }
            if (stepped == 0) {
                throw new Stopped(TrainStatus.ALL_STEPS_REJECTED, "no step of epoch " + (e + 1) + " was taken ("
                        + steps + " minibatches; the last: " + last.dampingAction() + "); raise the damping");
            }
            seconds += (System.nanoTime() - t0) / 1e9;
            Evaluation ev = Evaluation.of(model, theta, test);
            Epoch row = new Epoch(e + 1, lossSum / count, ev.loss(), ev.accuracy(), seconds);
            trace.add(row);
            if (checkpoint != null) {
                try {
                    Checkpoint.save(checkpoint, model, theta, e + 1, optimizer);
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot write checkpoint " + checkpoint + ": " + ex.getMessage(), ex);
                }
            }
            each.accept(row);
            if (stop.test(row)) {
                break;
            }
        }
        return trace;
    }
}
