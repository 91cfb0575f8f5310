package dev.hone.tune;

/** A declared parameter of the search space ({@code tune.params}); {@code spec} reads them from hone.yaml. */
public sealed interface Param permits FloatParam, IntParam, CategoricalParam {
    String name();

    /** When the parameter is active ({@code when:}); {@link When#ALWAYS} for most. */
    When when();
}
