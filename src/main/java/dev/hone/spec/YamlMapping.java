package dev.hone.spec;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** The entries of one mapping of the file, in file order, each already checked against the allowed keys. */
final class YamlMapping {

    private final YamlValue owner;
    private final Map<String, YamlValue> entries;
    /** Allowed keys given under another tool's name: not reported missing again. */
    private final Set<String> givenUnderOtherNames;

    private YamlMapping(YamlValue owner, Map<String, YamlValue> entries, Set<String> givenUnderOtherNames) {
        this.owner = owner;
        this.entries = entries;
        this.givenUnderOtherNames = givenUnderOtherNames;
    }

    /**
     * The entries of {@code node}, owned by {@code owner}. With {@code allowed} null any key is allowed (parameter
     * and variable names); otherwise others are problems with a "did you mean" — the allowed key that
     * {@code otherNames} says it is another tool's name for ({@code low} → {@code min}), else the closest. A key set
     * twice is a problem. A missing value has no entries; anything but a mapping is a problem that says it must be
     * {@code expected}.
     */
    static YamlMapping read(YamlValue owner, Node node, List<String> allowed, Map<String, String> otherNames,
                            String expected) {
        if (owner.isMissing()) {
            return new YamlMapping(owner, Map.of(), Set.of());
        }
        if (!(node instanceof MappingNode mapping)) {
            owner.problem("must be " + expected + ", got " + owner.got());
            return new YamlMapping(owner, Map.of(), Set.of());
        }
        Map<String, YamlValue> entries = new LinkedHashMap<>();
        Set<String> givenUnderOtherNames = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                owner.problemAt(tuple.getKeyNode(), "keys must be plain names, not a mapping or a list");
                continue;
            }
            String name = key.getValue();
            String ours = otherNames.get(name.toLowerCase(Locale.ROOT));
            if (allowed != null && !allowed.contains(name) && ours != null && allowed.contains(ours)) {
                owner.problemAt(key, "unknown key \"" + name + "\" — did you mean \"" + ours + "\"?");
                givenUnderOtherNames.add(ours);
            } else if (allowed != null && !allowed.contains(name)) {
                owner.problemAt(key, "unknown key \"" + name + "\"" + Suggestions.hint(name, allowed, "allowed keys"));
            } else if (entries.containsKey(name)) {
                owner.child(key, tuple.getValueNode()).problemAtKey(
                        "is set twice (first on line " + entries.get(name).line() + ") — keep one");
            } else {
                entries.put(name, owner.child(key, tuple.getValueNode()));
            }
        }
        return new YamlMapping(owner, entries, givenUnderOtherNames);
    }

    /** The value under {@code name}; an absent one reads as missing, so the caller's default applies. */
    YamlValue get(String name) {
        YamlValue value = entries.get(name);
        return value != null ? value : owner.absent(name);
    }

    /** Marks the entries under {@code names} so that messages show only what {@code disclosure} allows. */
    YamlMapping disclosing(Disclosure disclosure, String... names) {
        for (String name : names) {
            YamlValue value = entries.get(name);
            if (value != null) {
                value.disclose(disclosure);
            }
        }
        return this;
    }

    /** Every entry, in the order of the file. */
    Collection<YamlValue> entries() {
        return entries.values();
    }

    /**
     * Records a problem when {@code name} is absent or null: {@code serve.command: is required — why}. Nothing more
     * is said when the owner is not a mapping at all: that problem is already on record.
     */
    void require(String name, String why) {
        YamlValue value = get(name);
        if (owner.isMapping() && value.isMissing() && !givenUnderOtherNames.contains(name)) {
            value.problem("is required — " + why);
        }
    }
}
