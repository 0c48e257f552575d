package io.github.natgrad.datasets;

import io.github.natgrad.Batch;

/**
 * A dataset as the registry ({@link Datasets}) gives it: its name, the examples, and what the labels are.
 * Inputs are as read or generated (no bias column, no normalisation).
 *
 * @param name    the registry name it was loaded by, e.g. {@code a1a}
 * @param batch   the inputs and labels
 * @param classes 0 for real-valued labels, else the number of classes (labels 0…classes−1)
 */
public record Dataset(String name, Batch batch, int classes) {
}
