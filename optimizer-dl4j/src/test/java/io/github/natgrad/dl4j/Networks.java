package io.github.natgrad.dl4j;

import java.util.function.UnaryOperator;
import org.apache.commons.math3.random.Well19937c;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small seeded DL4J networks and data sets for the adapter's tests. */
final class Networks {
    private Networks() {
    }

    /** A double-precision configuration builder with seeded Xavier weights. */
    static NeuralNetConfiguration.Builder builder(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .updater(new Sgd(0.1));
    }

    /** in-5-4-K with the given hidden activations, output activation and loss; {@code edit} adjusts the builder. */
    static MultiLayerNetwork network(int in, Activation first, Activation second, Activation out, LossFunction loss,
            int k, long seed, UnaryOperator<NeuralNetConfiguration.Builder> edit) {
        MultiLayerConfiguration conf = edit.apply(builder(seed)).list()
                .layer(new DenseLayer.Builder().nIn(in).nOut(5).activation(first).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(second).build())
                .layer(new OutputLayer.Builder(loss).nIn(4).nOut(k).activation(out).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A 3-class softmax network with relu and tanh hidden layers. */
    static MultiLayerNetwork softmax(long seed) {
        return network(4, Activation.RELU, Activation.TANH, Activation.SOFTMAX, LossFunction.MCXENT, 3, seed, b -> b);
    }

    /** Random parameters (biases non-zero too), written into the network. */
    static double[] randomize(MultiLayerNetwork net, long seed, double scale) {
        Well19937c random = new Well19937c(seed);
        double[] theta = new double[(int) net.numParams()];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = scale * random.nextGaussian();
        }
        net.params().assign(Nd4j.createFromArray(theta).reshape(net.params().shape()));
        return theta;
    }

    /**
     * n examples of {@code in} standard-normal features; labels one-hot over k classes (k ≥ 2), 0/1 (k = 1,
     * {@code binary}) or real (k = 1, not binary), from a seeded stream.
     */
    static DataSet data(int n, int in, int k, boolean binary, long seed) {
        Well19937c random = new Well19937c(seed);
        double[][] x = new double[n][in];
        double[][] y = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < in; j++) {
                x[i][j] = random.nextGaussian();
            }
            if (k >= 2) {
                // a learnable rule: the class of the largest of the first k features (ties impossible)
                int best = 0;
                for (int c = 1; c < Math.min(k, in); c++) {
                    best = x[i][c] > x[i][best] ? c : best;
                }
                y[i][best] = 1.0;
            } else if (binary) {
                y[i][0] = x[i][0] + 0.5 * x[i][1] > 0 ? 1.0 : 0.0;
            } else {
                y[i][0] = Math.sin(x[i][0]) + 0.1 * random.nextGaussian();
            }
        }
        INDArray features = Nd4j.createFromArray(x);
        INDArray labels = Nd4j.createFromArray(y);
        return new DataSet(features, labels);
    }
}
