package tandem.core.sql;

/** What a {@link Token} is. Keywords are not a type of their own: they are {@link #IDENTIFIER}s. */
public enum TokenType {
    /** An unquoted name or keyword; its text is folded to lower case, as PostgreSQL folds it. */
    IDENTIFIER,
    /** A {@code "quoted"} or {@code U&"quoted"} name; its text is the name without quotes. */
    QUOTED_IDENTIFIER,
    /** {@code 'text'} (and {@code N'text'}). */
    STRING,
    /** {@code E'text'}, with backslash escapes. */
    ESCAPE_STRING,
    /** {@code B'0101'}. */
    BIT_STRING,
    /** {@code X'1F'}. */
    HEX_STRING,
    /** {@code U&'text'}. */
    UNICODE_STRING,
    /** {@code $$text$$} or {@code $tag$text$tag$}. */
    DOLLAR_STRING,
    /** {@code 1}, {@code 1.5}, {@code .5}, {@code 1e10}, {@code 0x1F}, {@code 1_000}. */
    NUMBER,
    /** A positional parameter: {@code $1}, or SQLite's {@code ?} and {@code ?1}; the source's first char tells which. */
    PARAMETER,
    /** {@code ::}. */
    CAST,
    /**
     * A run of operator characters, cut the way PostgreSQL cuts it ({@code <=}, {@code ->>},
     * {@code @>}, ...), and the two-character {@code :=} and {@code ..}.
     */
    OPERATOR,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    COMMA,
    SEMICOLON,
    DOT,
    /** A lone {@code :} (array slices). */
    COLON,
    /** A quote, dollar quote or block comment that never closes; the token runs to the end of the input. */
    UNTERMINATED,
    /** A character PostgreSQL would reject here, such as a stray backslash. */
    UNKNOWN;

    /** Whether the token is a string constant of any flavour. */
    public boolean isString() {
        return switch (this) {
            case STRING, ESCAPE_STRING, BIT_STRING, HEX_STRING, UNICODE_STRING, DOLLAR_STRING -> true;
            default -> false;
        };
    }

    /** Whether the token names something: an identifier, keyword or quoted identifier. */
    public boolean isName() {
        return this == IDENTIFIER || this == QUOTED_IDENTIFIER;
    }
}
