package org.jbutler.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jbutler.schema.exceptions.ButlerException;

/** Runs I/O-bound work on several threads at once (file copies and fsyncs overlap). */
public final class Parallel {

  /** Work on one item; may throw. */
  @FunctionalInterface
  public interface ItemWork<T> {
    void run(T item) throws Exception;
  }

  private Parallel() {}

  /**
   * Runs work on every item with up to {@code threads} threads (in the caller's thread for fewer
   * than four items), waits for all of them, then throws the first failure, if any: unchecked
   * exceptions as they are, checked ones wrapped with {@code what} in the message.
   */
  public static <T> void forEach(List<T> items, int threads, String what, ItemWork<T> work) {
    if (items.size() < 4 || threads <= 1) {
      for (T item : items) {
        try {
          work.run(item);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw wrap(what, e);
        }
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()));
    try {
      List<Future<?>> futures = new ArrayList<>(items.size());
      for (T item : items) {
        futures.add(
            pool.submit(
                () -> {
                  work.run(item);
                  return null;
                }));
      }
      RuntimeException failure = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException re ? re : wrap(what, e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          if (failure == null) {
            failure = wrap(what + " (interrupted)", e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static ButlerException wrap(String what, Throwable e) {
    return new ButlerException(
        ButlerException.Category.INTERNAL, what + " failed: " + e.getMessage(), e);
  }
}
