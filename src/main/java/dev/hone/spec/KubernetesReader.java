package dev.hone.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code environment.kubernetes}: names checked as Kubernetes checks them, so a mistake is found when the spec is
 * loaded rather than when the API server refuses the first Job.
 */
final class KubernetesReader {

    static final List<String> KEYS = List.of("namespace", "service_account", "node_selector", "tolerations",
            "image_pull_secrets", "labels", "volume");
    /** RFC 1123 label: namespaces. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** RFC 1123 subdomain: service accounts, secrets, claims. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A label key: an optional DNS subdomain prefix and a name of at most 63 characters. */
    private static final Pattern LABEL_KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                    + "(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(?=.{0,63}$)([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

    private KubernetesReader() {}

    static Spec.Kubernetes read(YamlValue v) {
        if (v.isMissing()) {
            return Spec.Kubernetes.DEFAULT;
        }
        YamlMapping m = v.mapping(KEYS);
        List<String> pullSecrets = new ArrayList<>();
        for (YamlValue item : m.get("image_pull_secrets").items()) {
            name(item, DNS_SUBDOMAIN, "a Secret's name").ifPresent(pullSecrets::add);
        }
        List<Spec.Toleration> tolerations = new ArrayList<>();
        for (YamlValue item : m.get("tolerations").items()) {
            tolerations.add(toleration(item));
        }
        return new Spec.Kubernetes(
                name(m.get("namespace"), DNS_LABEL, "a namespace").orElse(null),
                name(m.get("service_account"), DNS_SUBDOMAIN, "a service account's name").orElse(null),
                labels(m.get("node_selector"), false), tolerations, pullSecrets, labels(m.get("labels"), true),
                name(m.get("volume"), DNS_SUBDOMAIN, "a PersistentVolumeClaim's name").orElse(null));
    }

    private static Spec.Toleration toleration(YamlValue item) {
        YamlMapping t = item.mapping(List.of("key", "operator", "value", "effect"));
        String operator = t.get("operator").oneOf(List.of("Equal", "Exists")).orElse("Equal");
        String key = t.get("key").string().orElse(null);
        String value = t.get("value").text().orElse(null);
        if (key != null && !LABEL_KEY.matcher(key).matches()) {
            t.get("key").problem("is not a valid taint key, got " + t.get("key").got());
        }
        if (operator.equals("Exists") && value != null) {
            t.get("value").problem("must be left out with operator: Exists — it matches every value");
        }
        if (key == null && operator.equals("Equal")) {
            item.problem("needs a key with operator: Equal — or operator: Exists to tolerate every taint");
        }
        return new Spec.Toleration(key, operator, value,
                t.get("effect").oneOf(List.of("NoSchedule", "PreferNoSchedule", "NoExecute")).orElse(null));
    }

    /** Label keys to values, checked as Kubernetes checks them; {@code hone.*} keys are Hone's own. */
    private static Map<String, String> labels(YamlValue v, boolean honesReserved) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (YamlValue entry : v.mappingOf("label keys to values").entries()) {
            String key = entry.name();
            if (!LABEL_KEY.matcher(key).matches()) {
                entry.problemAtKey("is not a valid label key — at most 63 letters, digits, -, _ and ., with an"
                        + " optional DNS prefix such as team.example.com/");
            } else if (honesReserved && key.startsWith("hone.")) {
                entry.problemAtKey("is reserved: Hone labels each Job with hone.run, hone.project and hone.trial"
                        + " — choose another key");
            }
            String value = entry.isMissing() ? "" : entry.text().orElse("");
            if (!LABEL_VALUE.matcher(value).matches()) {
                entry.problem("is not a valid label value — at most 63 letters, digits, -, _ and ., beginning and"
                        + " ending with a letter or digit, got " + entry.got());
            }
            labels.put(key, value);
        }
        return labels;
    }

    private static java.util.Optional<String> name(YamlValue v, Pattern pattern, String what) {
        java.util.Optional<String> name = v.string();
        if (name.isPresent() && !pattern.matcher(name.get()).matches()) {
            v.problem("is not " + what + " Kubernetes accepts — lower-case letters, digits and -, beginning and"
                    + " ending with a letter or digit, got " + v.got());
            return java.util.Optional.empty();
        }
        return name;
    }
}
