package io.github.natgrad.bench.ablate;

import java.io.Serializable;

/**
 * A unit of work an engine hands to one thread (or one Spark task): the runs of one grid group (every
 * damping of one problem and kind at a fixed block of step sizes, advanced together by {@link GridPath})
 * or a single run.
 *
 * @param id   the task's number in the plan
 * @param runs the run indices, in grid order
 * @param grid whether the runs go through the grid fast path together
 */
public record Task(int id, int[] runs, boolean grid) implements Serializable {
    private static final long serialVersionUID = 1L;
}
