package tandem.proxy.backend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.netty.util.ReferenceCountUtil;
import tandem.core.error.ProxyException;
import tandem.core.route.Route;
import tandem.core.session.SessionPolicy;
import tandem.core.sql.Classification;
import tandem.core.sql.ClassificationCache;
import tandem.proxy.wire.frontend.Bind;
import tandem.proxy.wire.frontend.Execute;
import tandem.proxy.wire.frontend.Flush;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.FunctionCall;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.Sync;

/**
 * Gathers a relayed client's messages into batches (up to a Sync, Query, FunctionCall or Flush) and
 * asks the {@link SessionPolicy} which store each runs on, from what the batch executes; the rest of
 * a batch split by Flush goes where its start went. A read that stays on the primary but is sampled
 * for comparison is handed to the shadow reads here, with its text and parameters.
 */
final class BatchRouter {

    /** A batch and the store it goes to; {@code ends} is false for the part of a batch before a Flush. */
    record RoutedBatch(Route route, List<FrontendMessage> messages, boolean ends) {
    }

    private static final int[] NO_TYPES = new int[0];

    private final SessionPolicy policy;
    private final ClassificationCache classifier;
    private final QuerySplits splits;
    /** The client's prepared statements by name, "" for the unnamed one. */
    private final Function<String, ClientStatement> statements;
    private final List<FrontendMessage> gathering = new ArrayList<>();
    private Route pinnedRoute;

    BatchRouter(SessionPolicy policy, ClassificationCache classifier, QuerySplits splits,
            Function<String, ClientStatement> statements) {
        this.policy = policy;
        this.classifier = classifier;
        this.splits = splits;
        this.statements = statements;
    }

    /**
     * Takes the client's next message; returns the batch it completes, or null while the batch
     * goes on. {@code busy}: something is still owed or open (an earlier batch could still open a
     * transaction), so the batch stays on the primary.
     */
    RoutedBatch add(FrontendMessage message, boolean busy) {
        gathering.add(message);
        if (!(message instanceof Sync || message instanceof Query || message instanceof FunctionCall
                || message instanceof Flush)) {
            return null;
        }
        List<FrontendMessage> messages = List.copyOf(gathering);
        gathering.clear();
        boolean ends = !(message instanceof Flush);
        Route route = pinnedRoute != null ? pinnedRoute : busy ? Route.PRIMARY : decide(messages);
        pinnedRoute = ends ? null : route;
        return new RoutedBatch(route, messages, ends);
    }

    /** Whether part of a batch has been gathered. */
    boolean gathering() {
        return !gathering.isEmpty();
    }

    /** The client left: what was gathered is released. */
    void close() {
        gathering.forEach(ReferenceCountUtil::release);
        gathering.clear();
    }

    /** Reads go to the secondary only when every statement the batch executes is an eligible read. */
    private Route decide(List<FrontendMessage> messages) {
        List<Classification> executed = new ArrayList<>();
        Map<String, Classification> parsedHere = new HashMap<>();
        Map<String, Classification> boundHere = new HashMap<>();
        for (FrontendMessage message : messages) {
            switch (message) {
                case Query q -> executed.addAll(splits.classify(q.sql()));
                case Parse p -> parsedHere.put(p.statement(), classifier.classify(p.sql()));
                case Bind b -> {
                    Classification c = parsedHere.get(b.statement());
                    if (c == null) {
                        ClientStatement known = statements.apply(b.statement());
                        c = known == null ? null : known.classification();
                    }
                    if (c == null) {
                        return Route.PRIMARY;
                    }
                    boundHere.put(b.portal(), c);
                }
                case Execute e -> {
                    Classification c = boundHere.get(e.portal());
                    if (c == null) {
                        return Route.PRIMARY;
                    }
                    executed.add(c);
                }
                case FunctionCall f -> {
                    return Route.PRIMARY;
                }
                default -> {
                }
            }
        }
        if (executed.isEmpty()) {
            return Route.PRIMARY;
        }
        SessionPolicy.ReadRoute route = policy.route(executed, false);
        if (route == SessionPolicy.ReadRoute.PRIMARY_AND_SHADOW) {
            shadow(messages, executed.get(0));
        }
        return route.store();
    }

    /** Hands a read the primary serves to the shadow reads, with its text and parameters. */
    private void shadow(List<FrontendMessage> messages, Classification read) {
        String sql = null;
        List<Object> parameters = List.of();
        Map<String, Parse> parsedHere = new HashMap<>();
        for (FrontendMessage message : messages) {
            switch (message) {
                case Query q -> sql = q.sql();
                case Parse p -> parsedHere.put(p.statement(), p);
                case Bind b -> {
                    Parse parse = parsedHere.get(b.statement());
                    ClientStatement known = statements.apply(b.statement());
                    sql = parse != null ? parse.sql() : known == null ? null : known.clientSql();
                    int[] types = parse != null ? parse.parameterTypes() : known == null ? NO_TYPES : known.parameterTypes();
                    try {
                        parameters = ReplayValues.of(b, types);
                    } catch (ProxyException binaryOfUnknownType) {
                        return;
                    }
                }
                default -> {
                }
            }
        }
        if (sql != null) {
            policy.shadow(sql, parameters, read);
        }
    }
}
