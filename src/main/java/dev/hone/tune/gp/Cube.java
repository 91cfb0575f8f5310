package dev.hone.tune.gp;

import java.util.SplittableRandom;

/**
 * The unit cube a search space is modelled on, as {@link AcquisitionSearch} moves through it: each parameter is one
 * coordinate, or a block of one-hot coordinates (a categorical); {@link #snap} keeps points on parameter sets that
 * can be run.
 */
public interface Cube {

    /** The number of coordinates. */
    int dims();

    /** The number of parameters. */
    int parameters();

    /** Where parameter {@code i}'s coordinates start. */
    int offset(int i);

    /** A categorical parameter's number of choices (its one-hot block's width); 0 for a numeric one. */
    int choices(int i);

    /** A uniformly random point, snapped. */
    double[] random(SplittableRandom random);

    /** Moves {@code u} in place onto the nearest point that can be run. */
    void snap(double[] u);
}
