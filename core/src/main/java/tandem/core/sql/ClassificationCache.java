package tandem.core.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The classifier's hot-path front: a bounded cache of classifications keyed by statement text.
 * Applications send the same few hundred statement texts over and over (parameters travel
 * separately), so nearly every Query and Parse is a hit.
 */
public final class ClassificationCache {

    public static final int DEFAULT_MAXIMUM_SIZE = 10_000;

    /**
     * Longer statements are classified but not cached: they are usually one-off bulk INSERTs with
     * literal values, and a few thousand of them would hold hundreds of megabytes of keys.
     */
    public static final int MAXIMUM_CACHED_LENGTH = 16 * 1024;

    private final StatementClassifier classifier;
    private final Cache<String, Classification> cache;

    public ClassificationCache() {
        this(new StatementClassifier(), DEFAULT_MAXIMUM_SIZE);
    }

    public ClassificationCache(int maximumSize) {
        this(new StatementClassifier(), maximumSize);
    }

    public ClassificationCache(StatementClassifier classifier, int maximumSize) {
        if (maximumSize < 0) {
            throw new IllegalArgumentException("maximumSize: " + maximumSize + " (expected: >= 0)");
        }
        this.classifier = classifier;
        // maintenance on the classifying thread, not the common pool (see WriteRewriter)
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
    }

    public Classification classify(String statement) {
        if (statement.length() > MAXIMUM_CACHED_LENGTH) {
            return classifier.classify(statement);
        }
        return cache.get(statement, classifier::classify);
    }

    /**
     * Classifies for a session whose {@code standard_conforming_strings} may be off. Such sessions
     * are rare, so their classifications bypass the cache rather than double its keys.
     */
    public Classification classify(String statement, boolean standardConformingStrings) {
        return standardConformingStrings ? classify(statement) : classifier.classify(statement, false);
    }

    /** Approximate number of cached statements, for metrics. */
    public long estimatedSize() {
        return cache.estimatedSize();
    }
}
