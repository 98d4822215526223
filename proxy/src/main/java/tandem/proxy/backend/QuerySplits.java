package tandem.proxy.backend;

import java.util.List;

import tandem.core.sql.Classification;
import tandem.core.sql.ClassificationCache;
import tandem.core.sql.StatementSplitter;

/**
 * A simple Query's text split into statements and each classified, for the last Query seen: routing
 * a batch and following the session ask for the same Query one after the other, and pay once.
 */
final class QuerySplits {

    private final ClassificationCache classifier;
    private String sql;
    private List<String> texts;
    private List<Classification> classified;

    QuerySplits(ClassificationCache classifier) {
        this.classifier = classifier;
    }

    /** The statements of {@code query}, classified, in order. */
    List<Classification> classify(String query) {
        split(query);
        return classified;
    }

    /** The texts of the statements of {@code query}, in order. */
    List<String> texts(String query) {
        split(query);
        return texts;
    }

    private void split(String query) {
        if (!query.equals(sql)) {
            texts = StatementSplitter.split(query);
            classified = texts.stream().map(classifier::classify).toList();
            sql = query;
        }
    }
}
