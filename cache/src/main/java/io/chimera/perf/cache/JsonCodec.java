package io.chimera.perf.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/** JSON through Jackson; loaded only when {@link CacheCodec#json} is called. */
final class JsonCodec<T> implements CacheCodec<T> {

  private final ObjectMapper mapper;
  private final Class<T> type;

  JsonCodec(ObjectMapper mapper, Class<T> type) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.type = Objects.requireNonNull(type, "type");
  }

  @Override
  public byte[] encode(T value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot encode a " + type.getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public T decode(byte[] bytes, int offset, int length) {
    try {
      T value = mapper.readValue(bytes, offset, length, type);
      if (value == null) {
        throw new IllegalArgumentException("JSON null is not a " + type.getName());
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON " + type.getName() + ": " + e.getMessage(), e);
    }
  }
}
