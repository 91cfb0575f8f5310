package dev.hone.spec;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * A scalar's text and its YAML 1.2 core type. A value that came from the environment ({@code ${VAR}}) is plain
 * text: a string where a string belongs, a number where a number belongs, whether or not it was quoted.
 */
record Scalar(String text, Tag tag, boolean fromEnvironment) {

    private static final ScalarResolver RESOLVER = new CoreSchema().getScalarResolver();

    static Scalar of(ScalarNode node) {
        return new Scalar(node.getValue(), node.getTag(), false);
    }

    /** The scalar once {@code ${VAR}} references are replaced; an empty result reads as not set. */
    static Scalar expanded(String text) {
        return new Scalar(text, RESOLVER.resolve(text, true), true);
    }

    /** {@code "text"}, escaped and shortened for a one-line message. */
    static String quote(String text) {
        String escaped = text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "\"" + (escaped.length() > 60 ? escaped.substring(0, 57) + "..." : escaped) + "\"";
    }

    boolean isNull() {
        return fromEnvironment ? text.isEmpty() : tag.equals(Tag.NULL);
    }

    /** A string: quoted or plain text, or anything the environment supplied. */
    boolean isString() {
        return fromEnvironment || tag.equals(Tag.STR) || tag.equals(Tag.ENV_TAG);
    }

    boolean isStringOrNumber() {
        return isString() || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT);
    }

    /**
     * An integer as YAML 1.2 writes it ({@code 42}, {@code +7}, {@code 0x1F}, {@code 0o17}) that fits a long; a
     * float with no fraction ({@code 30.0}, {@code 1e3}) counts, as it does in JSON Schema.
     */
    Optional<Long> longValue() {
        if (tag.equals(Tag.FLOAT)) {
            return doubleValue().filter(d -> d == Math.rint(d) && Math.abs(d) < 0x1p53).map(Double::longValue);
        }
        if (!tag.equals(Tag.INT)) {
            return Optional.empty();
        }
        String t = text.startsWith("+") ? text.substring(1) : text;
        try {
            BigInteger value = t.startsWith("0x") ? new BigInteger(t.substring(2), 16)
                    : t.startsWith("0o") ? new BigInteger(t.substring(2), 8)
                    : new BigInteger(t);
            return value.bitLength() < 64 ? Optional.of(value.longValue()) : Optional.empty();
        } catch (NumberFormatException explicitlyTaggedNonsense) {
            return Optional.empty();
        }
    }

    /** A finite number, from an integer or a float. */
    Optional<Double> doubleValue() {
        if (tag.equals(Tag.INT)) {
            return longValue().map(Long::doubleValue);
        }
        if (!tag.equals(Tag.FLOAT)) {
            return Optional.empty();
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException infinityOrNan) {
            return Optional.empty();
        }
    }

    Optional<Boolean> booleanValue() {
        return tag.equals(Tag.BOOL) ? Optional.of(text.toLowerCase(Locale.ROOT).equals("true")) : Optional.empty();
    }

    /** The value with its YAML type: String, Long, Double or Boolean; empty for null and non-finite numbers. */
    Optional<Object> plainValue() {
        if (isString()) {
            return Optional.of(text);
        }
        Optional<?> value = tag.equals(Tag.INT) ? longValue()
                : tag.equals(Tag.FLOAT) ? doubleValue()
                : booleanValue();
        return value.map(v -> v);
    }
}
