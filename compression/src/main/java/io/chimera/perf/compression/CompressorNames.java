package io.chimera.perf.compression;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Compressor names: their validation, and which names are live on which registry, so a second live
 * compressor of one name cannot silently share (and on close remove) the first one's meters.
 * Registries compare by identity and are held weakly. Without a registry nothing is tracked: each
 * such compressor records into a private registry of its own.
 */
final class CompressorNames {

  private static final Map<MeterRegistry, Set<String>> LIVE = new WeakHashMap<>();

  private CompressorNames() {}

  static void claim(MeterRegistry registry, String name) {
    if (registry == null) {
      return;
    }
    synchronized (LIVE) {
      Set<String> names = LIVE.computeIfAbsent(registry, r -> new HashSet<>());
      if (!names.add(name)) {
        throw new IllegalStateException(
            "a compressor named '"
                + name
                + "' is already live on this meter registry; give each compressor its own"
                + " name(...) or close the other one first");
      }
    }
  }

  static void release(MeterRegistry registry, String name) {
    if (registry == null) {
      return;
    }
    synchronized (LIVE) {
      Set<String> names = LIVE.get(registry);
      if (names != null) {
        names.remove(name);
        if (names.isEmpty()) {
          LIVE.remove(registry);
        }
      }
    }
  }

  /** Checks a compressor name: 1 to 64 of [A-Za-z0-9._-]. */
  static String valid(String name) {
    Objects.requireNonNull(name, "name");
    boolean ok = !name.isEmpty() && name.length() <= 64;
    for (int i = 0; ok && i < name.length(); i++) {
      char ch = name.charAt(i);
      ok =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || ch == '.'
              || ch == '_'
              || ch == '-';
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "name must be 1 to 64 of [A-Za-z0-9._-], got '" + name + "'");
    }
    return name;
  }
}
