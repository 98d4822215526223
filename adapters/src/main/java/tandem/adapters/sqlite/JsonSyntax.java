package tandem.adapters.sqlite;

/**
 * Checks JSON text the way PostgreSQL's json input function does (RFC 8259), so that a cast to
 * json fails where PostgreSQL fails instead of storing text no PostgreSQL could load.
 */
final class JsonSyntax {

    private final String s;
    private int p;

    private JsonSyntax(String s) {
        this.s = s;
    }

    static boolean isValid(String text) {
        JsonSyntax parser = new JsonSyntax(text);
        try {
            parser.value(0);
            parser.blanks();
            return parser.p == text.length();
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return false;
        }
    }

    private void value(int depth) {
        if (depth > 6400) {
            throw new IllegalArgumentException("too deep");
        }
        blanks();
        char c = s.charAt(p);
        switch (c) {
            case '{' -> {
                p++;
                blanks();
                if (s.charAt(p) == '}') {
                    p++;
                    return;
                }
                while (true) {
                    blanks();
                    string();
                    blanks();
                    expect(':');
                    value(depth + 1);
                    blanks();
                    if (s.charAt(p) == ',') {
                        p++;
                    } else {
                        expect('}');
                        return;
                    }
                }
            }
            case '[' -> {
                p++;
                blanks();
                if (s.charAt(p) == ']') {
                    p++;
                    return;
                }
                while (true) {
                    value(depth + 1);
                    blanks();
                    if (s.charAt(p) == ',') {
                        p++;
                    } else {
                        expect(']');
                        return;
                    }
                }
            }
            case '"' -> string();
            case 't' -> word("true");
            case 'f' -> word("false");
            case 'n' -> word("null");
            default -> number();
        }
    }

    private void string() {
        expect('"');
        while (true) {
            char c = s.charAt(p++);
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c == '\\') {
                char e = s.charAt(p++);
                if (e == 'u') {
                    for (int i = 0; i < 4; i++) {
                        if (Character.digit(s.charAt(p++), 16) < 0) {
                            throw new IllegalArgumentException("bad \\u escape");
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
            }
        }
    }

    private void number() {
        int start = p;
        if (s.charAt(p) == '-') {
            p++;
        }
        if (s.charAt(p) == '0') {
            p++;
        } else {
            digits();
        }
        if (p < s.length() && s.charAt(p) == '.') {
            p++;
            digits();
        }
        if (p < s.length() && (s.charAt(p) == 'e' || s.charAt(p) == 'E')) {
            p++;
            if (s.charAt(p) == '+' || s.charAt(p) == '-') {
                p++;
            }
            digits();
        }
        if (p == start) {
            throw new IllegalArgumentException("not a value");
        }
    }

    private void digits() {
        int start = p;
        while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        if (p == start) {
            throw new IllegalArgumentException("digit expected");
        }
    }

    private void word(String w) {
        if (!s.startsWith(w, p)) {
            throw new IllegalArgumentException("bad literal");
        }
        p += w.length();
    }

    private void expect(char c) {
        if (s.charAt(p) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
        p++;
    }

    private void blanks() {
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                p++;
            } else {
                return;
            }
        }
    }
}
