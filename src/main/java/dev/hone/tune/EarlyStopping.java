package dev.hone.tune;

/** {@code tune.early_stopping}: the rule of {@link Pruners} and the steps every trial runs before it may be stopped. */
public record EarlyStopping(Rule rule, int minSteps) {

    public enum Rule { MEDIAN, ASHA }
}
