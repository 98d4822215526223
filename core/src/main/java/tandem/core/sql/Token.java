package tandem.core.sql;

/**
 * One token of SQL text. {@code start} and {@code end} are offsets into the source ({@code end}
 * exclusive), so a rewriter can splice the source around a token. {@code text} is the normalized
 * value for names and strings (an unquoted name folded to lower case, a quoted name or a string
 * constant with its quotes and escapes removed) and null for every other type.
 */
public record Token(TokenType type, int start, int end, String text) {

    /** Whether this is the unquoted keyword {@code lowerCaseWord}; a quoted {@code "select"} is not a keyword. */
    public boolean isKeyword(String lowerCaseWord) {
        return type == TokenType.IDENTIFIER && text.equals(lowerCaseWord);
    }

    public boolean is(TokenType other) {
        return type == other;
    }

    /** The token exactly as written in {@code source}. */
    public String raw(String source) {
        return source.substring(start, end);
    }
}
