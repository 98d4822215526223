package tandem.adapters.sqlite;

import java.util.List;
import java.util.Map;

import tandem.core.sql.Token;

/**
 * One PostgreSQL statement translated for SQLite, cached by its text.
 *
 * @param sql the SQLite text: {@code $n} as {@code ?n}, casts and PostgreSQL-only syntax as tandem functions
 * @param parameterCount the highest {@code $n} the statement uses
 * @param castParameters {@code $n} that the statement casts ({@code $1::int}): the cast types them
 * @param items the result columns' PostgreSQL names and types as far as the text tells, one per
 *     column; null when the text cannot say (a {@code *} in the list, no select list)
 * @param tokens the original statement's tokens, for parameter type inference
 * @param source the original statement
 * @param template the edits, to render again with coercions that need the schema
 */
record Translation(String sql, int parameterCount, Map<Integer, CastTarget> castParameters, List<SelectItem> items,
        List<Token> tokens, String source, SqlTemplate template, boolean readsCatalogs) {

    /**
     * A result column as the statement's text describes it.
     *
     * @param name the name PostgreSQL gives the column (alias folded to lower case unless quoted,
     *     a column's name, a function's name, {@code ?column?})
     * @param type a type the expression implies (a cast, {@code now()}, a comparison), or null
     * @param parameter n when the column is exactly {@code $n} (typed by the parameter), else 0
     * @param column the table column the item is, when it is exactly one ({@code p.title AS t}), else null
     * @param from the first token of the item's expression, for typing it from the schema ({@link ExpressionTypes})
     * @param to the token after the expression
     */
    record SelectItem(String name, ColumnType type, int parameter, String column, int from, int to) {

        SelectItem(String name, ColumnType type, int parameter, String column) {
            this(name, type, parameter, column, -1, -1);
        }
    }
}
