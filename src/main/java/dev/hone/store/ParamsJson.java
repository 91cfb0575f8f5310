package dev.hone.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trial's parameters (and its metrics) as a JSON object, in their order and with their types: an integral number reads back as
 * {@link Long}, any other number as {@link Double}, then {@link String} and {@link Boolean} as themselves.
 */
final class ParamsJson {

    private final ObjectMapper mapper = new ObjectMapper();

    String write(Map<String, Object> params) {
        try {
            return mapper.writeValueAsString(params == null ? Map.of() : new LinkedHashMap<>(params));
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write parameters " + params + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A trial's metrics as a JSON object, in their order; non-finite values are left out (JSON has none). */
    String writeMetrics(Map<String, Double> metrics) {
        Map<String, Double> finite = new LinkedHashMap<>();
        metrics.forEach((name, value) -> {
            if (value != null && Double.isFinite(value)) {
                finite.put(name, value);
            }
        });
        try {
            return mapper.writeValueAsString(finite);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write metrics " + metrics + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The metrics {@link #writeMetrics} wrote; empty for NULL (a trial recorded before metrics were). */
    Map<String, Double> readMetrics(String json) {
        if (json == null) {
            return Map.of();
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored metrics are not JSON: " + json, e);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        tree.properties().forEach(entry -> metrics.put(entry.getKey(), entry.getValue().doubleValue()));
        return Collections.unmodifiableMap(metrics);
    }

    Map<String, Object> read(String json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored parameters are not JSON: " + json, e);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        tree.properties().forEach(entry -> params.put(entry.getKey(), value(entry.getValue())));
        return Collections.unmodifiableMap(params);
    }

    private Object value(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull()) {
            return null;
        }
        return mapper.convertValue(node, Object.class);
    }
}
