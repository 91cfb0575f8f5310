package dev.hone.tune;

/** A real number in [min, max], searched on a log scale when {@code log}. */
public record FloatParam(String name, double min, double max, boolean log, When when) implements Param {

    public FloatParam(String name, double min, double max, boolean log) {
        this(name, min, max, log, When.ALWAYS);
    }
}
