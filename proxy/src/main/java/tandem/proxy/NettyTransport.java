package tandem.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The I/O transport: io_uring where the kernel allows it (it batches the system calls a relay spends
 * most of its time in), else epoll, else NIO. {@code -Dtandem.transport=epoll|nio} chooses another;
 * container runtimes often forbid io_uring, and then epoll is used without asking.
 */
public final class NettyTransport {

    enum Kind { IO_URING, EPOLL, NIO }

    private static final Kind KIND = choose();

    private NettyTransport() {
    }

    private static Kind choose() {
        String wanted = System.getProperty("tandem.transport", "io_uring");
        if (wanted.equals("io_uring") && IoUring.isAvailable()) {
            return Kind.IO_URING;
        }
        if (!wanted.equals("nio") && Epoll.isAvailable()) {
            return Kind.EPOLL;
        }
        return Kind.NIO;
    }

    public static String name() {
        return KIND.name().toLowerCase();
    }

    public static boolean isNative() {
        return KIND != Kind.NIO;
    }

    public static EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = switch (KIND) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return switch (KIND) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return switch (KIND) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }
}
