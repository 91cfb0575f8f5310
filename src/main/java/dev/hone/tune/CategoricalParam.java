package dev.hone.tune;

import java.util.List;

/** One of a list of choices; they keep their YAML types: String, Long, Double or Boolean. */
public record CategoricalParam(String name, List<Object> choices, When when) implements Param {

    public CategoricalParam(String name, List<Object> choices) {
        this(name, choices, When.ALWAYS);
    }
}
