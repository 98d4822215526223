package tandem.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static tandem.core.sql.TokenType.CAST;
import static tandem.core.sql.TokenType.COLON;
import static tandem.core.sql.TokenType.COMMA;
import static tandem.core.sql.TokenType.DOLLAR_STRING;
import static tandem.core.sql.TokenType.DOT;
import static tandem.core.sql.TokenType.IDENTIFIER;
import static tandem.core.sql.TokenType.LEFT_BRACKET;
import static tandem.core.sql.TokenType.LEFT_PAREN;
import static tandem.core.sql.TokenType.NUMBER;
import static tandem.core.sql.TokenType.OPERATOR;
import static tandem.core.sql.TokenType.PARAMETER;
import static tandem.core.sql.TokenType.QUOTED_IDENTIFIER;
import static tandem.core.sql.TokenType.RIGHT_BRACKET;
import static tandem.core.sql.TokenType.RIGHT_PAREN;
import static tandem.core.sql.TokenType.SEMICOLON;
import static tandem.core.sql.TokenType.STRING;
import static tandem.core.sql.TokenType.UNKNOWN;
import static tandem.core.sql.TokenType.UNTERMINATED;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SqlLexerTest {

    private static List<TokenType> types(String sql) {
        return SqlLexer.tokenize(sql).stream().map(Token::type).toList();
    }

    private static List<String> raws(String sql) {
        return SqlLexer.tokenize(sql).stream().map(token -> token.raw(sql)).toList();
    }

    private static Token only(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        assertThat(tokens).hasSize(1);
        return tokens.get(0);
    }

    @Test
    void foldsUnquotedIdentifiersToLowerCase() {
        Token token = only("MyTable");
        assertThat(token.type()).isEqualTo(IDENTIFIER);
        assertThat(token.text()).isEqualTo("mytable");
        assertThat(token.isKeyword("mytable")).isTrue();
    }

    @Test
    void foldsOnlyAsciiLetters() {
        assertThat(only("ÄBC").text()).isEqualTo("Äbc");
    }

    @Test
    void keepsQuotedIdentifiersExactWithDoubledQuotes() {
        Token token = only("\"My \"\"Table\"\"\"");
        assertThat(token.type()).isEqualTo(QUOTED_IDENTIFIER);
        assertThat(token.text()).isEqualTo("My \"Table\"");
        assertThat(token.isKeyword("my \"table\"")).isFalse();
    }

    @Test
    void quotedKeywordIsNotAKeyword() {
        assertThat(only("\"select\"").isKeyword("select")).isFalse();
    }

    @Test
    void decodesUnicodeQuotedIdentifiers() {
        Token token = only("U&\"d\\0061t\\+000061\"");
        assertThat(token.type()).isEqualTo(QUOTED_IDENTIFIER);
        assertThat(token.text()).isEqualTo("data");
    }

    @Test
    void identifiersMayContainDollarSigns() {
        Token token = only("a$b$");
        assertThat(token.type()).isEqualTo(IDENTIFIER);
        assertThat(token.text()).isEqualTo("a$b$");
    }

    @Test
    void unescapesDoubledQuotesInStrings() {
        Token token = only("'it''s'");
        assertThat(token.type()).isEqualTo(STRING);
        assertThat(token.text()).isEqualTo("it's");
    }

    @Test
    void treatsBackslashAsOrdinaryInStandardConformingStrings() {
        List<Token> tokens = SqlLexer.tokenize("'a\\' x");
        assertThat(tokens).extracting(Token::type).containsExactly(STRING, IDENTIFIER);
        assertThat(tokens.get(0).text()).isEqualTo("a\\");
    }

    @Test
    void treatsBackslashAsEscapeWhenStandardConformingStringsIsOff() {
        List<Token> tokens = SqlLexer.tokenize("'a\\'b' x", false);
        assertThat(tokens).extracting(Token::type).containsExactly(STRING, IDENTIFIER);
        assertThat(tokens.get(0).text()).isEqualTo("a'b");
    }

    @Test
    void decodesEscapeStrings() {
        Token token = only("E'a\\'b\\n\\t\\\\\\x41\\101\\u00e9'");
        assertThat(token.type()).isEqualTo(TokenType.ESCAPE_STRING);
        assertThat(token.text()).isEqualTo("a'b\n\t\\AAé");
    }

    @Test
    void lexesBitHexNationalAndUnicodeStrings() {
        assertThat(only("B'0101'").type()).isEqualTo(TokenType.BIT_STRING);
        assertThat(only("b'0101'").text()).isEqualTo("0101");
        assertThat(only("X'1F'").type()).isEqualTo(TokenType.HEX_STRING);
        assertThat(only("x'1F'").text()).isEqualTo("1F");
        assertThat(only("N'abc'").type()).isEqualTo(STRING);
        assertThat(only("N'abc'").text()).isEqualTo("abc");
        Token unicode = only("U&'d\\0061t\\+000061'");
        assertThat(unicode.type()).isEqualTo(TokenType.UNICODE_STRING);
        assertThat(unicode.text()).isEqualTo("data");
    }

    @Test
    void prefixLetterInsideAWordDoesNotStartAString() {
        assertThat(types("type'x'")).containsExactly(IDENTIFIER, STRING);
        assertThat(raws("type'x'")).containsExactly("type", "'x'");
    }

    @Test
    void joinsStringsSeparatedByWhitespaceWithNewline() {
        String sql = "'foo'\n  'bar' -- c\n'baz'";
        Token token = only(sql);
        assertThat(token.type()).isEqualTo(STRING);
        assertThat(token.text()).isEqualTo("foobarbaz");
        assertThat(token.end()).isEqualTo(sql.length());
    }

    @Test
    void doesNotJoinStringsOnTheSameLine() {
        assertThat(types("'foo' 'bar'")).containsExactly(STRING, STRING);
    }

    @Test
    void continuationOfEscapeStringKeepsBackslashEscapes() {
        // the second part is still in E'' mode, so \' does not close it
        Token token = only("E'a'\n'\\';'");
        assertThat(token.type()).isEqualTo(TokenType.ESCAPE_STRING);
        assertThat(token.text()).isEqualTo("a';");
    }

    @Test
    void lexesDollarQuotedStrings() {
        Token token = only("$$it's; a -- body$$");
        assertThat(token.type()).isEqualTo(DOLLAR_STRING);
        assertThat(token.text()).isEqualTo("it's; a -- body");
    }

    @Test
    void lexesTaggedDollarQuotesWithNestedOtherTags() {
        String sql = "$fn$ SELECT $$x$$; $fn$";
        Token token = only(sql);
        assertThat(token.type()).isEqualTo(DOLLAR_STRING);
        assertThat(token.text()).isEqualTo(" SELECT $$x$$; ");
    }

    @Test
    void dollarDigitIsAParameterNotADollarQuote() {
        assertThat(types("$1 + $12")).containsExactly(PARAMETER, OPERATOR, PARAMETER);
        assertThat(raws("$1 + $12")).containsExactly("$1", "+", "$12");
    }

    @Test
    void lexesSqliteQuestionMarkParameters() {
        assertThat(types("a = ? AND b = ?2")).containsExactly(
                IDENTIFIER, OPERATOR, PARAMETER, IDENTIFIER, IDENTIFIER, OPERATOR, PARAMETER);
        assertThat(types("VALUES (?, ?)")).containsExactly(IDENTIFIER, LEFT_PAREN, PARAMETER, COMMA, PARAMETER, RIGHT_PAREN);
        assertThat(types("id=?")).containsExactly(IDENTIFIER, OPERATOR, PARAMETER);
        assertThat(types("LIMIT ?")).containsExactly(IDENTIFIER, PARAMETER);
    }

    @Test
    void questionMarkAfterAnOperandIsTheJsonbOperator() {
        assertThat(types("data ? 'key'")).containsExactly(IDENTIFIER, OPERATOR, STRING);
        assertThat(types("data ?| array['a']")).containsExactly(IDENTIFIER, OPERATOR, IDENTIFIER, LEFT_BRACKET, STRING, RIGHT_BRACKET);
    }

    @Test
    void lexesNumbers() {
        assertThat(raws("1 1.5 .5 1e10 1.5E-3 0x1F 0o17 0b101 1_000 5.")).containsExactly(
                "1", "1.5", ".5", "1e10", "1.5E-3", "0x1F", "0o17", "0b101", "1_000", "5.");
        assertThat(types("1 1.5 .5 1e10")).containsOnly(NUMBER);
    }

    @Test
    void rangeDotsAfterIntegerAreNotADecimalPoint() {
        assertThat(raws("1..5")).containsExactly("1", "..", "5");
    }

    @Test
    void lexesCastAndPunctuation() {
        assertThat(types("x::int[1:2], a.b;")).containsExactly(
                IDENTIFIER, CAST, IDENTIFIER, LEFT_BRACKET, NUMBER, COLON, NUMBER, RIGHT_BRACKET, COMMA,
                IDENTIFIER, DOT, IDENTIFIER, SEMICOLON);
    }

    @Test
    void lexesMultiCharacterOperators() {
        assertThat(raws("a <= b <> c ->> 'k' @> d || e != f")).containsExactly(
                "a", "<=", "b", "<>", "c", "->>", "'k'", "@>", "d", "||", "e", "!=", "f");
    }

    @Test
    void splitsTrailingPlusOrMinusOffSqlOperators() {
        assertThat(raws("a=-1")).containsExactly("a", "=", "-", "1");
        assertThat(raws("a*-b")).containsExactly("a", "*", "-", "b");
        // '@' is not a SQL operator character, so "@-" stays whole
        assertThat(raws("a @- b")).containsExactly("a", "@-", "b");
    }

    @Test
    void commentStartEndsAnOperator() {
        assertThat(raws("a+--c\nb")).containsExactly("a", "+", "b");
        assertThat(raws("a*/* c */b")).containsExactly("a", "*", "b");
    }

    @Test
    void skipsLineAndNestedBlockComments() {
        assertThat(raws("a -- x; y\n b /* c /* nested */ still; comment */ d")).containsExactly("a", "b", "d");
    }

    @Test
    void offsetsPointIntoTheSource() {
        String sql = "SELECT  x::int FROM \"T\" WHERE id = $1";
        for (Token token : SqlLexer.tokenize(sql)) {
            assertThat(sql.substring(token.start(), token.end())).isEqualTo(token.raw(sql));
        }
        Token cast = SqlLexer.tokenize(sql).get(2);
        assertThat(cast.type()).isEqualTo(CAST);
        assertThat(cast.start()).isEqualTo(9);
        assertThat(cast.end()).isEqualTo(11);
    }

    @Test
    void unterminatedStringRunsToTheEnd() {
        List<Token> tokens = SqlLexer.tokenize("SELECT 'abc; DROP TABLE x");
        assertThat(tokens).extracting(Token::type).containsExactly(IDENTIFIER, UNTERMINATED);
        assertThat(tokens.get(1).end()).isEqualTo(25);
    }

    @Test
    void unterminatedQuotesAndCommentsRunToTheEnd() {
        assertThat(types("SELECT \"abc")).containsExactly(IDENTIFIER, UNTERMINATED);
        assertThat(types("SELECT $$abc")).containsExactly(IDENTIFIER, UNTERMINATED);
        assertThat(types("SELECT $x$abc$y$")).containsExactly(IDENTIFIER, UNTERMINATED);
        assertThat(types("SELECT E'abc\\'")).containsExactly(IDENTIFIER, UNTERMINATED);
        assertThat(types("SELECT 1 /* a /* b */")).containsExactly(IDENTIFIER, NUMBER, UNTERMINATED);
    }

    @Test
    void strayCharactersBecomeUnknownTokens() {
        assertThat(types("a \\ b $ c")).containsExactly(IDENTIFIER, UNKNOWN, IDENTIFIER, UNKNOWN, IDENTIFIER);
    }

    @Test
    void cursorComparesKeywordsWithoutFolding() {
        SqlLexer lexer = new SqlLexer("SeLeCt \"select\"");
        assertThat(lexer.next()).isTrue();
        assertThat(lexer.isKeyword("select")).isTrue();
        assertThat(lexer.next()).isTrue();
        assertThat(lexer.isKeyword("select")).isFalse();
        assertThat(lexer.next()).isFalse();
        assertThat(lexer.type()).isNull();
    }

    @Test
    void emptyAndBlankInputHaveNoTokens() {
        assertThat(SqlLexer.tokenize("")).isEmpty();
        assertThat(SqlLexer.tokenize("  -- only a comment\n /* and another */ ")).isEmpty();
    }

    @Test
    void neverThrowsOnArbitraryInput() {
        Random random = new Random(42);
        String alphabet = "ab$'\"\\-/*;()[]:.?=eExXuU&0123456789 \n\u00e9";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sql = new StringBuilder();
            int length = random.nextInt(24);
            for (int i = 0; i < length; i++) {
                sql.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String input = sql.toString();
            assertThatCode(() -> {
                List<Token> tokens = SqlLexer.tokenize(input);
                int previousEnd = 0;
                for (Token token : tokens) {
                    assertThat(token.start()).isGreaterThanOrEqualTo(previousEnd);
                    assertThat(token.end()).isGreaterThan(token.start()).isLessThanOrEqualTo(input.length());
                    previousEnd = token.end();
                }
                SqlLexer.tokenize(input, false);
                StatementSplitter.split(input);
                new StatementClassifier().classify(input);
            }).as(input).doesNotThrowAnyException();
        }
    }
}
