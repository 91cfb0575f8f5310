package dev.hone.store;

import dev.hone.run.DeliveryStatus;
import dev.hone.run.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The run vocabulary's enums in SQL: each is bound and read as its label ({@code target_reached}, {@code sent}),
 * the text the {@code status} columns have always held, instead of JDBI's default, the constant's name.
 */
final class Labels {

    private Labels() {}

    static void register(Jdbi jdbi) {
        register(jdbi, RunStatus.class, RunStatus::label, RunStatus::of);
        register(jdbi, DeliveryStatus.class, DeliveryStatus::label, DeliveryStatus::of);
    }

    private static <E extends Enum<E>> void register(Jdbi jdbi, Class<E> type, Function<E, String> label,
                                                     Function<String, E> parse) {
        jdbi.registerArgument((ArgumentFactory) (bound, value, config) -> bound != type && !type.isInstance(value)
                ? Optional.empty()
                : Optional.<Argument>of((position, statement, ctx) -> {
                    if (value == null) {
                        statement.setNull(position, Types.VARCHAR);
                    } else {
                        statement.setString(position, label.apply(type.cast(value)));
                    }
                }));
        jdbi.registerColumnMapper(type, (rs, column, ctx) -> {
            String text = rs.getString(column);
            return text == null ? null : parse.apply(text);
        });
    }

    /** Column {@code column} of the current row as {@code type}, through the mapper registered for it. */
    static <T> T column(ResultSet rs, String column, Class<T> type, StatementContext ctx) throws SQLException {
        return ctx.findColumnMapperFor(type).orElseThrow(() -> new IllegalStateException(
                "no column mapper for " + type.getName())).map(rs, column, ctx);
    }
}
