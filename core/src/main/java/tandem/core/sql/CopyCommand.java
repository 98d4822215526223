package tandem.core.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * {@code COPY table [(columns)] FROM STDIN} with its options, in both of PostgreSQL's spellings:
 * {@code WITH (FORMAT csv, HEADER, DELIMITER ',', NULL '', QUOTE '"', ESCAPE '"')} and the older
 * {@code [WITH] CSV HEADER DELIMITER ',' NULL ''}. For a store that runs the rows as INSERTs.
 *
 * @param columns the listed columns, or empty for all of the table's
 */
public record CopyCommand(TableRef table, List<String> columns, boolean csv, char delimiter, String nullString,
        boolean header, char quote, char escape) {

    /** Whether {@code sql} is a COPY ... FROM STDIN (the only COPY a client feeds). */
    public static boolean isCopyFromStdin(String sql) {
        List<Token> t = SqlLexer.tokenize(sql);
        if (t.isEmpty() || !t.get(0).isKeyword("copy")) {
            return false;
        }
        for (int i = 1; i + 1 < t.size(); i++) {
            if (t.get(i).isKeyword("from") && t.get(i + 1).isKeyword("stdin")) {
                return true;
            }
        }
        return false;
    }

    public static CopyCommand parse(String sql) {
        List<Token> t = SqlLexer.tokenize(sql);
        int p = 1;
        if (p >= t.size() || !t.get(p).type().isName()) {
            throw syntax(sql, t, p);
        }
        String schema = null;
        String name = t.get(p++).text();
        if (p + 1 < t.size() && t.get(p).type() == TokenType.DOT) {
            schema = name;
            name = t.get(p + 1).text();
            p += 2;
        }
        List<String> columns = new ArrayList<>();
        if (p < t.size() && t.get(p).type() == TokenType.LEFT_PAREN) {
            p++;
            while (p < t.size() && t.get(p).type() != TokenType.RIGHT_PAREN) {
                if (t.get(p).type().isName()) {
                    columns.add(t.get(p).text());
                }
                p++;
            }
            p++;
        }
        if (p + 1 >= t.size() || !t.get(p).isKeyword("from") || !t.get(p + 1).isKeyword("stdin")) {
            throw syntax(sql, t, p);
        }
        p += 2;
        boolean csv = false;
        Character delimiter = null;
        String nullString = null;
        boolean header = false;
        char quote = '"';
        Character escape = null;
        if (p < t.size() && t.get(p).isKeyword("with")) {
            p++;
        }
        boolean parenthesised = p < t.size() && t.get(p).type() == TokenType.LEFT_PAREN;
        if (parenthesised) {
            p++;
        }
        while (p < t.size() && t.get(p).type() != TokenType.RIGHT_PAREN && t.get(p).type() != TokenType.SEMICOLON) {
            if (t.get(p).type() == TokenType.COMMA) {
                p++;
                continue;
            }
            String option = t.get(p++).text();
            option = option == null ? "" : option.toLowerCase(Locale.ROOT);
            String value = null;
            if (p < t.size() && (t.get(p).type().isString() || t.get(p).type() == TokenType.IDENTIFIER
                    && !isOptionWord(t.get(p).text()) && parenthesised)) {
                value = t.get(p++).text();
            } else if (option.equals("delimiter") || option.equals("null") || option.equals("quote")
                    || option.equals("escape") || option.equals("format") || option.equals("as")) {
                value = p < t.size() ? t.get(p++).text() : null;
            }
            switch (option) {
                case "format" -> {
                    if ("binary".equalsIgnoreCase(value)) {
                        throw binary();
                    }
                    csv = "csv".equalsIgnoreCase(value);
                }
                case "csv" -> csv = true;
                case "binary" -> throw binary();
                case "header" -> header = value == null || !value.equalsIgnoreCase("false") && !value.equals("0")
                        && !value.equalsIgnoreCase("off");
                case "delimiter" -> delimiter = one(option, value);
                case "null" -> nullString = value;
                case "quote" -> quote = one(option, value);
                case "escape" -> escape = one(option, value);
                case "freeze", "oids", "encoding", "force_not_null", "force_null" -> {
                    // FREEZE is an optimisation; the rest do not change what text format reads
                }
                default -> throw new ProxyException(SqlState.SYNTAX_ERROR, "option \"" + option + "\" not recognized");
            }
        }
        char d = delimiter != null ? delimiter : csv ? ',' : '\t';
        return new CopyCommand(new TableRef(schema, name), List.copyOf(columns), csv, d,
                nullString != null ? nullString : csv ? "" : "\\N", header, quote, escape != null ? escape : quote);
    }

    private static boolean isOptionWord(String word) {
        return switch (word) {
            case "csv", "header", "delimiter", "null", "quote", "escape", "freeze", "binary", "format" -> true;
            default -> false;
        };
    }

    private static char one(String option, String value) {
        if (value == null || value.length() != 1) {
            throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "COPY " + option + " must be a single one-byte "
                    + "character");
        }
        return value.charAt(0);
    }

    private static ProxyException binary() {
        return new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "COPY in binary format is not supported on SQLite "
                + "stores", null, "use the text or csv format");
    }

    private static ProxyException syntax(String sql, List<Token> t, int p) {
        return new ProxyException(SqlState.SYNTAX_ERROR, p < t.size()
                ? "syntax error at or near \"" + t.get(p).raw(sql) + "\"" : "syntax error at end of input");
    }
}
