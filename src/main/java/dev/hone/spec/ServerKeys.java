package dev.hone.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every key of {@code hone-server.yaml}, as {@code schema/hone-server.schema.json} (shipped in the jar) describes
 * them: the settings a {@code HONE_<PATH>} variable sets ({@link EnvOverrides}) and the table of
 * docs/configuration.md. A key under a list of mappings ({@code repositories}) has {@link #ITEM} in its path.
 */
final class ServerKeys {

    /** The segment of a path that stands for an item's index. */
    static final String ITEM = "[]";
    static final String SCHEMA = "hone-server.schema.json";
    /** Every key, in the schema's order. */
    static final List<Key> ALL = read();

    private ServerKeys() {}

    /**
     * One key: its path from the document ({@code limits}, {@code runs_per_project}), whether it is a list of
     * scalars (written as a comma-separated list in a variable), and what the schema says of it.
     */
    record Key(List<String> path, boolean list, String description) {

        /** {@code HONE_LIMITS_RUNS_PER_PROJECT}, {@code HONE_REPOSITORIES_<N>_URL}. */
        String variable() {
            return "HONE_" + path.stream().map(s -> s.equals(ITEM) ? "<N>" : s.toUpperCase(Locale.ROOT))
                    .collect(Collectors.joining("_"));
        }

        /** {@code limits.runs_per_project}, {@code repositories[N].url}. */
        String dotted() {
            return String.join(".", path).replace("." + ITEM, "[N]");
        }
    }

    private static List<Key> read() {
        try (InputStream in = ServerKeys.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is not in Hone's jar beside " + ServerKeys.class.getName()
                        + ": build it with Maven (pom.xml copies it from schema/)");
            }
            Object schema = new Load(LoadSettings.builder().build())
                    .loadFromString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Key> keys = new ArrayList<>();
            walk(map(schema), map(map(schema).get("$defs")), List.of(), keys);
            return List.copyOf(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA + " from Hone's jar: " + e.getMessage(), e);
        }
    }

    private static void walk(Map<String, Object> node, Map<String, Object> defs, List<String> path, List<Key> keys) {
        Map<String, Object> n = resolved(node, defs);
        String description = description(node).isEmpty() ? description(n) : description(node);
        if (n.get("properties") instanceof Map<?, ?> properties) {
            for (Map.Entry<?, ?> p : properties.entrySet()) {
                List<String> child = new ArrayList<>(path);
                child.add(p.getKey().toString());
                walk(map(p.getValue()), defs, child, keys);
            }
            return;
        }
        List<Map<String, Object>> shapes = new ArrayList<>(List.of(n));
        for (String alternatives : List.of("anyOf", "oneOf")) {
            if (n.get(alternatives) instanceof List<?> list) {
                list.forEach(a -> shapes.add(resolved(map(a), defs)));
            }
        }
        for (Map<String, Object> shape : shapes) {
            if (shape != n && shape.get("properties") != null) {
                walk(shape, defs, path, keys);
                return;
            }
        }
        for (Map<String, Object> shape : shapes) {
            if (shape.get("items") instanceof Map<?, ?> items) {
                Map<String, Object> item = resolved(map(items), defs);
                if (item.get("properties") != null) {
                    List<String> child = new ArrayList<>(path);
                    child.add(ITEM);
                    walk(item, defs, child, keys);
                } else {
                    keys.add(new Key(List.copyOf(path), true, description));
                }
                return;
            }
        }
        keys.add(new Key(List.copyOf(path), false, description));
    }

    private static Map<String, Object> resolved(Map<String, Object> node, Map<String, Object> defs) {
        Map<String, Object> n = node;
        while (n.get("$ref") instanceof String ref) {
            n = map(defs.get(ref.substring(ref.lastIndexOf('/') + 1)));
        }
        return n;
    }

    private static String description(Map<String, Object> n) {
        return n.get("description") == null ? "" : n.get("description").toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
