package tandem.adapters.sqlite;

import java.util.ArrayList;
import java.util.List;

import tandem.core.sql.Token;
import tandem.core.sql.TokenType;
import tandem.core.type.PgType;

/**
 * Types the parameters a client left unspecified (OID 0, as node-postgres and Drizzle send every
 * parameter) from where they appear, as PostgreSQL's parser would: {@code $1::int} is an integer,
 * a parameter compared with or assigned to a column takes the column's declared type
 * ({@link ColumnContext}), LIMIT and OFFSET take bigint, LIKE takes text. Everything else is text.
 *
 * <p>It matters for more than Describe: a boolean sent as the text {@code true} must be stored
 * as 1, and a timestamp sent as {@code 2024-01-15T10:30:00.000Z} as tandem's timestamp text.
 */
final class ParameterInference {

    private ParameterInference() {
    }

    /**
     * @param declared what the client declared, null where it left the type open; may be shorter
     *     or longer than the statement's parameter count
     */
    static List<PgType> infer(Translation t, List<PgType> declared, ColumnContext context) {
        int count = Math.max(t.parameterCount(), declared.size());
        PgType[] types = new PgType[count];
        for (int i = 0; i < declared.size(); i++) {
            types[i] = declared.get(i);
        }
        t.castParameters().forEach((n, cast) -> {
            if (n <= count && types[n - 1] == null) {
                types[n - 1] = cast.type();
            }
        });
        List<Token> tokens = t.tokens();
        for (int p = 0; p < tokens.size(); p++) {
            Token token = tokens.get(p);
            if (token.type() != TokenType.PARAMETER || !token.raw(t.source()).startsWith("$")) {
                continue;
            }
            int n = Integer.parseInt(token.raw(t.source()).substring(1));
            if (n <= count && types[n - 1] == null) {
                types[n - 1] = fromNeighbours(tokens, p, context);
            }
        }
        List<PgType> out = new ArrayList<>(count);
        for (PgType type : types) {
            out.add(type == null ? PgType.TEXT : type);
        }
        return out;
    }

    private static PgType fromNeighbours(List<Token> tokens, int p, ColumnContext context) {
        if (p > 0 && (tokens.get(p - 1).isKeyword("limit") || tokens.get(p - 1).isKeyword("offset"))) {
            return PgType.INT8;
        }
        if (p > 0 && (tokens.get(p - 1).isKeyword("like") || tokens.get(p - 1).isKeyword("ilike"))) {
            return PgType.TEXT;
        }
        String declared = context.declaredTypeAt(p);
        if (declared == null) {
            return null;
        }
        ColumnType type = TypeNames.declared(declared);
        return type.basis() == ColumnType.Basis.UNKNOWN ? null : type.type();
    }
}
