package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.fail;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns a Netty leak report into a failed test class rather than a log line: listens on the
 * buffers' leak detector, and after the class collects garbage and allocates so that pending
 * reports come out. Paranoid level (surefire's argLine) tracks every buffer.
 */
public final class NoLeaks implements AfterAllCallback {

    private static final List<String> leaks = new CopyOnWriteArrayList<>();

    static {
        try {
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            ((ResourceLeakDetector<?>) field.get(null)).setLeakListener((type, records) -> leaks.add(type + records));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 5 && leaks.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20);
            for (int j = 0; j < 100; j++) {
                ByteBufAllocator.DEFAULT.buffer(8).release();
                Unpooled.buffer(8).release();
            }
        }
        if (!leaks.isEmpty()) {
            String report = String.join("\n", leaks);
            leaks.clear();
            fail("buffers leaked in %s:%n%s", context.getDisplayName(), report);
        }
    }
}
