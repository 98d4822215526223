package tandem.core.store;

import java.util.List;

/**
 * Reads run by tandem itself on a store, outside any client session: reads served by the
 * secondary for a primary tandem emulates, and shadow reads. Statements are PostgreSQL's, with
 * {@code $n} parameters given in the Java model of {@link tandem.core.type}.
 */
public interface ReadQueries {

    /**
     * Runs a read in a read-only transaction of its own; the cursor streams the rows and gives the
     * connection back when closed. Values come in the model of the column's type.
     *
     * @throws tandem.core.error.ProxyException with the store's SQLSTATE when it fails
     */
    SqlSession.Cursor query(String sql, List<Object> parameters);
}
