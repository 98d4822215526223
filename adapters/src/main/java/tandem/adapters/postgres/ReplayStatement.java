package tandem.adapters.postgres;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.RowWriter;
import tandem.core.sql.SqlLexer;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;

/**
 * A client's statement on a keyless table, made ready for pgjdbc: clients write parameters as
 * {@code $1}, pgjdbc as {@code ?}, and pgjdbc reads every {@code ?} (also the jsonb operators
 * {@code ?}, {@code ?|}, {@code ?&}) as a parameter unless doubled. So each {@code $n} becomes a
 * {@code ?} with its value in the order of appearance ({@code $1} used twice binds twice), and
 * each {@code ?} in an operator is doubled; strings, quoted names and comments are left alone.
 */
record ReplayStatement(String sql, List<Object> parameters) {

    static ReplayStatement of(RowWriter.Replay replay) {
        String source = replay.sql();
        StringBuilder out = new StringBuilder(source.length());
        List<Object> parameters = new ArrayList<>();
        int copied = 0;
        for (Token token : SqlLexer.tokenize(source)) {
            if (token.is(TokenType.PARAMETER) && source.charAt(token.start()) == '$') {
                int n = Integer.parseInt(source.substring(token.start() + 1, token.end()));
                if (n < 1 || n > replay.parameters().size()) {
                    throw new ProxyException(SqlState.UNDEFINED_PARAMETER, "there is no parameter $" + n
                            + " in the statement being replayed (" + replay.parameters().size() + " given)");
                }
                out.append(source, copied, token.start()).append('?');
                parameters.add(replay.parameters().get(n - 1));
                copied = token.end();
            } else if ((token.is(TokenType.OPERATOR) || token.is(TokenType.PARAMETER)) && source.substring(token.start(),
                    token.end()).contains("?")) {
                out.append(source, copied, token.start()).append(source.substring(token.start(), token.end())
                        .replace("?", "??"));
                copied = token.end();
            }
        }
        out.append(source, copied, source.length());
        return new ReplayStatement(out.toString(), parameters);
    }

    /** Text goes untyped, so the server types it from its place in the statement, as it did for the client. */
    static void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(i, Types.OTHER);
            case String s -> ps.setObject(i, s, Types.OTHER);
            case BigDecimal d -> ps.setBigDecimal(i, d);
            case byte[] b -> ps.setBytes(i, b);
            case java.util.List<?> list -> throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "an array parameter "
                    + "of a statement on a keyless table cannot be replayed yet", null, "add a primary key to the table "
                            + "so it is mirrored by row, or exclude it");
            default -> ps.setObject(i, v);
        }
    }
}
