package tandem.adapters.sqlite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import tandem.core.sql.Token;

/**
 * A statement's source with edits at token offsets: tokens replaced, and wraps that put a prefix
 * before one token and a suffix after another ({@code tandem_int(} ... {@code , 32)}). Everything
 * between tokens (blanks, comments) is kept, so what tandem did not touch reaches SQLite as written.
 *
 * <p>The translator fills it once per statement text; preparing a statement may add wraps that
 * need the schema (a literal compared with a uuid column) and renders again.
 */
final class SqlTemplate {

    record Wrap(int start, int end, String prefix, String suffix, int seq) {
    }

    // the outer of two wraps on one token opens first and closes last
    private static final Comparator<Wrap> OPENING = Comparator.comparingInt(Wrap::end).reversed()
            .thenComparing(Comparator.comparingInt(Wrap::seq).reversed());
    private static final Comparator<Wrap> CLOSING = Comparator.comparingInt(Wrap::start).reversed()
            .thenComparingInt(Wrap::seq);

    private final String source;
    private final List<Token> tokens;
    private final String[] replace;
    private final List<Wrap> wraps;

    SqlTemplate(String source, List<Token> tokens, String[] replace, List<Wrap> wraps) {
        this.source = source;
        this.tokens = tokens;
        this.replace = replace.clone();
        this.wraps = List.copyOf(wraps);
    }

    boolean isUnchanged() {
        if (!wraps.isEmpty()) {
            return false;
        }
        for (String r : replace) {
            if (r != null) {
                return false;
            }
        }
        return true;
    }

    /** The statement with its edits. */
    String render() {
        return render(Map.of(), Map.of());
    }

    /**
     * The statement with its edits, plus {@code extra} function calls around single tokens (index →
     * {@code function(, arguments)}) and tokens {@code replaced} (index → text).
     */
    String render(Map<Integer, String> extra, Map<Integer, String> replaced) {
        if (isUnchanged() && extra.isEmpty() && replaced.isEmpty()) {
            return source;
        }
        int n = tokens.size();
        List<List<Wrap>> starting = new ArrayList<>(n);
        List<List<Wrap>> ending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            starting.add(new ArrayList<>(0));
            ending.add(new ArrayList<>(0));
        }
        List<Wrap> all = new ArrayList<>(wraps);
        // a schema coercion is the innermost wrap on its token: it types the literal itself
        extra.forEach((i, call) -> all.add(new Wrap(i, i, call.substring(0, call.indexOf('(') + 1),
                call.substring(call.indexOf('(') + 1), -1)));
        for (Wrap w : all) {
            starting.get(w.start()).add(w);
            ending.get(w.end()).add(w);
        }
        StringBuilder out = new StringBuilder(source.length() + 32);
        int position = 0;
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            String text = replaced.containsKey(i) ? replaced.get(i) : replace[i];
            if (!"".equals(text) || !starting.get(i).isEmpty()) {
                out.append(source, position, t.start()); // a removed token takes the blank before it along
            }
            starting.get(i).stream().sorted(OPENING).forEach(w -> out.append(w.prefix()));
            out.append(text != null ? text : source.substring(t.start(), t.end()));
            ending.get(i).stream().sorted(CLOSING).forEach(w -> out.append(w.suffix()));
            position = t.end();
        }
        out.append(source, position, source.length());
        return out.toString();
    }

    /** Whether a tandem function already wraps exactly the token at {@code i} ({@code DATE '2024-01-15'}). */
    boolean castsToken(int i) {
        for (Wrap w : wraps) {
            if (w.start() == i && w.end() == i && w.prefix().startsWith("tandem_")) {
                return true;
            }
        }
        return false;
    }
}
