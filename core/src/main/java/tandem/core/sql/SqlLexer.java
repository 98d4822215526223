package tandem.core.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A single-pass, never-throwing tokenizer for PostgreSQL SQL text.
 *
 * <p>It sits on the proxy's hot path, so it scans {@code char}s by hand (no regex) and has two
 * faces. As a cursor ({@link #next()}, {@link #type()}, {@link #start()}, {@link #end()},
 * {@link #isKeyword(String)}) it allocates nothing per token, which is what the statement
 * splitter uses on every Query message. {@link #tokenize(String)} materializes {@link Token}s with
 * normalized text for the classifier, which only runs when its cache misses.
 *
 * <p>Whitespace and comments ({@code -- ...} and nested {@code /* /* *&#47; *&#47;}) are skipped.
 * Malformed input never throws: a quote, dollar quote or block comment that does not close
 * becomes one {@link TokenType#UNTERMINATED} token that runs to the end of the input, and a
 * character PostgreSQL would reject becomes an {@link TokenType#UNKNOWN} token, so callers can
 * hand the statement to the server and let it report the syntax error.
 *
 * <p>The rules follow PostgreSQL's {@code scan.l}: identifiers may contain {@code $} (so
 * {@code a$b$} is a name, not a dollar quote), {@code $1} is a parameter, string constants
 * separated only by whitespace that holds a newline are one constant, and an operator such as
 * {@code =-} is cut into {@code =} and {@code -} unless it holds a character that is not a SQL
 * operator. Plain {@code '...'} strings treat backslash as an ordinary character unless the
 * lexer is told that {@code standard_conforming_strings} is off.
 */
public final class SqlLexer {

    /** Keywords after which an expression starts, so a lone {@code ?} there is a parameter, not an operator. */
    private static final String[] KEYWORDS_BEFORE_OPERAND = {
        "select", "where", "and", "or", "not", "limit", "offset", "when", "then", "else", "like", "ilike",
        "between", "values", "returning", "having", "on", "distinct", "all", "any", "some", "case", "by",
        "set", "in", "is", "as", "return", "using", "from", "to", "escape", "similar", "fetch", "first", "next"
    };

    private final String sql;
    private final int length;
    private final boolean standardConformingStrings;

    private int position;
    private TokenType type;
    private int start;
    private int end;
    private TokenType previousType;
    private int previousStart;
    private int previousEnd;

    public SqlLexer(String sql) {
        this(sql, true);
    }

    /**
     * @param standardConformingStrings the session's {@code standard_conforming_strings}; when
     *     false, backslash escapes a quote inside a plain {@code '...'} string, which changes where
     *     the string ends
     */
    public SqlLexer(String sql, boolean standardConformingStrings) {
        this.sql = sql;
        this.length = sql.length();
        this.standardConformingStrings = standardConformingStrings;
    }

    public static List<Token> tokenize(String sql) {
        return tokenize(sql, true);
    }

    public static List<Token> tokenize(String sql, boolean standardConformingStrings) {
        SqlLexer lexer = new SqlLexer(sql, standardConformingStrings);
        List<Token> tokens = new ArrayList<>(Math.max(8, sql.length() >> 3));
        while (lexer.next()) {
            tokens.add(lexer.token());
        }
        return tokens;
    }

    /** Moves to the next token. Returns false, and leaves {@link #type()} null, at the end of the input. */
    public boolean next() {
        if (type != null) {
            previousType = type;
            previousStart = start;
            previousEnd = end;
        }
        if (skipWhitespaceAndComments()) {
            return true;
        }
        if (position >= length) {
            type = null;
            start = end = length;
            return false;
        }
        start = position;
        type = scan();
        end = position;
        return true;
    }

    public TokenType type() {
        return type;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /** Whether the current token is the unquoted keyword {@code lowerCaseWord}, compared without allocating. */
    public boolean isKeyword(String lowerCaseWord) {
        return type == TokenType.IDENTIFIER && matchesIgnoreCase(start, end, lowerCaseWord);
    }

    /** The current token with its normalized text. */
    public Token token() {
        return new Token(type, start, end, text());
    }

    /**
     * The current token's normalized text: names folded (unquoted) or unquoted, string constants
     * with quotes and escapes removed; null for any other type.
     */
    public String text() {
        return switch (type) {
            case IDENTIFIER -> foldedName(start, end);
            case QUOTED_IDENTIFIER -> quotedName();
            case STRING -> stringBody(sql.charAt(start) == '\'' ? start : start + 1, !standardConformingStrings, false);
            case ESCAPE_STRING -> stringBody(start + 1, true, false);
            case BIT_STRING, HEX_STRING -> stringBody(start + 1, false, false);
            case UNICODE_STRING -> stringBody(start + 2, false, true);
            case DOLLAR_STRING -> dollarBody();
            default -> null;
        };
    }

    // ---- scanning ----

    /** Skips blanks and comments; returns true if it stopped on an unterminated block comment, now the current token. */
    private boolean skipWhitespaceAndComments() {
        while (position < length) {
            char c = sql.charAt(position);
            if (isSpace(c)) {
                position++;
            } else if (c == '-' && charAt(position + 1) == '-') {
                position = lineEnd(position + 2);
            } else if (c == '/' && charAt(position + 1) == '*') {
                int close = blockCommentEnd(position + 2);
                if (close < 0) {
                    start = position;
                    type = TokenType.UNTERMINATED;
                    position = end = length;
                    return true;
                }
                position = close;
            } else {
                return false;
            }
        }
        return false;
    }

    private TokenType scan() {
        char c = sql.charAt(position);
        switch (c) {
            case '\'':
                return quotedString(position + 1, !standardConformingStrings, TokenType.STRING);
            case '"':
                return quotedIdentifier(position + 1);
            case '$':
                return dollar();
            case '(':
                position++;
                return TokenType.LEFT_PAREN;
            case ')':
                position++;
                return TokenType.RIGHT_PAREN;
            case '[':
                position++;
                return TokenType.LEFT_BRACKET;
            case ']':
                position++;
                return TokenType.RIGHT_BRACKET;
            case ',':
                position++;
                return TokenType.COMMA;
            case ';':
                position++;
                return TokenType.SEMICOLON;
            case ':':
                if (charAt(position + 1) == ':') {
                    position += 2;
                    return TokenType.CAST;
                }
                if (charAt(position + 1) == '=') {
                    position += 2;
                    return TokenType.OPERATOR;
                }
                position++;
                return TokenType.COLON;
            case '.':
                if (charAt(position + 1) == '.') {
                    position += 2; // PL/pgSQL's range "..", one token as in PostgreSQL
                    return TokenType.OPERATOR;
                }
                if (isDigit(charAt(position + 1))) {
                    return number();
                }
                position++;
                return TokenType.DOT;
            default:
                break;
        }
        if (isDigit(c)) {
            return number();
        }
        if (isIdentifierStart(c)) {
            return identifierOrPrefixedString(c);
        }
        if (isOperatorChar(c)) {
            return operator();
        }
        position++;
        return TokenType.UNKNOWN;
    }

    private TokenType identifierOrPrefixedString(char c) {
        char next = charAt(position + 1);
        if (next == '\'') {
            switch (c) {
                case 'e', 'E':
                    return quotedString(position + 2, true, TokenType.ESCAPE_STRING);
                case 'b', 'B':
                    return quotedString(position + 2, false, TokenType.BIT_STRING);
                case 'x', 'X':
                    return quotedString(position + 2, false, TokenType.HEX_STRING);
                case 'n', 'N':
                    return quotedString(position + 2, !standardConformingStrings, TokenType.STRING);
                default:
                    break;
            }
        } else if ((c == 'u' || c == 'U') && next == '&') {
            char quote = charAt(position + 2);
            if (quote == '\'') {
                return quotedString(position + 3, false, TokenType.UNICODE_STRING);
            }
            if (quote == '"') {
                return quotedIdentifier(position + 3);
            }
        }
        int p = position + 1;
        while (p < length && isIdentifierPart(sql.charAt(p))) {
            p++;
        }
        position = p;
        return TokenType.IDENTIFIER;
    }

    /** Scans a quoted string whose body starts at {@code p}, including continuation across newlines. */
    private TokenType quotedString(int p, boolean backslashEscapes, TokenType found) {
        while (p < length) {
            char ch = sql.charAt(p);
            if (ch == '\\' && backslashEscapes) {
                p += 2;
            } else if (ch == '\'') {
                if (charAt(p + 1) == '\'') {
                    p += 2;
                    continue;
                }
                int resumed = continuation(p + 1);
                if (resumed < 0) {
                    position = p + 1;
                    return found;
                }
                p = resumed + 1;
            } else {
                p++;
            }
        }
        position = length;
        return TokenType.UNTERMINATED;
    }

    /**
     * PostgreSQL joins {@code 'a'} and {@code 'b'} into one constant when only whitespace holding
     * at least one newline (and {@code --} comments) separates them. Returns the index of the
     * next opening quote, or -1 when the string really ended at {@code p}.
     */
    private int continuation(int p) {
        boolean newline = false;
        while (p < length) {
            char ch = sql.charAt(p);
            if (ch == '\n' || ch == '\r') {
                newline = true;
                p++;
            } else if (isSpace(ch)) {
                p++;
            } else if (ch == '-' && charAt(p + 1) == '-') {
                p = lineEnd(p + 2);
            } else {
                return newline && ch == '\'' ? p : -1;
            }
        }
        return -1;
    }

    private TokenType quotedIdentifier(int p) {
        while (p < length) {
            if (sql.charAt(p) == '"') {
                if (charAt(p + 1) == '"') {
                    p += 2;
                    continue;
                }
                position = p + 1;
                return TokenType.QUOTED_IDENTIFIER;
            }
            p++;
        }
        position = length;
        return TokenType.UNTERMINATED;
    }

    private TokenType dollar() {
        int p = position + 1;
        char c = charAt(p);
        if (isDigit(c)) {
            while (isDigit(charAt(p))) {
                p++;
            }
            position = p;
            return TokenType.PARAMETER;
        }
        if (c != '$') {
            if (!isIdentifierStart(c)) {
                position++;
                return TokenType.UNKNOWN;
            }
            while (p < length && isDollarTagPart(sql.charAt(p))) {
                p++;
            }
            if (charAt(p) != '$') {
                position++;
                return TokenType.UNKNOWN;
            }
        }
        int tagLength = p + 1 - position;
        int close = dollarClose(position, tagLength, p + 1);
        if (close < 0) {
            position = length;
            return TokenType.UNTERMINATED;
        }
        position = close + tagLength;
        return TokenType.DOLLAR_STRING;
    }

    /** Index of the closing tag equal to the tag at {@code tagStart}, searching from {@code from}; -1 if none. */
    private int dollarClose(int tagStart, int tagLength, int from) {
        for (int p = sql.indexOf('$', from); p >= 0; p = sql.indexOf('$', p + 1)) {
            if (sql.regionMatches(p, sql, tagStart, tagLength)) {
                return p;
            }
        }
        return -1;
    }

    private TokenType number() {
        int p = position;
        char first = sql.charAt(p);
        char radix = charAt(p + 1);
        if (first == '0' && (radix == 'x' || radix == 'X' || radix == 'o' || radix == 'O' || radix == 'b' || radix == 'B')
                && isHexDigit(charAt(p + 2))) {
            p += 2;
            while (isHexDigit(charAt(p)) || charAt(p) == '_') {
                p++;
            }
            position = p;
            return TokenType.NUMBER;
        }
        p = digits(p);
        // "1..5" is 1 followed by "..", as in PL/pgSQL's FOR i IN 1..5
        if (charAt(p) == '.' && charAt(p + 1) != '.') {
            p = digits(p + 1);
        }
        char e = charAt(p);
        if (e == 'e' || e == 'E') {
            int q = p + 1;
            if (charAt(q) == '+' || charAt(q) == '-') {
                q++;
            }
            if (isDigit(charAt(q))) {
                p = digits(q);
            }
        }
        position = p;
        return TokenType.NUMBER;
    }

    private int digits(int p) {
        while (isDigit(charAt(p)) || (charAt(p) == '_' && isDigit(charAt(p + 1)))) {
            p++;
        }
        return p;
    }

    private TokenType operator() {
        int p = position;
        while (p < length) {
            char ch = sql.charAt(p);
            if (!isOperatorChar(ch)) {
                break;
            }
            // a comment start ends the operator: "x*/*c*/y" is x * y
            if (p > position && ((ch == '-' && charAt(p + 1) == '-') || (ch == '/' && charAt(p + 1) == '*'))) {
                break;
            }
            // SQLite's "id=?" is "=" then a parameter, not PostgreSQL's (nonexistent) operator "=?"
            if (ch == '?' && isComparison(position, p)) {
                break;
            }
            p++;
        }
        int n = p - position;
        // '+' and '-' cannot end a multi-char operator unless it holds a non-SQL operator char: "=-" is "=" "-"
        if (n > 1 && (sql.charAt(position + n - 1) == '+' || sql.charAt(position + n - 1) == '-')) {
            boolean exotic = false;
            for (int i = position; i < position + n - 1; i++) {
                if ("~!@#^&|`?%".indexOf(sql.charAt(i)) >= 0) {
                    exotic = true;
                    break;
                }
            }
            if (!exotic) {
                do {
                    n--;
                } while (n > 1 && (sql.charAt(position + n - 1) == '+' || sql.charAt(position + n - 1) == '-'));
            }
        }
        boolean question = n == 1 && sql.charAt(position) == '?';
        position += n;
        if (question) {
            if (isDigit(charAt(position))) {
                while (isDigit(charAt(position))) {
                    position++;
                }
                return TokenType.PARAMETER;
            }
            if (!previousEndsOperand()) {
                return TokenType.PARAMETER;
            }
        }
        return TokenType.OPERATOR;
    }

    private boolean isComparison(int from, int to) {
        int n = to - from;
        if (n == 1) {
            char a = sql.charAt(from);
            return a == '=' || a == '<' || a == '>';
        }
        if (n == 2) {
            char a = sql.charAt(from);
            char b = sql.charAt(from + 1);
            return (b == '=' && (a == '<' || a == '>' || a == '!')) || (a == '<' && b == '>');
        }
        return false;
    }

    /**
     * Whether the token before a lone {@code ?} ends an operand, making the {@code ?} PostgreSQL's
     * jsonb/hstore operator ({@code data ? 'key'}) rather than a SQLite parameter ({@code id = ?}).
     */
    private boolean previousEndsOperand() {
        if (previousType == null) {
            return false;
        }
        return switch (previousType) {
            case IDENTIFIER -> {
                for (String keyword : KEYWORDS_BEFORE_OPERAND) {
                    if (matchesIgnoreCase(previousStart, previousEnd, keyword)) {
                        yield false;
                    }
                }
                yield true;
            }
            case QUOTED_IDENTIFIER, STRING, ESCAPE_STRING, BIT_STRING, HEX_STRING, UNICODE_STRING, DOLLAR_STRING,
                    NUMBER, PARAMETER, RIGHT_PAREN, RIGHT_BRACKET -> true;
            default -> false;
        };
    }

    private int lineEnd(int p) {
        while (p < length && sql.charAt(p) != '\n' && sql.charAt(p) != '\r') {
            p++;
        }
        return p;
    }

    /** Index just past the {@code *}{@code /} that closes a (nested) block comment whose body starts at p; -1 if none. */
    private int blockCommentEnd(int p) {
        int depth = 1;
        while (p < length) {
            char ch = sql.charAt(p);
            if (ch == '/' && charAt(p + 1) == '*') {
                depth++;
                p += 2;
            } else if (ch == '*' && charAt(p + 1) == '/') {
                p += 2;
                if (--depth == 0) {
                    return p;
                }
            } else {
                p++;
            }
        }
        return -1;
    }

    // ---- normalized text ----

    private boolean matchesIgnoreCase(int from, int to, String lowerCaseWord) {
        if (to - from != lowerCaseWord.length()) {
            return false;
        }
        for (int i = 0; i < lowerCaseWord.length(); i++) {
            char c = sql.charAt(from + i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCaseWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Folds ASCII letters only, as PostgreSQL does for a UTF-8 database. */
    private String foldedName(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = sql.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = new char[to - from];
                sql.getChars(from, to, chars, 0);
                for (int j = i - from; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] += 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return sql.substring(from, to);
    }

    private String quotedName() {
        boolean unicode = sql.charAt(start) != '"';
        int from = unicode ? start + 3 : start + 1;
        StringBuilder out = new StringBuilder(end - from);
        for (int p = from; p < end - 1; p++) {
            char ch = sql.charAt(p);
            if (ch == '"') {
                p++;
            } else if (unicode && ch == '\\') {
                p = unicodeEscape(p, end - 1, out) - 1;
                continue;
            }
            out.append(ch);
        }
        return out.toString();
    }

    private String stringBody(int quote, boolean backslashEscapes, boolean unicodeEscapes) {
        StringBuilder out = new StringBuilder(end - quote);
        int p = quote + 1;
        while (p < end) {
            char ch = sql.charAt(p);
            if (ch == '\'') {
                if (p + 1 < end && sql.charAt(p + 1) == '\'') {
                    out.append('\'');
                    p += 2;
                    continue;
                }
                int resumed = continuation(p + 1);
                if (resumed < 0 || resumed >= end) {
                    break;
                }
                p = resumed + 1;
            } else if (ch == '\\' && backslashEscapes) {
                p = backslashEscape(p, out);
            } else if (ch == '\\' && unicodeEscapes) {
                p = unicodeEscape(p, end, out);
            } else {
                out.append(ch);
                p++;
            }
        }
        return out.toString();
    }

    /** Decodes the escape at {@code p} (a backslash) as PostgreSQL does in {@code E'...'}; returns the index after it. */
    private int backslashEscape(int p, StringBuilder out) {
        char ch = charAt(p + 1);
        switch (ch) {
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'x' -> {
                int q = p + 2;
                int value = 0;
                while (q < p + 4 && isHexDigit(charAt(q))) {
                    value = value * 16 + Character.digit(sql.charAt(q), 16);
                    q++;
                }
                if (q == p + 2) {
                    out.append('x');
                    return p + 2;
                }
                out.append((char) value);
                return q;
            }
            case 'u', 'U' -> {
                int digits = ch == 'u' ? 4 : 8;
                int codePoint = hexValue(p + 2, digits);
                if (codePoint < 0 || !Character.isValidCodePoint(codePoint)) {
                    out.append(ch);
                    return p + 2;
                }
                out.appendCodePoint(codePoint);
                return p + 2 + digits;
            }
            default -> {
                if (ch >= '0' && ch <= '7') {
                    int q = p + 1;
                    int value = 0;
                    while (q < p + 4 && charAt(q) >= '0' && charAt(q) <= '7') {
                        value = value * 8 + (sql.charAt(q) - '0');
                        q++;
                    }
                    out.append((char) value);
                    return q;
                }
                if (p + 1 < end) {
                    out.append(ch);
                }
            }
        }
        return p + 2;
    }

    /** Decodes {@code \XXXX}, {@code \+XXXXXX} or {@code \\} at p (the default UESCAPE); returns the index after it. */
    private int unicodeEscape(int p, int limit, StringBuilder out) {
        if (p + 1 < limit && sql.charAt(p + 1) == '\\') {
            out.append('\\');
            return p + 2;
        }
        if (p + 1 < limit && sql.charAt(p + 1) == '+') {
            int codePoint = hexValue(p + 2, 6);
            if (codePoint >= 0 && Character.isValidCodePoint(codePoint) && p + 8 <= limit) {
                out.appendCodePoint(codePoint);
                return p + 8;
            }
        } else {
            int codePoint = hexValue(p + 1, 4);
            if (codePoint >= 0 && p + 5 <= limit) {
                out.appendCodePoint(codePoint);
                return p + 5;
            }
        }
        out.append('\\');
        return p + 1;
    }

    private int hexValue(int from, int digits) {
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            if (!isHexDigit(charAt(i))) {
                return -1;
            }
            value = value * 16 + Character.digit(sql.charAt(i), 16);
        }
        return value;
    }

    private String dollarBody() {
        int tagEnd = sql.indexOf('$', start + 1) + 1;
        int tagLength = tagEnd - start;
        return sql.substring(tagEnd, end - tagLength);
    }

    // ---- characters ----

    private char charAt(int p) {
        return p < length ? sql.charAt(p) : '\0';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** PostgreSQL treats every byte >= 0x80 as a letter; every non-ASCII char is the Java equivalent. */
    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    private static boolean isOperatorChar(char c) {
        return switch (c) {
            case '+', '-', '*', '/', '<', '>', '=', '~', '!', '@', '#', '%', '^', '&', '|', '`', '?' -> true;
            default -> false;
        };
    }
}
