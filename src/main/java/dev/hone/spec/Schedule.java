package dev.hone.spec;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a repository's branch heads are trained again ({@code triggers.schedule} of {@code hone-server.yaml}): a
 * five-field cron expression (minute, hour, day of month, month, day of week, as crontab has them) read in a time
 * zone. The only place cron-utils appears.
 *
 * @param expression the expression as written, e.g. {@code 0 3 * * *}
 * @param zone       the zone its hours are in ({@code triggers.time_zone}; default UTC)
 */
public record Schedule(String expression, ZoneId zone) {

    /** What a schedule looks like, for messages. */
    public static final String EXAMPLE = "schedule: \"0 3 * * *\" (every day at 03:00)";
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    public Schedule {
        reason(expression).ifPresent(why -> {
            throw new IllegalArgumentException("not a cron expression: \"" + expression + "\": " + why);
        });
    }

    /** Why {@code expression} is not a five-field cron expression; empty when it is one. */
    static Optional<String> reason(String expression) {
        try {
            PARSER.parse(expression).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** The latest time the schedule names at or before {@code now}; empty when it names none before. */
    public Optional<Instant> latestAtOrBefore(Instant now) {
        ZonedDateTime at = now.atZone(zone);
        ExecutionTime times = ExecutionTime.forCron(cron());
        if (times.isMatch(at.withNano(0)) && at.getSecond() == 0 && at.getNano() == 0) {
            return Optional.of(now);
        }
        return times.lastExecution(at).map(ZonedDateTime::toInstant);
    }

    /** The first time the schedule names after {@code now}. */
    public Optional<Instant> nextAfter(Instant now) {
        return ExecutionTime.forCron(cron()).nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    private Cron cron() {
        return PARSER.parse(expression);
    }

    @Override
    public String toString() {
        return "\"" + expression + "\" (" + zone + ")";
    }
}
