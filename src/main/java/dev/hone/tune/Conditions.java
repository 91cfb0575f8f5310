package dev.hone.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The conditions ({@code when:}) of a search space's parameters: their checks, the order that puts parents before
 * the parameters they condition, and which parameters of a drawn set are active.
 */
public final class Conditions {

    /**
     * A condition that cannot hold as written.
     *
     * @param param the parameter whose {@code when:} is wrong
     * @param parent the parent it names (the key under {@code when:})
     * @param message what is wrong and what to do, without the location
     */
    public record Flaw(String param, String parent, String message) {}

    private Conditions() {}

    /**
     * What is wrong with the parameters' conditions: a parent that is not a parameter, not categorical, a value
     * that is not among its choices, a parameter conditioned on itself (directly or through others). Empty: fine.
     */
    public static List<Flaw> flaws(List<Param> params) {
        return flaws(params, true);
    }

    /**
     * The same; without {@code values}, a value not among the parent's choices is no flaw (a re-run that fixes
     * the parent to one choice leaves the parameters conditioned on the others inactive).
     */
    private static List<Flaw> flaws(List<Param> params, boolean values) {
        Map<String, Param> byName = byName(params);
        List<Flaw> flaws = new ArrayList<>();
        for (Param p : params) {
            p.when().parents().forEach((parent, vs) -> {
                Param q = byName.get(parent);
                if (parent.equals(p.name())) {
                    flaws.add(new Flaw(p.name(), parent, "a parameter cannot depend on itself — name another"
                            + " (categorical) parameter"));
                } else if (q == null) {
                    flaws.add(new Flaw(p.name(), parent, "\"" + parent + "\" is not a parameter of tune.params —"
                            + " name a categorical parameter" + among(params)));
                } else if (!(q instanceof CategoricalParam c)) {
                    flaws.add(new Flaw(p.name(), parent, "\"" + parent + "\" is a range, not a categorical parameter"
                            + " — when: names a parameter given as a list of choices"));
                } else if (values) {
                    for (Object v : vs) {
                        if (c.choices().stream().noneMatch(choice -> When.same(choice, v))) {
                            flaws.add(new Flaw(p.name(), parent, v + " is not one of " + parent + "'s choices "
                                    + c.choices() + " — use one of them"));
                        }
                    }
                }
            });
        }
        if (flaws.isEmpty()) {
            cycle(params, byName).ifPresent(flaws::add);
        }
        return flaws;
    }

    /** Throws a {@link SearchSpaceException} naming the first flaw, if any. */
    static void check(List<Param> params) {
        List<Flaw> flaws = flaws(params, false);
        if (!flaws.isEmpty()) {
            Flaw f = flaws.getFirst();
            throw new SearchSpaceException("tune.params." + f.param() + ".when." + f.parent() + ": " + f.message());
        }
    }

    /** Whether any parameter has a condition. */
    static boolean any(List<Param> params) {
        return params.stream().anyMatch(p -> !p.when().always());
    }

    /**
     * The parameters' indices with every parent before the parameters it conditions, otherwise in declared order.
     * The conditions must be free of flaws.
     */
    static int[] order(List<Param> params) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            index.put(params.get(i).name(), i);
        }
        int[] out = new int[params.size()];
        boolean[] placed = new boolean[params.size()];
        int n = 0;
        while (n < out.length) {
            int before = n;
            for (int i = 0; i < params.size(); i++) {
                if (!placed[i] && params.get(i).when().parents().keySet().stream()
                        .allMatch(parent -> placed[index.get(parent)])) {
                    placed[i] = true;
                    out[n++] = i;
                }
            }
            if (n == before) {
                throw new SearchSpaceException("tune.params: the conditions (when:) form a cycle");
            }
        }
        return out;
    }

    /**
     * The active parameters of {@code set}, in declared order: a parameter is kept when its condition holds on the
     * parameters kept before it (parents first), so a parameter under an inactive parent is dropped too. A value
     * missing from {@code set} stays missing.
     */
    static Map<String, Object> active(List<Param> params, Map<String, Object> set) {
        if (!any(params)) {
            return set;
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        for (int i : order(params)) {
            Param p = params.get(i);
            if (set.containsKey(p.name()) && p.when().holds(kept)) {
                kept.put(p.name(), set.get(p.name()));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : params) {
            if (kept.containsKey(p.name())) {
                out.put(p.name(), kept.get(p.name()));
            }
        }
        return out;
    }

    private static Optional<Flaw> cycle(List<Param> params, Map<String, Param> byName) {
        for (Param start : params) {
            List<String> path = new ArrayList<>(List.of(start.name()));
            if (cycleFrom(start, start.name(), byName, path)) {
                return Optional.of(new Flaw(start.name(), path.get(1), "the conditions form a cycle ("
                        + String.join(" → ", path) + ") — a parameter cannot depend on itself through others"));
            }
        }
        return Optional.empty();
    }

    private static boolean cycleFrom(Param p, String start, Map<String, Param> byName, List<String> path) {
        for (String parent : p.when().parents().keySet()) {
            path.add(parent);
            if (parent.equals(start)) {
                return true;
            }
            if (path.indexOf(parent) == path.size() - 1 && cycleFrom(byName.get(parent), start, byName, path)) {
                return true;
            }
            path.removeLast();
        }
        return false;
    }

    private static Map<String, Param> byName(List<Param> params) {
        Map<String, Param> byName = new LinkedHashMap<>();
        params.forEach(p -> byName.put(p.name(), p));
        return byName;
    }

    private static String among(List<Param> params) {
        List<String> names = params.stream().filter(p -> p instanceof CategoricalParam).map(Param::name).toList();
        return names.isEmpty() ? " (there is none: declare one as a list of choices)"
                : " (" + String.join(", ", names) + ")";
    }
}
