package org.jbutler.pipetask.execution;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jbutler.pipetask.AlgorithmError;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Collects the log records of each running quantum (everything logged on its thread while it runs)
 * for its {@code <label>_log} dataset, in the fields of daf_butler's ButlerLogRecords.
 */
final class QuantumLogCapture {

  /** The MDC key that names the running quantum (also shown by log layouts that print MDC). */
  static final String MDC_KEY = "quantum";

  private static final Map<String, List<Map<String, Object>>> BUFFERS = new ConcurrentHashMap<>();
  private static volatile boolean installed;

  private QuantumLogCapture() {}

  /** Attaches the capturing appender to the root logger (once per process). */
  static synchronized void install() {
    if (installed) {
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      AppenderBase<ILoggingEvent> appender =
          new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
              String id = e.getMDCPropertyMap().get(MDC_KEY);
              if (id == null) {
                return;
              }
              List<Map<String, Object>> buffer = BUFFERS.get(id);
              if (buffer == null) {
                return;
              }
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("name", e.getLoggerName());
              r.put("levelname", e.getLevel().toString());
              r.put("levelno", levelNo(e.getLevel().toInt()));
              r.put("asctime", Instant.ofEpochMilli(e.getTimeStamp()).toString());
              r.put("message", e.getFormattedMessage());
              r.put("threadName", e.getThreadName());
              IThrowableProxy t = e.getThrowableProxy();
              if (t != null) {
                r.put("exc_info", ThrowableProxyUtil.asString(t));
              }
              r.put("MDC", new LinkedHashMap<>(e.getMDCPropertyMap()));
              synchronized (buffer) {
                buffer.add(r);
              }
            }
          };
      appender.setContext(ctx);
      appender.setName("jbutler-quantum-logs");
      appender.start();
      ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }
    installed = true;
  }

  /** Python's level numbers, as ButlerLogRecords carry them. */
  private static int levelNo(int logback) {
    return switch (logback) {
      case ch.qos.logback.classic.Level.ERROR_INT -> 40;
      case ch.qos.logback.classic.Level.WARN_INT -> 30;
      case ch.qos.logback.classic.Level.INFO_INT -> 20;
      case ch.qos.logback.classic.Level.DEBUG_INT -> 10;
      default -> 5;
    };
  }

  /** Starts capturing this thread's records for a quantum. */
  static void begin(String quantumId) {
    install();
    BUFFERS.put(quantumId, new ArrayList<>());
    MDC.put(MDC_KEY, quantumId);
  }

  /**
   * Adds what a failure was to the executor's error record of a quantum (or a record of its own):
   * {@code failure: {type, message, metadata}}, the metadata an {@link AlgorithmError} (anywhere in
   * the cause chain) gives, as pipe_base keeps it for failed quanta. A failing {@code metadata()}
   * is recorded as such instead.
   */
  static void attachFailure(List<Map<String, Object>> records, String logger, Throwable error) {
    Map<String, Object> failure = new LinkedHashMap<>();
    failure.put("type", error.getClass().getName());
    failure.put("message", String.valueOf(error.getMessage()));
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AlgorithmError a) {
        try {
          failure.put("metadata", new LinkedHashMap<>(a.metadata()));
        } catch (RuntimeException e) {
          failure.put("metadata", Map.of("metadataFailed", e.toString()));
        }
        break;
      }
    }
    for (int i = records.size() - 1; i >= 0; i--) {
      Map<String, Object> r = records.get(i);
      if (logger.equals(r.get("name")) && "ERROR".equals(r.get("levelname"))) {
        r.put("failure", failure);
        return;
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", logger);
    r.put("levelname", "ERROR");
    r.put("levelno", 40);
    r.put("asctime", Instant.now().toString());
    r.put("message", failure.get("type") + ": " + failure.get("message"));
    r.put("failure", failure);
    records.add(r);
  }

  /** Stops capturing and returns the records. */
  static List<Map<String, Object>> end(String quantumId) {
    MDC.remove(MDC_KEY);
    List<Map<String, Object>> buffer = BUFFERS.remove(quantumId);
    if (buffer == null) {
      return List.of();
    }
    synchronized (buffer) {
      return new ArrayList<>(buffer);
    }
  }
}
