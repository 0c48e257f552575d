package io.github.natgrad.curvature;

/**
 * A curvature kind estimated from labels sampled from the model ({@link Curvatures#monteCarloFisher}):
 * how many labels per example and the seed of the stream, for optimizers that draw the labels themselves
 * (the layer-wise structures backpropagate one sampled label per example).
 */
public interface SampledCurvature {

    /** Labels drawn per example. */
    int samples();

    /** The seed of the label stream. */
    long seed();
}
