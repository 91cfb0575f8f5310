package dev.hone.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hone.spec.InvalidSpecException;
import dev.hone.spec.Spec;
import dev.hone.spec.Suggestions;
import dev.hone.tune.Param;
import dev.hone.tune.ParamChange;
import dev.hone.tune.SearchSpaceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A run made again from run {@code of}'s commit, its search space with {@code changes} (none: the same parameters).
 * Asked for as {@code POST /api/runs/{id}/rerun {"set": {"lr": 0.01, "depth": {"min": 2, "max": 8}, "kernel": [...]}}}
 * — each value written as hone.yaml writes a parameter —, checked against run {@code of}'s hone.yaml then, kept on
 * the new run ({@code runs.rerun}, JSON) and applied when it starts.
 */
public record Rerun(long of, List<ParamChange> changes) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EXAMPLE = "{\"set\": {\"lr\": 0.01}}";

    public Rerun {
        changes = List.copyOf(changes);
    }

    /**
     * The changes a request's {@code set} asks for (null: none).
     *
     * @throws IllegalArgumentException saying what is malformed and how to write it
     */
    public static Rerun of(long of, JsonNode set) {
        if (set == null || set.isNull()) {
            return new Rerun(of, List.of());
        }
        if (!set.isObject()) {
            throw new IllegalArgumentException("set must be an object of parameter names and values, e.g. " + EXAMPLE
                    + ", got " + set);
        }
        List<ParamChange> changes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : set.properties()) {
            changes.add(change(e.getKey(), e.getValue()));
        }
        return new Rerun(of, changes);
    }

    /**
     * This run's changes, then {@code later}'s (a parameter changed by both as {@code later} says): what a re-run of
     * this re-run searches, so that it keeps what this one changed.
     */
    public Rerun then(Rerun later) {
        List<ParamChange> all = new ArrayList<>();
        List<String> again = later.changes.stream().map(ParamChange::name).toList();
        changes.stream().filter(c -> !again.contains(c.name())).forEach(all::add);
        all.addAll(later.changes);
        return new Rerun(later.of, all);
    }

    /** What {@link #json} wrote. */
    public static Rerun read(String json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            return of(tree.path("of").asLong(), tree.get("set"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored re-run is not what Hone writes: " + json, e);
        }
    }

    public String json() {
        ObjectNode body = MAPPER.createObjectNode().put("of", of);
        ObjectNode set = body.putObject("set");
        for (ParamChange change : changes) {
            switch (change) {
                case ParamChange.Fixed f -> set.set(f.name(), MAPPER.valueToTree(f.value()));
                case ParamChange.Range r -> set.putObject(r.name()).put("min", r.min()).put("max", r.max());
                case ParamChange.Choices c -> set.set(c.name(), MAPPER.valueToTree(c.choices()));
            }
        }
        return body.toString();
    }

    /** {@code re-run of run 12 with lr = 0.01}; {@code re-run of run 12} with the same parameters. */
    public String text() {
        return "re-run of run " + of + (changes.isEmpty() ? ""
                : " with " + changes.stream().map(ParamChange::text).collect(Collectors.joining(", ")));
    }

    /**
     * {@code spec} with the changed parameters in place of those it declares.
     *
     * @throws InvalidSpecException naming the parameter, what is wrong with the change and what to give instead
     */
    public Spec apply(Spec spec) {
        if (changes.isEmpty()) {
            return spec;
        }
        List<Param> declared = spec.tune().params();
        List<String> names = declared.stream().map(Param::name).toList();
        List<Param> params = new ArrayList<>(declared);
        for (ParamChange change : changes) {
            int at = names.indexOf(change.name());
            if (at < 0) {
                throw problem(declared.isEmpty()
                        ? "run " + of + " tunes no parameters (its hone.yaml has no tune.params): re-run it without "
                                + "changes"
                        : "tune.params has no parameter \"" + change.name() + "\""
                                + Suggestions.hint(change.name(), names, "its parameters"));
            }
            try {
                params.set(at, change.applyTo(declared.get(at)));
            } catch (SearchSpaceException e) {
                throw problem(e.getMessage());
            }
        }
        return Overrides.withParams(spec, params);
    }

    private InvalidSpecException problem(String message) {
        return InvalidSpecException.of("re-run of run " + of, "", message);
    }

    private static ParamChange change(String name, JsonNode value) {
        if (value.isObject()) {
            List<String> keys = new ArrayList<>();
            value.fieldNames().forEachRemaining(keys::add);
            if (!keys.equals(List.of("min", "max")) && !keys.equals(List.of("max", "min"))
                    || !value.get("min").isNumber() || !value.get("max").isNumber()) {
                throw new IllegalArgumentException("set." + name + ": a new range is {\"min\": NUMBER, \"max\": "
                        + "NUMBER}, got " + value);
            }
            return new ParamChange.Range(name, value.get("min").asDouble(), value.get("max").asDouble());
        }
        if (value.isArray()) {
            List<Object> choices = new ArrayList<>();
            for (JsonNode item : (ArrayNode) value) {
                choices.add(scalar(name, item));
            }
            return new ParamChange.Choices(name, choices);
        }
        return new ParamChange.Fixed(name, scalar(name, value));
    }

    private static Object scalar(String name, JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isNumber() && Double.isFinite(value.asDouble())) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        throw new IllegalArgumentException("set." + name + ": give a value (a number, a string or true/false), a "
                + "new range {\"min\": …, \"max\": …} or a list of choices, got " + value);
    }
}
