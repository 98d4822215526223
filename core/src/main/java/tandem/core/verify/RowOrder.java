package tandem.core.verify;

import java.util.List;

import tandem.core.sql.SqlLexer;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;

/** Whether a query fixes the order of its rows, which decides how two answers are compared. */
final class RowOrder {

    private RowOrder() {
    }

    /**
     * True when the outermost query has ORDER BY (one in a subquery or window orders nothing the
     * client sees).
     */
    static boolean ordersRows(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is(TokenType.LEFT_PAREN)) {
                depth++;
            } else if (t.is(TokenType.RIGHT_PAREN)) {
                depth--;
            } else if (depth == 0 && t.isKeyword("order") && i + 1 < tokens.size() && tokens.get(i + 1).isKeyword("by")) {
                return true;
            }
        }
        return false;
    }
}
