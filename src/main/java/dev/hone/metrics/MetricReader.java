package dev.hone.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hone.source.Confined;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a trial's metrics (DESIGN §3): the run's own metric, and beside it every other {@code NAME=VALUE} the trial
 * prints ({@link #metrics()}). For the run's own metric: Fed every output line as it arrives, it keeps the last value printed as
 * {@code NAME=VALUE} or {@code NAME: VALUE} (spaces around = and : allowed, any case, any text before the name, e.g.
 * {@code Test accuracy: 0.93}); the name is a whole word: {@code val_accuracy=0.5} is not {@code accuracy}. Values:
 * {@code 0.93}, {@code .5}, {@code 1e-3}, {@code -2}, {@code nan}, {@code inf}; {@code 93%} means 0.93. A line that
 * also holds {@code step=N} or {@code epoch=N} (or {@code step: N}) is an intermediate value at that step (step wins
 * over epoch when both are there); at most {@link #MAX_POINTS} of them are kept, evenly spaced, the latest always
 * among them (every one still reaches the consumer as it is read). At the end, {@code $HONE_OUTPUT/metrics.json}
 * takes precedence when it holds the metric (a {@code metrics.json} that links out of {@code $HONE_OUTPUT} is
 * refused unread). A value with a decimal comma ({@code accuracy=9,5}) is not a number:
 * the line is ignored, with a warning that says why (a comma may as well separate two values, {@code 9} and
 * {@code 5}, or thousands). Every other name (a word: letters, digits and {@code _}, not starting with a digit; not
 * {@code step} nor {@code epoch}) is read the same way, its last finite value kept, and its intermediate values at
 * most {@link #MAX_POINTS} per name; a trial's first {@link #MAX_METRICS} names are kept, the others ignored with a
 * warning. Thread-safe.
 */
public final class MetricReader implements Consumer<String> {

    /** The intermediate values a trial keeps (and the store holds) at most. */
    public static final int MAX_POINTS = 10_000;

    /** The metric names a trial keeps at most: a program printing a new name on every line fills no store. */
    public static final int MAX_METRICS = 50;

    private static final String WORD_START = "(?<![\\p{L}\\p{N}_])";
    private static final String ASSIGN = "[\"']?\\s*[:=]\\s*";
    private static final String WORD_END = "(?![\\p{L}\\p{N}_]|\\.\\d)";
    private static final Pattern STEP = Pattern.compile(
            WORD_START + "(step|epoch)" + ASSIGN + "(\\d+)(?![\\p{L}\\p{N}_]|\\.\\d)",
            Pattern.CASE_INSENSITIVE);
    /**
     * Any {@code NAME=VALUE} / {@code NAME: VALUE}: a value not followed by more of a number or by a time's ":30"; a
     * name not part of a host ("//x:80", "a.example:8080", "git@host:22").
     */
    private static final Pattern ANY = Pattern.compile("(?<![\\p{L}\\p{N}_.@]|//)([\\p{L}_][\\p{L}\\p{N}_]*)" + ASSIGN
            + "(" + MetricValues.REGEX + ")(?![\\p{L}\\p{N}_]|[.:,]\\d)", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final String name;
    private final Pattern metric;
    private final Pattern decimalComma;
    private final Consumer<MetricPoint> onIntermediate;
    private final EvenSample intermediate;
    private final Consumer<String> onIgnored;
    private Double latest;
    private String ignored;
    /** The other metrics' last finite values and intermediate values, by name in any case (the first spelling). */
    private final Map<String, Double> others = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, EvenSample> otherPoints = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final int maxPoints;
    private boolean tooMany;
    /** Set by {@link #finish}: metrics.json's numbers, which take precedence. */
    private final Map<String, Double> fromFile = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /**
     * @param metricName     the declared metric's name
     * @param onIntermediate told of every intermediate value as it is read (finite ones only)
     */
    public MetricReader(String metricName, Consumer<MetricPoint> onIntermediate) {
        this(metricName, MAX_POINTS, onIntermediate);
    }

    /** Keeping at most {@code maxPoints} intermediate values (at least 2). */
    public MetricReader(String metricName, int maxPoints, Consumer<MetricPoint> onIntermediate) {
        this(metricName, maxPoints, onIntermediate, warning -> {});
    }

    /**
     * @param metricName     the declared metric's name
     * @param maxPoints      how many intermediate values are kept at most (at least 2)
     * @param onIntermediate told of every intermediate value as it is read (finite ones only)
     * @param onIgnored      told, once, why a line that seemed to give the metric was ignored
     */
    public MetricReader(String metricName, int maxPoints, Consumer<MetricPoint> onIntermediate,
                        Consumer<String> onIgnored) {
        Objects.requireNonNull(metricName, "metricName");
        if (metricName.isBlank()) {
            throw new IllegalArgumentException("metric name must not be blank");
        }
        this.name = metricName.strip();
        this.metric = Pattern.compile(WORD_START + Pattern.quote(name) + ASSIGN + "(" + MetricValues.REGEX + ")"
                + WORD_END, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        this.decimalComma = Pattern.compile(WORD_START + Pattern.quote(name) + ASSIGN + "([+-]?\\d+(?:,\\d+)+)"
                + "(?![\\p{L}\\p{N}_]|[.,]\\d)", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        this.onIntermediate = Objects.requireNonNull(onIntermediate, "onIntermediate");
        this.intermediate = new EvenSample(maxPoints);
        this.maxPoints = maxPoints;
        this.onIgnored = Objects.requireNonNull(onIgnored, "onIgnored");
    }

    /** Reads one output line. */
    @Override
    public void accept(String line) {
        if (line == null) {
            return;
        }
        readOthers(line);
        if (!containsName(line)) {
            return;
        }
        Matcher matcher = metric.matcher(line);
        String text = null;
        int at = -1;
        while (matcher.find()) {
            text = matcher.group(1);
            at = matcher.start();
        }
        if (text == null) {
            return;
        }
        Matcher comma = decimalComma.matcher(line);
        if (comma.find(at) && comma.start() == at) {
            ignore(comma);
            return;
        }
        double value;
        try {
            value = MetricValues.parse(text);
        } catch (NumberFormatException e) {
            return;
        }
        Long step = step(line);
        synchronized (this) {
            latest = value;
            if (step != null && Double.isFinite(value)) {
                MetricPoint point = new MetricPoint(step, value);
                intermediate.add(point);
                onIntermediate.accept(point);
            }
        }
    }

    /** Every metric of {@code line} but the run's own (which {@link #accept} reads with its rules), step and epoch. */
    private void readOthers(String line) {
        if (line.indexOf('=') < 0 && line.indexOf(':') < 0) {
            return;
        }
        Matcher matcher = ANY.matcher(line);
        Long step = null;
        boolean stepRead = false;
        while (matcher.find()) {
            String found = matcher.group(1);
            if (found.equalsIgnoreCase(name) || found.equalsIgnoreCase("step") || found.equalsIgnoreCase("epoch")) {
                continue;
            }
            double value;
            try {
                value = MetricValues.parse(matcher.group(2));
            } catch (NumberFormatException e) {
                continue;
            }
            if (!Double.isFinite(value)) {
                continue;
            }
            if (!stepRead) {
                step = step(line);
                stepRead = true;
            }
            keep(found, value, step);
        }
    }

    private void keep(String metricName, double value, Long step) {
        String warning = null;
        synchronized (this) {
            if (!others.containsKey(metricName) && others.size() >= MAX_METRICS) {
                if (tooMany) {
                    return;
                }
                tooMany = true;
                warning = "ignored " + metricName + " and any other new metric name: a trial keeps at most "
                        + MAX_METRICS + " metrics";
            } else {
                others.put(metricName, value);
                if (step != null) {
                    otherPoints.computeIfAbsent(metricName, n -> new EvenSample(maxPoints))
                            .add(new MetricPoint(step, value));
                }
            }
        }
        if (warning != null) {
            onIgnored.accept(warning);
        }
    }

    /**
     * Every metric read: the last finite value of each name the trial printed, with the run's own under its declared
     * name; after {@link #finish}, metrics.json's numbers take precedence. In name order.
     */
    public synchronized Map<String, Double> metrics() {
        Map<String, Double> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(others);
        if (latest != null && Double.isFinite(latest)) {
            all.put(name, latest);
        }
        fromFile.forEach((key, value) -> {
            all.remove(key);
            all.put(key, value);
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(all));
    }

    /** The intermediate values of the metrics other than the run's own, by name, each in the order they came. */
    public synchronized Map<String, List<MetricPoint>> otherIntermediate() {
        Map<String, List<MetricPoint>> points = new LinkedHashMap<>();
        otherPoints.forEach((key, sample) -> points.put(key, sample.points()));
        return Collections.unmodifiableMap(points);
    }

    /**
     * What {@code comma} found (the name, then a number with commas) is not read; the first such line is reported,
     * suggesting the value with a decimal point when it has one comma.
     */
    private void ignore(Matcher comma) {
        String written = comma.group();
        String number = comma.group(1);
        String instead = number.indexOf(',') == number.lastIndexOf(',')
                ? written.substring(0, comma.start(1) - comma.start()) + number.replace(',', '.') : name + "=0.93";
        String why = "ignored \"" + written + "\": a comma is not a decimal point, so Hone does not read it as a "
                + "number — print " + instead;
        synchronized (this) {
            if (ignored != null) {
                return;
            }
            ignored = why;
        }
        onIgnored.accept(why);
    }

    /** The intermediate values kept so far, in the order they came; the latest is the last. */
    public synchronized List<MetricPoint> intermediate() {
        return intermediate.points();
    }

    /**
     * The trial's metric, once its command has ended.
     *
     * @param outputDir the trial's {@code $HONE_OUTPUT}, or null when it has none
     */
    public Reading finish(Path outputDir) {
        if (outputDir != null) {
            Path file;
            try {
                file = Confined.file(outputDir, "metrics.json", "$HONE_OUTPUT");
            } catch (Confined.LinkOutsideException e) {
                return Reading.problem(e.getMessage());
            }
            if (Files.isRegularFile(file)) {
                Reading fromFile = readFile(file);
                if (fromFile != null) {
                    return fromFile;
                }
            }
        }
        Double value;
        String why;
        synchronized (this) {
            value = latest;
            why = ignored;
        }
        if (value == null) {
            return Reading.problem("printed no " + name + " value: " + (why != null ? why
                    : "print a line like `" + name + "=0.93` or write {\"" + name + "\": 0.93} to "
                    + "$HONE_OUTPUT/metrics.json"));
        }
        return of(value);
    }

    /** The metric from metrics.json; null when the file does not hold it. */
    private Reading readFile(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return Reading.problem("metrics.json is not valid JSON: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            return Reading.problem("cannot read metrics.json: " + e.getMessage());
        }
        String example = "{\"" + name + "\": 0.93}";
        if (root == null || root.isMissingNode()) {
            return Reading.problem("metrics.json is empty: write a JSON object like " + example);
        }
        if (!root.isObject()) {
            return Reading.problem("metrics.json must hold a JSON object like " + example + ", not "
                    + abbreviate(root.toString()));
        }
        Reading own = null;
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                own = fromJson(field.getValue());
                if (own.hasValue()) {
                    synchronized (this) {
                        fromFile.put(name, own.value());
                    }
                }
            } else if (field.getValue().isNumber() && Double.isFinite(field.getValue().doubleValue())) {
                synchronized (this) {
                    fromFile.put(field.getKey(), field.getValue().doubleValue());
                }
            }
        }
        return own;
    }

    private Reading fromJson(JsonNode node) {
        if (node.isNumber()) {
            return of(node.doubleValue());
        }
        if (node.isTextual()) {
            try {
                return of(MetricValues.parse(node.textValue()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        return Reading.problem("metrics.json holds " + name + " = " + abbreviate(node.toString())
                + ": expected a number like {\"" + name + "\": 0.93}");
    }

    private static String abbreviate(String json) {
        return json.length() <= 60 ? json : json.substring(0, 57) + "...";
    }

    private Reading of(double value) {
        if (!Double.isFinite(value)) {
            return Reading.problem(name + " is " + MetricValues.describe(value)
                    + ": a non-finite value is no value");
        }
        return new Reading(value, null);
    }

    private static Long step(String line) {
        Matcher matcher = STEP.matcher(line);
        String epoch = null;
        while (matcher.find()) {
            if (matcher.group(1).equalsIgnoreCase("step")) {
                return parseStep(matcher.group(2));
            }
            if (epoch == null) {
                epoch = matcher.group(2);
            }
        }
        return epoch == null ? null : parseStep(epoch);
    }

    private static Long parseStep(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    /** Cheap reject before the regular expression: most lines do not mention the metric at all. */
    private boolean containsName(String line) {
        int last = line.length() - name.length();
        for (int i = 0; i <= last; i++) {
            if (line.regionMatches(true, i, name, 0, name.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A trial's metric: a finite value, or why there is none.
     *
     * @param value   the metric, null when there is none
     * @param problem why there is no value ("accuracy is NaN: a non-finite value is no value"), else null
     */
    public record Reading(Double value, String problem) {

        static Reading problem(String problem) {
            return new Reading(null, problem);
        }

        public boolean hasValue() {
            return value != null;
        }
    }
}
