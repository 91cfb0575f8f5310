package dev.hone.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parameter's {@code when:}: the parameter is active only in a parameter set where every named parent (a
 * categorical parameter) is itself active and has one of the listed values ({@code momentum: {…, when: {optimizer:
 * sgd}}}). An inactive parameter is absent from the parameter set, not given a dummy value. {@link #ALWAYS}: no
 * condition.
 *
 * @param parents parent name → the values for which the parameter is active, in the file's order
 */
public record When(Map<String, List<Object>> parents) {

    /** No condition: the parameter is always active. */
    public static final When ALWAYS = new When(Map.of());

    public When {
        Map<String, List<Object>> copy = new LinkedHashMap<>();
        parents.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        parents = Collections.unmodifiableMap(copy);
    }

    /** Whether the parameter is always active. */
    public boolean always() {
        return parents.isEmpty();
    }

    /** Whether the condition holds for {@code set}, whose parameters are the active ones. */
    public boolean holds(Map<String, Object> set) {
        for (Map.Entry<String, List<Object>> e : parents.entrySet()) {
            Object value = set.get(e.getKey());
            if (value == null || e.getValue().stream().noneMatch(v -> same(v, value))) {
                return false;
            }
        }
        return true;
    }

    /** Whether two choices are the same: numbers by value (3 is 3.0), booleans and strings by equals. */
    static boolean same(Object a, Object b) {
        return a.equals(b) || a instanceof Number x && b instanceof Number y && !(a instanceof Boolean)
                && x.doubleValue() == y.doubleValue();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        parents.forEach((name, values) -> s.append(s.isEmpty() ? "" : ", ").append(name).append(": ")
                .append(values.size() == 1 ? String.valueOf(values.getFirst()) : values.toString()));
        return "{" + s + "}";
    }
}
