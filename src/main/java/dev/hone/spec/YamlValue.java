package dev.hone.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One value of the file under its dotted key, read into Hone's types. A read that fails records a problem at the
 * value's line and column and returns empty, so the caller carries on and the user sees every mistake at once. A
 * value that is absent or YAML null reads as empty with no problem: the caller's default applies.
 */
final class YamlValue {

    private final Node node;
    private final Node keyNode;
    private final Node around;
    /** The dotted path: {@code tune.params.C.min}, {@code notify.on[2]}; empty for the document. */
    private final String key;
    private final String name;
    private final Problems problems;
    private final Interpolation interpolation;
    private Scalar scalar;
    private boolean expanded;
    private Disclosure disclosure = Disclosure.PLAIN;

    private YamlValue(Node node, Node keyNode, Node around, String key, String name, Problems problems,
                      Interpolation interpolation) {
        this.node = node;
        this.keyNode = keyNode;
        this.around = around;
        this.key = key;
        this.name = name;
        this.problems = problems;
        this.interpolation = interpolation;
    }

    /** The whole document; {@code node} is null for an empty file. */
    static YamlValue root(Node node, Problems problems, Interpolation interpolation) {
        return new YamlValue(node, null, node, "", "", problems, interpolation);
    }

    /** The dotted path: {@code repositories[0].url}. */
    String key() {
        return key;
    }

    /** The last segment of the key: a parameter's or a variable's name. */
    String name() {
        return name;
    }

    /** Absent, or written as YAML null ({@code key:}, {@code ~}, a {@code ${VAR:-}} that expands to nothing). */
    boolean isMissing() {
        return node == null || node instanceof ScalarNode && scalar().map(Scalar::isNull).orElse(false);
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    boolean isEmptyList() {
        return node instanceof SequenceNode s && s.getValue().isEmpty();
    }

    /** How much of this value messages may show; set before the value is first read. */
    void disclose(Disclosure disclosure) {
        if (scalar != null || expanded) {
            throw new IllegalStateException(key + " was read before its disclosure was set");
        }
        this.disclosure = disclosure;
    }

    /** Records a problem at this value (or, when absent, at the mapping that should hold it). */
    void problem(String message) {
        problems.add(node != null ? node : around, key, message);
    }

    /** Records a problem at this value's key, for mistakes in the key itself. */
    void problemAtKey(String message) {
        problems.add(keyNode != null ? keyNode : node != null ? node : around, key, message);
    }

    /**
     * How the value reads in a message: {@code "ten"}, {@code 1.5}, {@code a list}. Never a value taken from the
     * environment (its {@code ${VAR}} shows instead), never a secret.
     */
    String got() {
        if (isMissing()) {
            return "nothing";
        }
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s -> disclosure.describe(s.getValue(), scalar().orElse(null), expanded);
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** A mapping with exactly these keys; unknown keys and keys set twice are problems. */
    YamlMapping mapping(List<String> allowed) {
        return mapping(allowed, Map.of());
    }

    /**
     * The same, knowing what other tools call some of the keys ({@code low} for {@code min}): such a key is
     * answered with Hone's name, and the key it stands for is not reported missing as well.
     */
    YamlMapping mapping(List<String> allowed, Map<String, String> otherNames) {
        return YamlMapping.read(this, node, allowed, otherNames,
                "a mapping (keys: " + String.join(", ", allowed) + ")");
    }

    /** A mapping whose keys are names the user chooses, such as parameters or variables. */
    YamlMapping mappingOf(String description) {
        return YamlMapping.read(this, node, null, Map.of(), "a mapping of " + description);
    }

    /**
     * The items of a list, each keyed {@code key[i]}; empty with a problem when this is not a list. An empty item
     * ({@code - } alone, {@code ~}) is a problem and is left out.
     */
    List<YamlValue> items() {
        if (isMissing()) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            problem("must be a list, got " + got());
            return List.of();
        }
        List<YamlValue> items = new ArrayList<>();
        List<Node> nodes = sequence.getValue();
        for (int i = 0; i < nodes.size(); i++) {
            YamlValue item = new YamlValue(nodes.get(i), null, nodes.get(i), key + "[" + i + "]", name, problems,
                    interpolation);
            if (item.isMissing()) {
                item.problem("is empty — give a value or remove the item");
            } else {
                items.add(item);
            }
        }
        return items;
    }

    /** A non-blank string; a number or boolean where text belongs is a problem that suggests quoting it. */
    Optional<String> string() {
        Optional<String> text = read("a string", s -> Optional.of(s.text()).filter(t -> s.isString()),
                s -> expanded ? "" : disclosure.show(((ScalarNode) node).getValue())
                        .map(shown -> " — quote it: " + Scalar.quote(shown)).orElse(" — quote it"));
        if (text.isPresent() && text.get().isBlank()) {
            problem("must not be empty");
            return Optional.empty();
        }
        return text;
    }

    /** Any scalar, as written (after expansion): the value of an environment variable. */
    Optional<String> text() {
        return read("a string, number or boolean", s -> Optional.of(s.text()));
    }

    /**
     * The names of the environment variables this value refers to as written ({@code ${NAME}}); none for a mapping
     * or a list.
     */
    List<String> references() {
        return node instanceof ScalarNode s ? Interpolation.references(s.getValue()) : List.of();
    }

    /** What the environment Hone was given holds under {@code name}; empty when unset or empty. */
    Optional<String> environment(String name) {
        return interpolation.variable(name);
    }

    /** A categorical choice, keeping its YAML type: String, Long, Double or Boolean. */
    Optional<Object> choice() {
        return read("a string, number or boolean", Scalar::plainValue);
    }

    Optional<Long> integer() {
        return read("an integer", Scalar::longValue);
    }

    /** An int in [min, max]; {@code expected} names the range in the message ("a positive integer"). */
    Optional<Integer> intIn(long min, long max, String expected) {
        return read(expected, s -> s.longValue().filter(v -> v >= min && v <= max).map(Long::intValue));
    }

    Optional<Integer> positiveInt() {
        return intIn(1, Integer.MAX_VALUE, "a positive integer");
    }

    /** A finite number, integer or not. */
    Optional<Double> number() {
        return read("a number", Scalar::doubleValue);
    }

    Optional<Boolean> bool() {
        return read("true or false", Scalar::booleanValue);
    }

    Optional<Duration> duration() {
        return parsed("a duration such as " + Units.DURATION_EXAMPLES, Units::duration);
    }

    Optional<Long> size() {
        return parsed("a size such as " + Units.SIZE_EXAMPLES, Units::size);
    }

    /** A string or number that {@code parse} reads; {@code expected} says in a message what it must be. */
    <T> Optional<T> parsed(String expected, Function<String, Optional<T>> parse) {
        return read(expected, s -> s.isStringOrNumber() ? parse.apply(s.text()) : Optional.empty());
    }

    /** One of {@code allowed}, exactly as written there; a near miss gets a "did you mean". */
    Optional<String> oneOf(List<String> allowed) {
        return read("one of " + String.join(" | ", allowed),
                s -> Optional.of(s.text()).filter(t -> s.isString() && allowed.contains(t)),
                s -> Suggestions.closest(s.text(), allowed).map(c -> " — did you mean \"" + c + "\"?").orElse(""));
    }

    /** An enum constant written in lower case with dashes: {@code on-failure} is {@code ON_FAILURE}. */
    <E extends Enum<E>> Optional<E> oneOf(Class<E> type) {
        Map<String, E> byName = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            byName.put(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'), constant);
        }
        return oneOf(List.copyOf(byName.keySet())).map(byName::get);
    }

    /** The value under {@code keyNode} in this mapping. */
    YamlValue child(ScalarNode keyNode, Node valueNode) {
        String childName = keyNode.getValue();
        return new YamlValue(valueNode, keyNode, keyNode, key.isEmpty() ? childName : key + "." + childName,
                childName, problems, interpolation);
    }

    /** The 1-based line of this value's key (or of the value, for list items and the document). */
    int line() {
        Node at = keyNode != null ? keyNode : node != null ? node : around;
        return at == null ? 1 : at.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    /** Records a problem at {@code at}, a part of this value such as one of its keys, under this value's key. */
    void problemAt(Node at, String message) {
        problems.add(at, key, message);
    }

    /** The value of an absent key: reads as missing; its problems point at the mapping that should hold it. */
    YamlValue absent(String childName) {
        String childKey = key.isEmpty() ? childName : key + "." + childName;
        return new YamlValue(null, null, keyNode != null ? keyNode : node, childKey, childName, problems,
                interpolation);
    }

    private <T> Optional<T> read(String expected, Function<Scalar, Optional<T>> convert) {
        return read(expected, convert, s -> "");
    }

    private <T> Optional<T> read(String expected, Function<Scalar, Optional<T>> convert,
                                 Function<Scalar, String> hint) {
        if (isMissing() || node instanceof ScalarNode && scalar().isEmpty()) {
            return Optional.empty();
        }
        Optional<Scalar> s = scalar();
        Optional<T> value = s.flatMap(convert);
        if (value.isEmpty()) {
            problem("must be " + expected + ", got " + got() + s.map(hint).orElse(""));
        }
        return value;
    }

    /** The scalar after {@code ${VAR}} expansion; empty for collections and when expansion failed. */
    private Optional<Scalar> scalar() {
        if (scalar == null && !expanded && node instanceof ScalarNode s) {
            if (Interpolation.mentions(s.getValue())) {
                expanded = true;
                scalar = interpolation.expand(s.getValue(), disclosure, this::problem).map(Scalar::expanded)
                        .orElse(null);
            } else {
                scalar = Scalar.of(s);
            }
        }
        return Optional.ofNullable(scalar);
    }
}
