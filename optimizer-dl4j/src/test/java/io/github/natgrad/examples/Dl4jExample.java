package io.github.natgrad.examples;

import io.github.natgrad.dl4j.Dl4jTrainer;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import java.io.File;
import java.io.IOException;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A Deeplearning4j network trained by natgrad's K-FAC instead of net.fit, then evaluated and saved by DL4J. */
public final class Dl4jExample {

    public static void main(String[] args) throws IOException {
        train(data(3000, 1), data(1000, 2), new File("network.zip"));
    }

    /** Trains a 20-32-3 ReLU network for 5 epochs on {@code train}; its evaluation on {@code test}. */
    public static Evaluation train(DataSetIterator train, DataSetIterator test, File saveTo) throws IOException {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.DOUBLE)                          // natgrad computes in double
                .weightInit(WeightInit.RELU)
                .l2(1e-4).l2Bias(1e-4)                              // becomes natgrad's L2 prior
                .list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(32).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setListeners(new ScoreIterationListener(30));          // DL4J's listeners keep working

        Dl4jTrainer kfac = Dl4jTrainer.of(net,                     // refuses layers it cannot train
                LayerwiseNaturalGradient.kfac().withStepSize(0.2).withDamping(1e-2));
        kfac.fit(train, 5);                                         // instead of net.fit(train, 5)

        Evaluation evaluation = net.evaluate(test);                 // the same network object
        System.out.println(evaluation.stats());
        ModelSerializer.writeModel(net, saveTo, false);
        return evaluation;
    }

    /** n seeded examples (20 inputs, 3 classes from a fixed random teacher) in minibatches of 100. */
    public static DataSetIterator data(int n, long seed) {
        Nd4j.getRandom().setSeed(7);
        INDArray hidden = Nd4j.randn(DataType.DOUBLE, 20, 20);
        INDArray out = Nd4j.randn(DataType.DOUBLE, 20, 3);
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, 20).subi(0.5);
        INDArray classes = Transforms.sin(x.mmul(hidden)).mmul(out).argMax(1);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, n, 3);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, classes.getInt(i), 1.0);            // one-hot, as DL4J's iterators give
        }
        return new ListDataSetIterator<>(new DataSet(x, labels).asList(), 100);
    }
}
