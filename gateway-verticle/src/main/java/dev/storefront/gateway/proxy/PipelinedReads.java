package dev.storefront.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads pipelined to service instances: a few keep-alive connections per instance on which several
 * requests may be under way at once, answered in order (HTTP/1.1 pipelining). Under load this sends
 * several requests in one write and reads several answers in one read, at both ends of the hop,
 * where one connection per request in flight costs a write, a read and a TCP segment each way for
 * every request. Our services are Vert.x servers, which answer pipelined requests in order.
 *
 * <p>A request joins the busiest connection that can take it: the more requests share a write and a
 * read, the fewer writes and reads (spreading them evenly over the connections measured about half
 * the gain). The price of pipelining is that an answer waits for those sent before it on its
 * connection. So a connection takes no request beyond the depth limit, and none while its oldest
 * request has waited longer than the stall limit (a slow search, a service in trouble); when no
 * connection qualifies the request takes the ordinary pool ({@link #choose} returns null). A spare
 * connection is opened, up to the limit, whenever the chosen one is already busy, so that there is
 * one to move to when it stalls. A request already behind one that turns out slow still waits for
 * it: at most depth - 1 of them, only those sent before the stall limit passed.
 *
 * <p>Only reads that are usually fast are pipelined: those of an operation whose answers have come
 * within the fast limit on average ({@link #usuallyFast}, a moving average per operation of the
 * time to the answer's head, fed by {@link #answered} whichever way the read went). A search bound
 * by its database then never holds up a product read queued behind it; the stall limit is for the
 * fast read that turns slow.
 *
 * <p>Only for requests without a body that may be sent twice (GET, HEAD: the caller decides): a
 * request lost with its connection (a neighbour's time limit closes it) can then be retried like
 * any other failed read. One instance of this class serves one event loop, like its client.
 */
public final class PipelinedReads {

  /** After a failed connect, no new pipelined connection to that instance for this long. */
  private static final long CONNECT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final HttpClientAgent client;
  private final int connectionsPerInstance;
  private final int depth;
  private final long stallNanos;
  private final long fastNanos;
  private final Map<Object, long[]> averageAnswerNanos = new HashMap<>();
  private final long connectTimeoutMillis;
  private final PipelineMeters meters;
  private final Map<SocketAddress, Lane> lanes = new HashMap<>();

  /**
   * @param client a client with pipelining on and its limit at {@code depth}, used only to open
   *     connections
   */
  public PipelinedReads(
      HttpClientAgent client,
      int connectionsPerInstance,
      int depth,
      long stallMillis,
      long fastMillis,
      long connectTimeoutMillis,
      PipelineMeters meters) {
    this.client = client;
    this.connectionsPerInstance = connectionsPerInstance;
    this.depth = depth;
    this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
    this.fastNanos = TimeUnit.MILLISECONDS.toNanos(fastMillis);
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.meters = meters;
  }

  /**
   * A pipelined connection to the instance at {@code address} to send a read of {@code operation}
   * on now, or null when the operation is not {@link #usuallyFast usually fast} or no connection
   * can take the read without waiting behind a stalled answer: the caller then sends it over the
   * ordinary pool.
   */
  public Connection choose(SocketAddress address, Object operation) {
    Connection chosen = usuallyFast(operation) ? choose(address) : null;
    if (chosen != null) {
      meters.pipelined();
    } else {
      meters.pooled();
    }
    return chosen;
  }

  /** A pipelined connection to the instance that can take a read now, whatever the read. */
  Connection choose(SocketAddress address) {
    Lane lane = lanes.computeIfAbsent(address, Lane::new);
    long now = System.nanoTime();
    Connection chosen = lane.choose(now);
    if ((chosen == null || chosen.underWay() > 0) && lane.mayOpen(now)) {
      lane.open(now);
    }
    return chosen;
  }

  /**
   * Whether reads of {@code operation} have been answered within the fast limit on average; false
   * for one not seen yet.
   */
  public boolean usuallyFast(Object operation) {
    long[] average = averageAnswerNanos.get(operation);
    return average != null && average[0] < fastNanos;
  }

  /** Notes how long a read of {@code operation} took to its answer's head (or to failing). */
  public void answered(Object operation, long nanos) {
    long[] average = averageAnswerNanos.get(operation);
    if (average == null) {
      averageAnswerNanos.put(operation, new long[] {nanos});
    } else {
      // A moving average over about the last 16 reads: quick to notice an operation turning slow.
      average[0] += (nanos - average[0]) >> 4;
    }
  }

  /** Pipelined connections open now, over every instance. */
  public int openConnections() {
    int open = 0;
    for (Lane lane : lanes.values()) {
      open += lane.connections.size();
    }
    return open;
  }

  /** The pipelined connections to one instance. */
  private final class Lane {
    final SocketAddress address;
    final List<Connection> connections = new ArrayList<>(connectionsPerInstance);
    int opening;
    long noConnectBeforeNanos;

    Lane(SocketAddress address) {
      this.address = address;
      this.noConnectBeforeNanos = System.nanoTime();
    }

    /** The connection with the most requests under way that may take one more; else null. */
    Connection choose(long now) {
      Connection best = null;
      for (int i = 0; i < connections.size(); i++) {
        Connection candidate = connections.get(i);
        int underWay = candidate.underWay();
        if (underWay >= depth || (underWay > 0 && now - candidate.oldestSentNanos() > stallNanos)) {
          continue;
        }
        if (best == null || underWay > best.underWay()) {
          best = candidate;
        }
      }
      return best;
    }

    boolean mayOpen(long now) {
      return connections.size() + opening < connectionsPerInstance
          && now - noConnectBeforeNanos >= 0;
    }

    void open(long now) {
      opening++;
      client
          .connect(
              new HttpConnectOptions().setServer(address).setConnectTimeout(connectTimeoutMillis))
          .onComplete(
              ar -> {
                opening--;
                if (ar.failed()) {
                  noConnectBeforeNanos = now + CONNECT_BACKOFF_NANOS;
                  forgetIfEmpty();
                  return;
                }
                Connection connection = new Connection(ar.result());
                connections.add(connection);
                meters.opened();
                connection.http.closeHandler(
                    v -> {
                      connections.remove(connection);
                      meters.closed();
                      forgetIfEmpty();
                    });
              });
    }

    /** An instance that went away leaves nothing behind. */
    private void forgetIfEmpty() {
      if (connections.isEmpty() && opening == 0) {
        lanes.remove(address, this);
      }
    }
  }

  /** One pipelined connection and when each of its requests under way was sent, oldest first. */
  public static final class Connection {
    final HttpClientConnection http;
    final ArrayDeque<Long> sentNanos = new ArrayDeque<>();

    Connection(HttpClientConnection http) {
      this.http = http;
    }

    int underWay() {
      return sentNanos.size();
    }

    /**
     * Whether reads wait behind the answer now arriving: answers come in order, so every read under
     * way but the oldest, whose answer that is.
     */
    public boolean readsQueuedBehindTheCurrentAnswer() {
      return sentNanos.size() > 1;
    }

    long oldestSentNanos() {
      return sentNanos.peekFirst();
    }

    /**
     * The request on this connection. Counted as under way until its answer ends or the exchange
     * fails; a returned future that fails did not send it.
     */
    public Future<HttpClientRequest> send(RequestOptions options) {
      sentNanos.addLast(System.nanoTime());
      Future<HttpClientRequest> request = http.request(options);
      request.onComplete(
          ar -> {
            if (ar.failed()) {
              done();
              return;
            }
            // Answers come in order, so the one that ends is the oldest under way; an exchange
            // that fails (reset, connection lost) ends too.
            ar.result()
                .response()
                .onComplete(
                    head -> {
                      if (head.failed()) {
                        done();
                      } else {
                        head.result().end().onComplete(end -> done());
                      }
                    });
          });
      return request;
    }

    private void done() {
      sentNanos.pollFirst();
    }
  }
}
