package dev.hone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The package rules of {@code docs/architecture.md}, checked over Hone's compiled classes: each package imports
 * exactly the packages its row of the dependency table lists (so the document cannot drift from the code), there is
 * no cycle between packages, and each third-party library stays inside the one package that wraps it.
 */
class ArchitectureTest {

    static final String ROOT = "dev.hone";
    /** How the table names the root package {@code dev.hone} itself. */
    static final String ROOT_NAME = "(root)";
    static final Path DOCUMENT = Path.of("docs/architecture.md");
    static final String TABLE_HEADING = "## Package dependencies";

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void eachPackageImportsExactlyThePackagesTheArchitectureDocumentLists() throws IOException {
        Map<String, Set<String>> documented = documentedTable(Files.readString(DOCUMENT));
        Map<String, Set<String>> actual = packageGraph(classes);

        List<String> differences = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (String pkg : union(documented.keySet(), actual.keySet())) {
            Set<String> listed = documented.get(pkg);
            Set<String> imports = actual.getOrDefault(pkg, Set.of());
            if (listed == null) {
                differences.add(pkg + " is not in the table (it imports " + names(imports) + ")");
                rows.add("add     " + row(pkg, imports));
                continue;
            }
            if (!actual.containsKey(pkg)) {
                differences.add(pkg + " is in the table but has no classes");
                rows.add("remove  " + row(pkg, listed));
                continue;
            }
            Set<String> undocumented = new TreeSet<>(imports);
            undocumented.removeAll(listed);
            Set<String> unused = new TreeSet<>(listed);
            unused.removeAll(imports);
            if (!undocumented.isEmpty()) {
                differences.add(pkg + " imports " + names(undocumented) + ", which its row does not list"
                        + " (where: " + where(pkg, undocumented) + ")");
            }
            if (!unused.isEmpty()) {
                differences.add(pkg + "'s row lists " + names(unused) + ", which it does not import");
            }
            if (!undocumented.isEmpty() || !unused.isEmpty()) {
                rows.add("replace " + row(pkg, listed) + "\n  with    " + row(pkg, imports));
            }
        }
        assertThat(differences).as(fixOfTheTable(rows)).isEmpty();
    }

    /**
     * What a developer reads when the code and the table disagree: either the import is a mistake (remove it), or
     * the design changed on purpose and these exact rows go in the table (and no cycle or confined library forbids it).
     */
    private static String fixOfTheTable(List<String> rows) {
        return "the packages Hone's code imports differ from the table under \"" + TABLE_HEADING + "\" in "
                + DOCUMENT + ".\nEither remove the import (the design does not allow it), or, if the design changed on"
                + " purpose, change the table's rows as follows (a new row goes below the packages it imports; the"
                + " other tests of this class say whether an import makes a cycle or takes a library out of its"
                + " package):\n  "
                + String.join("\n  ", rows) + "\nThe differences";
    }

    /** A row of the table, as {@link #documentedTable} reads it. */
    static String row(String pkg, Set<String> imports) {
        return "| `" + pkg + "` | " + (imports.isEmpty() ? "—" : names(imports)) + " |";
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        assertThat(cycles(packageGraph(classes))).as("cycles between packages (a package reaches itself through"
                + " its imports): remove an import along each cycle; the table in " + DOCUMENT + " must not list one"
                + " either").isEmpty();
    }

    @Test
    void onlyTheEntryPointsBuildAnInstallation() {
        noClasses().that().resideOutsideOfPackages(ROOT, ROOT + ".cli..", ROOT + ".bench..")
                .should().dependOnClassesThat().belongToAnyOf(App.class)
                .because("App is the composition root: the entry points (cli, bench) build an installation with it,"
                        + " the parts it builds receive what they need (docs/architecture.md)")
                .check(classes);
    }

    @Nested
    class ThirdPartyLibrariesStayInTheirPackage {

        @Test
        void gitOnlyInSource() {
            confined("org.eclipse.jgit..", "source");
        }

        @Test
        void dockerJavaOnlyInExecDocker() {
            confined("com.github.dockerjava..", "exec.docker");
        }

        @Test
        void fabric8OnlyInExecKubernetes() {
            confined("io.fabric8..", "exec.kubernetes");
        }

        @Test
        void jdbiAndFlywayOnlyInStore() {
            confined("org.jdbi..", "store");
            confined("org.flywaydb..", "store");
        }

        @Test
        void javalinOnlyInWeb() {
            confined("io.javalin..", "web");
        }

        @Test
        void logbackOnlyInLogging() {
            confined("ch.qos.logback..", "logging");
        }

        private void confined(String library, String owner) {
            noClasses().that().resideOutsideOfPackage(ROOT + "." + owner + "..")
                    .should().dependOnClassesThat().resideInAPackage(library)
                    .because(library + " is wrapped by " + ROOT + "." + owner + " (docs/architecture.md)")
                    .check(classes);
        }
    }

    /** A checker that cannot see a broken rule is no checker: the graph and the cycle search on known input. */
    @Nested
    class TheCheckItself {

        @Test
        void findsACycleAndNamesItsPackages() {
            Map<String, Set<String>> graph = Map.of("server", Set.of("web", "store"), "web", Set.of("server"),
                    "store", Set.of());

            assertThat(cycles(graph)).containsExactly("server → web → server");
        }

        @Test
        void readsTheTableUnderItsHeadingOnly() {
            String document = """
                    # Title
                    | package | imports |
                    |---|---|
                    | `ignored` | `x` |

                    ## Package dependencies

                    | package | imports |
                    |---|---|
                    | `(root)` | `cli` |
                    | `exec.docker` | `exec`, `spec` |
                    | `run` | — |

                    ## Next
                    | `later` | `y` |
                    """;

            assertThat(documentedTable(document)).containsOnly(Map.entry("(root)", Set.of("cli")),
                    Map.entry("exec.docker", Set.of("exec", "spec")), Map.entry("run", Set.of()));
        }
    }

    /** The rows of the table under {@link #TABLE_HEADING}: package → the packages it imports. */
    static Map<String, Set<String>> documentedTable(String document) {
        int start = document.indexOf("\n" + TABLE_HEADING + "\n");
        assertThat(start).as("a section \"" + TABLE_HEADING + "\" in " + DOCUMENT).isNotNegative();
        String section = document.substring(start + TABLE_HEADING.length() + 2);
        int next = section.indexOf("\n#");
        if (next >= 0) {
            section = section.substring(0, next);
        }
        Pattern name = Pattern.compile("`([^`]+)`");
        Map<String, Set<String>> table = new TreeMap<>();
        for (String line : section.split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length < 3 || !cells[1].contains("`")) {
                continue;
            }
            Matcher pkg = name.matcher(cells[1]);
            pkg.find();
            Set<String> imports = new TreeSet<>();
            Matcher imported = name.matcher(cells[2]);
            while (imported.find()) {
                imports.add(imported.group(1));
            }
            table.put(pkg.group(1), imports);
        }
        return table;
    }

    /** Package → the other Hone packages its classes use (by short name below {@code dev.hone}). */
    static Map<String, Set<String>> packageGraph(JavaClasses classes) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = shortName(c.getPackageName());
            Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getBaseComponentType().getPackageName();
                if (isHone(target) && !shortName(target).equals(from)) {
                    to.add(shortName(target));
                }
            }
        }
        return graph;
    }

    /** Every cycle as "a → b → a", one per strongly connected component of more than one package. */
    static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> found = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            if (done.contains(start)) {
                continue;
            }
            Set<String> component = component(graph, start);
            done.addAll(component);
            if (component.size() > 1) {
                found.add(path(graph, start, component) + (component.size() > 2 ? " (and all of " + component
                        + " reach each other)" : ""));
            }
        }
        return found;
    }

    private static Set<String> component(Map<String, Set<String>> graph, String start) {
        Set<String> forward = reachable(graph, start);
        Set<String> component = new TreeSet<>();
        for (String other : forward) {
            if (reachable(graph, other).contains(start)) {
                component.add(other);
            }
        }
        component.add(start);
        return component;
    }

    private static Set<String> reachable(Map<String, Set<String>> graph, String start) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(graph.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    /** A shortest way around the cycle through {@code start}, inside its component. */
    private static String path(Map<String, Set<String>> graph, String start, Set<String> component) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String node = todo.removeFirst();
            for (String next : new TreeSet<>(graph.getOrDefault(node, Set.of()))) {
                if (!component.contains(next)) {
                    continue;
                }
                if (next.equals(start)) {
                    List<String> way = new ArrayList<>(List.of(start));
                    for (String at = node; !at.equals(start); at = parent.get(at)) {
                        way.add(1, at);
                    }
                    way.add(start);
                    return String.join(" → ", way);
                }
                if (!parent.containsKey(next)) {
                    parent.put(next, node);
                    todo.addLast(next);
                }
            }
        }
        throw new IllegalStateException("no way around " + component);
    }

    private String where(String pkg, Set<String> targets) {
        Set<String> uses = new TreeSet<>();
        for (JavaClass c : classes) {
            if (!shortName(c.getPackageName()).equals(pkg)) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getBaseComponentType().getPackageName();
                if (isHone(target) && targets.contains(shortName(target))) {
                    uses.add(c.getSimpleName() + " → " + d.getTargetClass().getBaseComponentType().getSimpleName());
                }
            }
        }
        return String.join(", ", uses.stream().limit(6).toList()) + (uses.size() > 6 ? ", …" : "");
    }

    private static boolean isHone(String pkg) {
        return pkg.equals(ROOT) || pkg.startsWith(ROOT + ".");
    }

    private static String shortName(String pkg) {
        return pkg.equals(ROOT) ? ROOT_NAME : pkg.substring(ROOT.length() + 1);
    }

    private static String names(Set<String> packages) {
        return packages.isEmpty() ? "nothing" : String.join(", ", packages.stream().map(p -> "`" + p + "`").toList());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
