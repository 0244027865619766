// Throughput and latency of one process's PostgreSQL pool by size, on the local server: a mix of
// prepared reads by key (pipelined) and short write transactions (row lock, update, commit), with
// a fixed number of requests in flight, as a busy service instance sees it.
//
// Usage (from the repository root, after mvn -o -q verify -pl common -am -DskipTests):
//   mvn -o -q dependency:build-classpath -pl common -Dmdep.outputFile=/tmp/common.cp
//   java -cp "common/target/classes:$(cat /tmp/common.cp)" bench/PoolSize.java [SECONDS] [IN_FLIGHT] [SIZES...]
// -Dport=P connects the pool to P instead (a pooler in front); -Dcache=false turns the
// prepared-statement cache off (and -Dpipelining=N sets its pipelining limit). Creates and drops its own database (storefront_poolbench) as postgres on 127.0.0.1:5432.
import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

public class PoolSize {
  static final int ROWS = 10_000;
  // The pool's port: another one puts a pooler (PgBouncer) between the pool and the server.
  static final int PORT = Integer.getInteger("port", 5432);
  // -Dcache=false: the services' pool settings but without the prepared-statement cache.
  static final boolean CACHE = !"false".equals(System.getProperty("cache"));

  static Pool uncached(Vertx vertx, DatabaseConfig config) {
    return io.vertx.pgclient.PgBuilder.pool()
        .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(config.poolSize()).setEventLoopSize(2))
        .connectingTo(
            new io.vertx.pgclient.PgConnectOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setDatabase(config.database())
                .setUser(config.user())
                .setCachePreparedStatements(false)
                .setPipeliningLimit(Integer.getInteger("pipelining", 256)))
        .using(vertx)
        .build();
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int[] sizes =
        args.length > 2
            ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 2, 4, 8, 16};
    String db = "storefront_poolbench";
    try (var admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        var st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + db);
      st.execute("CREATE DATABASE " + db);
    }
    try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "");
        var st = c.createStatement()) {
      st.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, stock int NOT NULL)");
      st.execute("INSERT INTO items SELECT g, 'item ' || g, 1000000 FROM generate_series(1, " + ROWS + ") g");
      st.execute("VACUUM ANALYZE items");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    System.out.printf("%d s per size, %d in flight, 80%% reads by key, 20%% write transactions%n", seconds, inFlight);
    System.out.printf("%5s %10s %10s %10s %10s%n", "pool", "ops/s", "p50 ms", "p99 ms", "errors");
    try {
      for (int size : sizes) {
        DatabaseConfig config = new DatabaseConfig("127.0.0.1", PORT, db, "postgres", "", "public", size);
        Pool pool = CACHE ? Database.pool(vertx, config, 2) : uncached(vertx, config);
        run(pool, 2, inFlight); // warm-up
        long[] result = run(pool, seconds, inFlight);
        pool.close().toCompletionStage().toCompletableFuture().get();
        System.out.printf("%5d %10d %10.2f %10.2f %10d%n", size, result[0] / seconds, result[1] / 1e6, result[2] / 1e6, result[3]);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      try (var admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
          var st = admin.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db);
      }
    }
  }

  static long[] run(Pool pool, int seconds, int inFlight) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong ops = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long[] latencies = new long[4_000_000];
    AtomicLong recorded = new AtomicLong();
    var done = new java.util.concurrent.CountDownLatch(inFlight);
    for (int i = 0; i < inFlight; i++) {
      loop(pool, stop, ops, errors, latencies, recorded, done);
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    done.await();
    int n = (int) Math.min(recorded.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    return new long[] {ops.get(), sorted[n / 2], sorted[(int) (n * 0.99)], errors.get()};
  }

  static void loop(Pool pool, AtomicBoolean stop, AtomicLong ops, AtomicLong errors, long[] latencies,
      AtomicLong recorded, java.util.concurrent.CountDownLatch done) {
    if (stop.get()) {
      done.countDown();
      return;
    }
    long start = System.nanoTime();
    int id = 1 + ThreadLocalRandom.current().nextInt(ROWS);
    Future<?> op =
        ThreadLocalRandom.current().nextInt(10) < 8
            ? pool.preparedQuery("SELECT id, name, stock FROM items WHERE id = $1").execute(Tuple.of(id))
            : pool.withTransaction(
                tx -> tx.preparedQuery("SELECT stock FROM items WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
                    .compose(rows -> tx.preparedQuery("UPDATE items SET stock = stock - 1 WHERE id = $1").execute(Tuple.of(id))));
    op.onComplete(ar -> {
      if (ar.succeeded()) {
        ops.incrementAndGet();
        long i = recorded.getAndIncrement();
        if (i < latencies.length) latencies[(int) i] = System.nanoTime() - start;
      } else if (errors.incrementAndGet() == 1) {
        System.out.println("first error: " + ar.cause());
      }
      loop(pool, stop, ops, errors, latencies, recorded, done);
    });
  }
}
