package dev.hone.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * {@code HONE_<PATH>} variables over {@code hone-server.yaml}: each key of {@link ServerKeys} is set by the variable
 * named by its path in upper case joined with {@code _} ({@code HONE_LIMITS_RUNS_PER_PROJECT}); the items of
 * {@code repositories} by their index from 0 ({@code HONE_REPOSITORIES_0_URL}: the file's first repository, or, one
 * past the file's last, a new one); a list of words as a comma-separated list ({@code HONE_RETENTION_KEEP=best,served}).
 * A variable's value is taken as written (no {@code ${VAR}}) and read as if the file said it, so it is checked the
 * same way, its problems naming the variable. An empty variable is not set. A variable under a section that names no
 * key ({@code HONE_LIMITS_RUN}) is a problem with the nearest name; other {@code HONE_*} variables are not settings.
 */
final class EnvOverrides {

    private static final Pattern NUMBER = Pattern.compile("[0-9]+");
    private static final ScalarResolver RESOLVER = new CoreSchema().getScalarResolver();

    private EnvOverrides() {}

    /** {@code root} (null for an empty file) with the settings of {@code env}'s {@code HONE_*} variables. */
    static Node apply(Node root, Map<String, String> env, Problems problems, Interpolation interpolation) {
        List<Setting> settings = new ArrayList<>();
        env.keySet().stream().filter(name -> name.startsWith("HONE_")).sorted().forEach(name -> {
            String value = env.get(name);
            if (value == null || value.isEmpty()) {
                return;
            }
            Optional<Setting> setting = match(name, value);
            if (setting.isPresent()) {
                settings.add(setting.get());
            } else {
                unknown(name, problems);
            }
        });
        if (settings.isEmpty()) {
            return root;
        }
        MappingNode document = root instanceof MappingNode m ? m : mapping();
        settings.sort(Comparator.<Setting, String>comparing(s -> s.indexes().toString()).thenComparing(Setting::variable));
        for (Setting s : settings) {
            set(document, s, 0, 0, problems, interpolation);
        }
        return document;
    }

    /** A variable that sets {@code key}, at {@code indexes} of its lists of mappings. */
    private record Setting(String variable, String value, ServerKeys.Key key, List<Integer> indexes) {}

    private static Optional<Setting> match(String name, String value) {
        for (ServerKeys.Key key : ServerKeys.ALL) {
            Matcher m = pattern(key.path()).matcher(name);
            if (m.matches()) {
                List<Integer> indexes = new ArrayList<>();
                for (int g = 1; g <= m.groupCount(); g++) {
                    indexes.add(Integer.parseInt(m.group(g)));
                }
                return Optional.of(new Setting(name, value, key, indexes));
            }
        }
        return Optional.empty();
    }

    private static Pattern pattern(List<String> path) {
        return Pattern.compile("HONE_" + path.stream().map(s -> s.equals(ServerKeys.ITEM) ? "([0-9]{1,4})"
                : Pattern.quote(s.toUpperCase(java.util.Locale.ROOT))).collect(Collectors.joining("_")));
    }

    /** A variable under a section of the file ({@code HONE_LIMITS_…}) that names none of its keys. */
    private static void unknown(String name, Problems problems) {
        for (ServerKeys.Key key : ServerKeys.ALL) {
            for (int end = 1; end < key.path().size(); end++) {
                Matcher section = pattern(key.path().subList(0, end)).matcher(name);
                if (section.lookingAt() && name.startsWith("_", section.end())) {
                    String number = NUMBER.matcher(name).results().map(r -> r.group()).findFirst().orElse("0");
                    List<String> near = ServerKeys.ALL.stream().map(k -> k.variable().replace("<N>", number))
                            .toList();
                    problems.fromEnvironment(name, "", "names no key of hone-server.yaml" + Suggestions
                            .closest(name, near).map(c -> " — did you mean " + c + "?").orElse("")
                            + " (docs/configuration.md lists them)");
                    return;
                }
            }
        }
    }

    private static void set(MappingNode mapping, Setting s, int depth, int item, Problems problems,
                            Interpolation interpolation) {
        List<String> path = s.key().path();
        String name = path.get(depth);
        if (depth == path.size() - 1) {
            referred(get(mapping, name), interpolation);
            put(mapping, name, value(s, problems));
            return;
        }
        if (path.get(depth + 1).equals(ServerKeys.ITEM)) {
            List<Node> items = get(mapping, name) instanceof SequenceNode seq ? new ArrayList<>(seq.getValue())
                    : new ArrayList<>();
            int index = s.indexes().get(item);
            if (index > items.size()) {
                problems.fromEnvironment(s.variable(), String.join(".", path.subList(0, depth + 1)),
                        "has " + items.size() + " item" + (items.size() == 1 ? "" : "s") + " before it, so the next "
                                + "is index " + items.size() + ": number the variables from 0 without gaps");
                return;
            }
            if (index == items.size()) {
                items.add(problems.fromEnvironment(mapping(), s.variable()));
            }
            if (!(items.get(index) instanceof MappingNode)) {
                items.set(index, problems.fromEnvironment(mapping(), s.variable()));
            }
            put(mapping, name, new SequenceNode(Tag.SEQ, items, FlowStyle.BLOCK));
            if (depth + 2 < path.size()) {
                set((MappingNode) items.get(index), s, depth + 2, item + 1, problems, interpolation);
            }
            return;
        }
        Node child = get(mapping, name);
        if (!(child instanceof MappingNode)) {
            child = problems.fromEnvironment(mapping(), s.variable());
            put(mapping, name, child);
        }
        set((MappingNode) child, s, depth + 1, item, problems, interpolation);
    }

    /** The variables a value the file held named, though a variable replaced it ({@link Interpolation#refer}). */
    private static void referred(Node replaced, Interpolation interpolation) {
        switch (replaced) {
            case ScalarNode scalar -> interpolation.refer(scalar.getValue());
            case SequenceNode sequence -> sequence.getValue().forEach(n -> referred(n, interpolation));
            case MappingNode mapping -> mapping.getValue().forEach(t -> referred(t.getValueNode(), interpolation));
            case null, default -> { }
        }
    }

    /** The variable's value as the file would hold it: a scalar, or a list of the comma-separated words. */
    private static Node value(Setting s, Problems problems) {
        if (s.key().list()) {
            List<Node> words = new ArrayList<>();
            for (String word : s.value().split(",")) {
                if (!word.isBlank()) {
                    words.add(problems.fromEnvironment(scalar(word.strip()), s.variable()));
                }
            }
            return problems.fromEnvironment(new SequenceNode(Tag.SEQ, words, FlowStyle.FLOW), s.variable());
        }
        return problems.fromEnvironment(scalar(s.value()), s.variable());
    }

    /** A plain scalar typed as YAML would type it ({@code 4} an integer), {@code $} kept literal. */
    private static ScalarNode scalar(String text) {
        return new ScalarNode(RESOLVER.resolve(text, true), text.replace("$", "$$"), ScalarStyle.PLAIN);
    }

    private static MappingNode mapping() {
        return new MappingNode(Tag.MAP, new ArrayList<>(), FlowStyle.BLOCK);
    }

    private static Node get(MappingNode mapping, String key) {
        for (NodeTuple t : mapping.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static void put(MappingNode mapping, String key, Node value) {
        List<NodeTuple> tuples = new ArrayList<>(mapping.getValue());
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                tuples.set(i, new NodeTuple(k, value));
                mapping.setValue(tuples);
                return;
            }
        }
        tuples.add(new NodeTuple(new ScalarNode(Tag.STR, key, ScalarStyle.PLAIN), value));
        mapping.setValue(tuples);
    }
}
