package io.chimera.perf.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteBacksTest {

  private final AtomicLong now = new AtomicLong();
  private final WriteBacks<String> writeBacks = new WriteBacks<>(now::get);

  private WriteBacks.Sent<String> start(String key) {
    WriteBacks.Sent<String> s =
        writeBacks.start(key, key.getBytes(StandardCharsets.UTF_8), new Flight<String>());
    assertThat(s).isNotNull();
    return s;
  }

  @Test
  void aStaleLoadRecordsAndSendsNothing() {
    Flight<String> stale = new Flight<>();
    stale.markStale();
    assertThat(writeBacks.start("k", new byte[] {'k'}, stale)).isNull();
    assertThat(writeBacks.holds("k")).isFalse();
  }

  @Test
  void aWriteBackIsKeptWhileUnansweredAndForTheGraceAfterItsReply() {
    WriteBacks.Sent<String> slow = start("slow");
    WriteBacks.Sent<String> fast = start("fast");
    writeBacks.settled(fast);
    now.addAndGet(WriteBacks.GRACE_NANOS); // exactly the grace: still kept
    start("trigger");
    assertThat(writeBacks.holds("fast")).isTrue();

    now.addAndGet(1);
    writeBacks.settled(slow); // answered only now: its grace starts now
    start("trigger");
    // pruned in the order sent: "slow" (just answered) is kept, and so is "fast" behind it
    assertThat(writeBacks.holds("slow")).isTrue();
    now.addAndGet(WriteBacks.GRACE_NANOS + 1);
    start("trigger");
    assertThat(writeBacks.holds("slow")).isFalse();
    assertThat(writeBacks.holds("fast")).isFalse();
    assertThat(writeBacks.holds("trigger")).isTrue(); // not answered yet
  }

  @Test
  void pastTheBoundTheOldestAreForgottenEvenUnanswered() {
    for (int i = 0; i < WriteBacks.MAX_RECORDS + 100; i++) {
      start("k" + i);
    }
    assertThat(writeBacks.size()).isEqualTo(WriteBacks.MAX_RECORDS);
    assertThat(writeBacks.holds("k99")).isFalse();
    assertThat(writeBacks.holds("k100")).isTrue();
  }

  @Test
  void anUnansweredWriteBackHoldsBackThePruningOfLaterOnesUntilTheBound() {
    start("unanswered");
    writeBacks.settled(start("later"));
    now.addAndGet(WriteBacks.GRACE_NANOS + 1);
    start("trigger");
    assertThat(writeBacks.holds("later")).isTrue(); // kept longer than its grace: only a cost
  }
}
