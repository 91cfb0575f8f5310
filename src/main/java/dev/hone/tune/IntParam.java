package dev.hone.tune;

/** An integer in [min, max], searched on a log scale when {@code log}. */
public record IntParam(String name, long min, long max, boolean log, When when) implements Param {

    public IntParam(String name, long min, long max, boolean log) {
        this(name, min, max, log, When.ALWAYS);
    }
}
