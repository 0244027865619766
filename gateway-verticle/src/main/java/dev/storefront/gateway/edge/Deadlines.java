package dev.storefront.gateway.edge;

import io.netty.channel.EventLoop;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Time limits of one event loop's requests, kept with one timer for the whole loop instead of a
 * Vert.x timer per limit.
 *
 * <p>A Vert.x timer is a task in Netty's scheduled-task priority queue plus an entry in a map
 * shared by every thread, armed and then, for nearly every request, cancelled. The gateway arms
 * several per request, which showed up as a few percent of its CPU. Here, every limit of one
 * duration goes into a FIFO queue of its own (a <em>lane</em>): limits of one duration expire in
 * the order they were set, so each lane is ordered by expiry without any sorting. Setting a limit
 * appends to its lane; cancelling one only marks it; a single one-shot timer, armed for the
 * earliest limit still pending and only while one is, fires what has expired and drops what was
 * cancelled. On a busy loop the timer wakes about once per duration rather than being armed per
 * request; on an idle one it is not armed at all.
 *
 * <p><b>Precision.</b> A limit never fires before its duration has passed, and fires late by at
 * most one tick (plus however long the event loop is busy with other work, as for any timer): a
 * tenth of the duration, between 1 ms and 10 ms. The tick lets one wake-up fire every limit that
 * expires within it. Within a sweep, limits fire in the order of their expiry, whatever their lane.
 *
 * <p><b>Memory.</b> A cancelled limit stays in its lane until it reaches the head, but lets go at
 * once of its action (and so of the request the action holds): what remains is a handle of 32 bytes
 * (with compressed pointers). Cancelled handles at a lane's head are dropped whenever a limit is
 * set, so in the usual case, where requests end in about the order they began, a lane holds little
 * more than the requests in flight. When a long-lived request at the head holds the rest back (a
 * 30-second limit at 20,000 requests a second would otherwise pile up 600,000 cancelled handles
 * behind it), a lane with more cancelled handles than pending ones (and at least {@value
 * #COMPACT_AT} in all) is compacted: it never holds more than about twice its pending limits, and
 * each compaction costs no more than the cancellations that made it due.
 *
 * <p><b>Threading.</b> One instance serves one event loop and is used from that loop only, without
 * locks: the first call binds it to the calling event loop, and a call from any other thread is
 * refused with an {@link IllegalStateException}. Each action runs on the Vert.x context that set
 * its limit (a request's own context, with its request id), as a timer set there would.
 */
public final class Deadlines {

  /** A lane shorter than this is never compacted: dropping at the head keeps it small enough. */
  static final int COMPACT_AT = 1024;

  private static final long MIN_TICK = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MAX_TICK = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long NANOS_PER_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

  private Lane[] lanes = new Lane[0];
  private EventLoop loop;
  private ContextInternal home;
  private long timerId = -1;
  private long armedFor;
  private boolean sweeping;
  private long arms;

  /**
   * Runs {@code action} once {@code millis} have passed, unless the returned deadline is cancelled
   * first. Call from the event loop this instance belongs to (or, the first time, from an event
   * loop, which it then belongs to).
   *
   * @throws IllegalArgumentException if {@code millis} is less than 1, as for a Vert.x timer
   * @throws IllegalStateException if called off that event loop
   */
  public Deadline start(long millis, Handler<Void> action) {
    if (millis < 1) {
      throw new IllegalArgumentException("A deadline must be at least 1 ms away, got " + millis);
    }
    ContextInternal current = ContextInternal.current();
    bind(current);
    // A bare task on the loop (no Vert.x context) runs its action on the loop's own context.
    ContextInternal context = current != null ? current : home;
    Lane lane = lane(millis);
    Deadline deadline = new Deadline(System.nanoTime() + lane.duration, action, context, lane);
    lane.add(deadline);
    long latest = deadline.at + lane.tick;
    // Within a lane a new deadline is the latest: only a shorter lane can need an earlier wake-up.
    if (!sweeping && (timerId == -1 || armedFor - latest > 0)) {
      arm(latest);
    }
    return deadline;
  }

  /** Deadlines set and neither fired nor cancelled yet. */
  int pending() {
    int pending = 0;
    for (Lane lane : lanes) {
      pending += lane.live;
    }
    return pending;
  }

  /** Handles held, cancelled ones not yet dropped included. */
  int held() {
    int held = 0;
    for (Lane lane : lanes) {
      held += lane.queue.size();
    }
    return held;
  }

  /** Whether the loop's timer is armed. */
  boolean armed() {
    return timerId != -1;
  }

  /** How often the loop's timer has been armed. */
  long arms() {
    return arms;
  }

  private void bind(ContextInternal context) {
    if (loop == null) {
      if (context == null
          || !context.isEventLoopContext()
          || !context.nettyEventLoop().inEventLoop()) {
        throw new IllegalStateException(
            "Deadlines are kept on an event loop; called from " + Thread.currentThread().getName());
      }
      loop = context.nettyEventLoop();
      // Timers go on the loop's own context, not on the request's that happened to come first.
      home = context.unwrap();
    } else {
      checkLoop();
    }
  }

  private void checkLoop() {
    if (!loop.inEventLoop()) {
      throw new IllegalStateException(
          "Deadlines belong to one event loop; called from " + Thread.currentThread().getName());
    }
  }

  private Lane lane(long millis) {
    long duration = TimeUnit.MILLISECONDS.toNanos(millis);
    for (Lane lane : lanes) {
      if (lane.duration == duration) {
        return lane;
      }
    }
    Lane lane = new Lane(duration);
    lanes = Arrays.copyOf(lanes, lanes.length + 1);
    lanes[lanes.length - 1] = lane;
    return lane;
  }

  private void arm(long at) {
    if (timerId != -1) {
      home.owner().cancelTimer(timerId);
    }
    long delay = Math.max(1, -Math.floorDiv(System.nanoTime() - at, NANOS_PER_MILLI));
    armedFor = at;
    timerId = home.setTimer(delay, this::sweep);
    arms++;
  }

  private void sweep(long id) {
    timerId = -1;
    sweeping = true;
    try {
      long now = System.nanoTime();
      Lane earliest;
      while ((earliest = earliestExpired(now)) != null) {
        earliest.fireHead();
      }
    } finally {
      sweeping = false;
    }
    // Wake up next for the earliest deadline still pending; with none pending, not at all.
    long next = 0;
    boolean any = false;
    for (Lane lane : lanes) {
      Deadline head = lane.liveHead();
      if (head != null && (!any || head.at + lane.tick - next < 0)) {
        next = head.at + lane.tick;
        any = true;
      }
    }
    if (any) {
      arm(next);
    }
  }

  /** The lane whose head has expired longest ago, or null when none has. */
  private Lane earliestExpired(long now) {
    Lane earliest = null;
    long earliestAt = 0;
    for (Lane lane : lanes) {
      Deadline head = lane.liveHead();
      if (head != null && head.at - now <= 0 && (earliest == null || head.at - earliestAt < 0)) {
        earliest = lane;
        earliestAt = head.at;
      }
    }
    return earliest;
  }

  /** One limit: cancel it when what it limits has ended. */
  public static final class Deadline {
    private final long at;
    private final Lane lane;
    private Handler<Void> action;
    private ContextInternal context;

    private Deadline(long at, Handler<Void> action, ContextInternal context, Lane lane) {
      this.at = at;
      this.action = action;
      this.context = context;
      this.lane = lane;
    }

    /**
     * Makes sure the action does not run; nothing once it has run or been cancelled. Call from the
     * event loop that set the deadline.
     */
    public void cancel() {
      if (action != null) {
        lane.owner().checkLoop();
        release();
      }
    }

    private boolean done() {
      return action == null;
    }

    private void release() {
      action = null;
      context = null;
      lane.live--;
    }
  }

  /** The deadlines of one duration, in the order they expire. */
  private final class Lane {
    final long duration;
    final long tick;
    final ArrayDeque<Deadline> queue = new ArrayDeque<>();
    int live;

    Lane(long duration) {
      this.duration = duration;
      this.tick = Math.min(MAX_TICK, Math.max(MIN_TICK, duration / 10));
    }

    Deadlines owner() {
      return Deadlines.this;
    }

    void add(Deadline deadline) {
      liveHead();
      queue.addLast(deadline);
      live++;
      int held = queue.size();
      if (held >= COMPACT_AT && held > 2 * live) {
        queue.removeIf(Deadline::done);
      }
    }

    /** The first deadline still pending, cancelled ones before it dropped; null if none is. */
    Deadline liveHead() {
      Deadline head;
      while ((head = queue.peekFirst()) != null && head.done()) {
        queue.pollFirst();
      }
      return head;
    }

    void fireHead() {
      Deadline head = queue.pollFirst();
      Handler<Void> action = head.action;
      ContextInternal context = head.context;
      head.release();
      // On the context that set it; an action that throws is reported there and stops no other.
      context.dispatch(action);
    }
  }
}
