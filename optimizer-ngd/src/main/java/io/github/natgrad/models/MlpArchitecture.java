package io.github.natgrad.models;

import io.github.natgrad.Checks;

/**
 * A multilayer perceptron's shape: the layer widths n_0 (inputs), n_1 … n_L (hidden), n_{L+1} = K (outputs),
 * the activation of each hidden layer, and θ's layout — per layer l the weights W_l (row-major
 * n_{l+1} × n_l) at {@link #weightOffset(int)}, then the biases b_l — plus the packed layout of one example's
 * hidden pre-activations (hidden layer l at {@link #hiddenOffset(int)} of {@link #hiddenTotal()}) that the
 * per-example passes use. Immutable; validated when built.
 */
final class MlpArchitecture {
    /** The widths n_0 … n_{L+1}. */
    final int[] sizes;
    /** The activation of hidden layer l at index l − 1. */
    private final Activation[] activations;
    /** The offset in θ of W_l, per layer (L + 1 layers of weights). */
    final int[] weightOffset;
    /** D. */
    final int parameters;
    /** Offset of hidden layer l (1..L) within an example's block of hidden pre-activations. */
    final int[] hiddenOffset;
    /** The width of that block, n_1 + … + n_L. */
    final int hiddenTotal;
    /** The widest layer (inputs and outputs included). */
    final int widest;

    MlpArchitecture(int inputs, int[] hidden, Activation[] activations, int outputs) {
        Checks.atLeastOne(inputs, "input columns");
        if (activations.length != hidden.length) {
            throw new IllegalArgumentException("one activation per hidden layer: " + hidden.length
                    + " hidden layers but " + activations.length + " activations");
        }
        for (int l = 0; l < activations.length; l++) {
            Checks.notNull(activations[l], "activation of hidden layer " + (l + 1));
        }
        this.activations = activations;
        sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        for (int l = 0; l < hidden.length; l++) {
            sizes[l + 1] = Checks.atLeastOne(hidden[l], "units of hidden layer " + (l + 1));
        }
        sizes[hidden.length + 1] = outputs;
        weightOffset = new int[hidden.length + 1];
        long count = 0;
        for (int l = 0; l <= hidden.length; l++) {
            weightOffset[l] = (int) count;
            count += (long) sizes[l + 1] * (sizes[l] + 1);
        }
        if (count > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("the network has " + count + " parameters, too many for one array");
        }
        parameters = (int) count;
        hiddenOffset = new int[sizes.length];
        int total = 0;
        int wide = 0;
        for (int l = 1; l < sizes.length - 1; l++) {
            hiddenOffset[l] = total;
            total += sizes[l];
        }
        for (int s : sizes) {
            wide = Math.max(wide, s);
        }
        hiddenTotal = total;
        widest = wide;
    }

    /** The number of weight layers L + 1. */
    int layers() {
        return weightOffset.length;
    }

    /** K, the width of the output layer. */
    int outputs() {
        return sizes[sizes.length - 1];
    }

    /** σ of hidden layer l (1 = the first hidden layer). */
    Activation sigma(int l) {
        return activations[l - 1];
    }

    /** The activations of the hidden layers (shared: not to be changed). */
    Activation[] activations() {
        return activations;
    }
}
