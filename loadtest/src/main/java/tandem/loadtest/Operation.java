package tandem.loadtest;

/**
 * What one step of a workload client does. Each belongs to a {@link Category}, whose weight in the
 * {@link Mix} decides how often it runs; within a category the operations take turns at random.
 */
public enum Operation {
    INSERT_USER(Category.INSERTS, "insert user, id from the client, defaults for the rest"),
    INSERT_USER_GENERATED_ID(Category.INSERTS, "insert user, id from gen_random_uuid(), RETURNING id"),
    INSERT_CONTENT(Category.INSERTS, "insert content with json metadata, defaults for counters and time"),
    INSERT_EVENT_RETURNING(Category.INSERTS, "insert event at now(), RETURNING its identity id"),
    INSERT_EVENT_GENERATED_KEYS(Category.INSERTS, "insert event with a default timestamp, id by getGeneratedKeys"),

    UPDATE_USER(Category.UPDATES, "update a user by key, updated_at = now()"),
    UPDATE_CONTENT(Category.UPDATES, "update content by key, often one of the hot rows every client updates"),
    UPDATE_CONTENT_OF_USER(Category.UPDATES, "update all the content of one user (several rows)"),

    DELETE_EVENT(Category.DELETES, "delete an event by key"),
    DELETE_CONTENT(Category.DELETES, "delete content by key"),
    DELETE_USER(Category.DELETES, "delete a user with its events and content, in one transaction"),

    TRANSACTION(Category.TRANSACTIONS, "several writes, one to a hot row, then COMMIT"),

    ROLLBACK(Category.ROLLBACKS, "writes then ROLLBACK; the rows must not be there afterwards"),
    ROLLBACK_ON_UNIQUE_VIOLATION(Category.ROLLBACKS, "writes, then one that violates a unique key (23505), then ROLLBACK"),

    READ_BY_KEY(Category.READS, "read a user or content by key"),
    READ_RANGE(Category.READS, "read a small range in key order"),
    READ_AGGREGATE(Category.READS, "count, sum and group");

    /** The groups of operations the mix weighs. */
    public enum Category {
        INSERTS, UPDATES, DELETES, TRANSACTIONS, ROLLBACKS, READS;

        /** The name the mix option uses: {@code inserts}, {@code updates}... */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Category category;
    private final String description;

    Operation(Category category, String description) {
        this.category = category;
        this.description = description;
    }

    public Category category() {
        return category;
    }

    public String description() {
        return description;
    }

    /** The name reports use: {@code insert_user}... */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
