package io.chimera.perf.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The coherence messages and their confirmations, against a recording target. */
class CoherenceTest {

  /** Records what coherence asks of its cache. */
  private static final class Recorder implements Coherence.Target<String> {
    final List<String> calls = new ArrayList<>();
    final List<byte[]> replies = new ArrayList<>();

    /** What heard and heardAll return: the undo of write-backs a confirmation waits for. */
    @Nullable CompletableFuture<?> undo;

    @Override
    public @Nullable CompletableFuture<?> heard(String key, boolean deleted) {
      calls.add((deleted ? "drop " : "put ") + key);
      return undo;
    }

    @Override
    public @Nullable CompletableFuture<?> heardAll() {
      calls.add("drop all");
      return undo;
    }

    @Override
    public void dropAllLocal() {
      calls.add("flush");
    }

    Consumer<String> duringReplay = key -> {};

    @Override
    public boolean deleteAndAnnounce(String key) {
      calls.add("replay " + key);
      duringReplay.accept(key);
      return true;
    }

    Runnable duringClear = () -> {};

    @Override
    public boolean clearAndAnnounce() {
      calls.add("replay all");
      duringClear.run();
      return true;
    }

    @Override
    public void confirm(String channel, byte[] message) {
      calls.add("confirm on " + channel);
      replies.add(message);
    }
  }

  private final Recorder writerSide = new Recorder();
  private final Recorder readerSide = new Recorder();
  private final Coherence<String> writer =
      new Coherence<>("c", writerSide, CacheCodec.utf8(), 100, true);
  private final Coherence<String> reader =
      new Coherence<>("c", readerSide, CacheCodec.utf8(), 100, true);

  @Test
  void aConfirmedInvalidationIsDroppedThenConfirmedOnTheWritersChannel() {
    Confirmation confirmation = writer.expect();
    reader.onMessage(writer.keyMessage(CacheCodec.utf8().encode("k"), false, confirmation));

    assertThat(readerSide.calls).containsExactly("drop k", "confirm on " + writer.confirmChannel());
    assertThat(writer.confirmChannel()).startsWith("chimera:c:__confirmations:").hasSize(58);
    assertThat(writer.confirmChannel()).isNotEqualTo(reader.confirmChannel());

    writer.confirmations.onMessage(readerSide.replies.get(0));
    writer.onMessage(
        writer.keyMessage(CacheCodec.utf8().encode("k"), false, confirmation)); // its own
    assertThat(confirmation.count()).isEqualTo(2);
    assertThat(confirmation.await(2, TimeUnit.SECONDS.toNanos(5))).isTrue();
    assertThat(writerSide.calls).as("the writer's own message drops nothing").isEmpty();

    // the same confirmation delivered again (a retried PUBLISH) does not stand in for a third
    writer.confirmations.onMessage(readerSide.replies.get(0));
    assertThat(confirmation.count()).isEqualTo(2);
    assertThat(confirmation.await(3, TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
  }

  @Test
  void withoutItsOwnEchoTheWriterIsNotConfirmedHoweverManyOthersAre() {
    Confirmation confirmation = writer.expect();
    Recorder thirdSide = new Recorder();
    Coherence<String> third = new Coherence<>("c", thirdSide, CacheCodec.utf8(), 100, true);
    reader.onMessage(writer.allMessage(confirmation));
    third.onMessage(writer.allMessage(confirmation));
    writer.confirmations.onMessage(readerSide.replies.get(0));
    writer.confirmations.onMessage(thirdSide.replies.get(0));
    assertThat(confirmation.count()).as("two instances, counted apart").isEqualTo(2);
    assertThat(confirmation.await(2, TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
  }

  @Test
  void aConfirmedInvalidateAllFlushesThenConfirms() {
    Confirmation confirmation = writer.expect();
    reader.onMessage(writer.allMessage(confirmation));
    assertThat(readerSide.calls)
        .containsExactly("drop all", "confirm on " + writer.confirmChannel());
    assertThat(ByteBuffer.wrap(readerSide.replies.get(0), 1, 8).getLong())
        .isEqualTo(confirmation.id);
  }

  @Test
  void aReplaySkipsAKeyWhoseWriteReachedRedisAfterTheReplayStarted() {
    writer.addPending("k1");
    writer.addPending("k2");
    // while the first key is replayed, a put of the other one succeeds (Writes.put: delivered)
    writerSide.duringReplay =
        key -> {
          String other = key.equals("k1") ? "k2" : "k1";
          writer.delivered(other, writer.mark(other));
        };
    writer.replay();
    assertThat(writerSide.calls).as("the newer value is not deleted").hasSize(1);
    assertThat(writer.hasPending()).isFalse();
  }

  @Test
  void aWriteClearsOnlyTheFailureItSawNotOneRecordedWhileItRan() {
    writer.addPending("k");
    long seen = writer.mark("k"); // a put of k starts
    writer.addPending("k"); // meanwhile an invalidate of k fails to reach Redis
    writer.delivered("k", seen); // the put reached Redis
    assertThat(writer.blocksRead("k")).as("the later invalidation is still owed").isTrue();
    writer.replay();
    assertThat(writerSide.calls).containsExactly("replay k");
    assertThat(writer.hasPending()).isFalse();
  }

  @Test
  void aReplayKeepsAFailureRecordedWhileItRan() {
    writer.addPending("k");
    writerSide.duringReplay = key -> writer.addPending(key); // the key's invalidation fails again
    writer.replay();
    assertThat(writer.blocksRead("k")).isTrue();
  }

  @Test
  void aFailureRecordedWhileInvalidateAllIsReplayedIsKeptForTheNextReplay() {
    writer.addPending("old");
    writer.addPendingAll();
    writerSide.duringClear = () -> writer.addPending("k");
    writer.replay();
    assertThat(writerSide.calls).containsExactly("replay all");
    assertThat(writer.pendingCount()).as("only k: 'old' was covered by the flush").isEqualTo(1);
    writer.replay();
    assertThat(writerSide.calls).containsExactly("replay all", "replay k");
    assertThat(writer.hasPending()).isFalse();
  }

  @Test
  void plainInvalidationsAreNotConfirmed() {
    reader.onMessage(writer.keyMessage(CacheCodec.utf8().encode("k"), false));
    reader.onMessage(writer.allMessage());
    assertThat(readerSide.calls).containsExactly("drop k", "drop all");
  }

  @Test
  void aPutIsDroppedButUndoesNoWriteBackItsSetAlreadyReplaced() {
    Confirmation confirmation = writer.expect();
    reader.onMessage(writer.keyMessage(CacheCodec.utf8().encode("k"), true));
    reader.onMessage(writer.keyMessage(CacheCodec.utf8().encode("j"), true, confirmation));
    assertThat(readerSide.calls)
        .containsExactly("put k", "put j", "confirm on " + writer.confirmChannel());
  }

  @Test
  void aConfirmationWaitsForTheUndoOfLateWriteBacksAndIsNotSentIfItFails() {
    CompletableFuture<Void> undo = new CompletableFuture<>();
    readerSide.undo = undo;
    reader.onMessage(writer.keyMessage(CacheCodec.utf8().encode("k"), false, writer.expect()));
    assertThat(readerSide.calls).containsExactly("drop k");
    undo.complete(null);
    assertThat(readerSide.calls).containsExactly("drop k", "confirm on " + writer.confirmChannel());

    readerSide.calls.clear();
    CompletableFuture<Void> failing = new CompletableFuture<>();
    readerSide.undo = failing;
    reader.onMessage(writer.allMessage(writer.expect()));
    failing.completeExceptionally(new IllegalStateException("DEL timed out"));
    assertThat(readerSide.calls).containsExactly("drop all");
  }

  @Test
  void confirmationsForOtherWritesOrInOtherShapesAreIgnored() {
    Confirmation mine = writer.expect();
    Confirmation forgotten = writer.expect();
    writer.forget(forgotten);
    byte[] other = new byte[Coherence.CONFIRMATION_LENGTH];
    other[0] = Coherence.CONFIRM;
    ByteBuffer.wrap(other, 1, 8).putLong(forgotten.id);
    writer.confirmations.onMessage(other);
    writer.confirmations.onMessage(new byte[] {Coherence.CONFIRM, 0, 0});
    byte[] tooShort = java.util.Arrays.copyOf(other, Coherence.CONFIRMATION_LENGTH - 1);
    ByteBuffer.wrap(tooShort, 1, 8).putLong(mine.id);
    writer.confirmations.onMessage(tooShort);
    writer.confirmations.onMessage(new byte[0]);
    byte[] wrongType = other.clone();
    wrongType[0] = 'x';
    ByteBuffer.wrap(wrongType, 1, 8).putLong(mine.id);
    writer.confirmations.onMessage(wrongType);

    assertThat(mine.count()).isZero();
    assertThat(forgotten.count()).isZero();
  }

  @Test
  void aTruncatedConfirmedMessageIsIgnoredNotConfirmed() {
    byte[] m = writer.keyMessage(CacheCodec.utf8().encode("k"), false, writer.expect());
    byte[] truncated = java.util.Arrays.copyOf(m, Coherence.CONFIRMED_HEADER - 1);
    reader.onMessage(truncated);
    reader.onMessage(new byte[0]);
    assertThat(readerSide.calls).isEmpty();
  }

  @Test
  void awaitGivesUpAtItsTimeoutAndCountsWhatArrived() {
    Confirmation confirmation = writer.expect();
    confirmation.echoed();
    long start = System.nanoTime();
    assertThat(confirmation.await(2, TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    assertThat(confirmation.count()).isEqualTo(1);
    assertThat(confirmation.await(1, 0)).as("the writer alone, and it heard itself").isTrue();
    Confirmation unheard = writer.expect();
    unheard.echoed();
    assertThat(unheard.await(0, TimeUnit.SECONDS.toNanos(5)))
        .as("no receivers: the writer itself was not subscribed")
        .isFalse();
  }

  @Test
  void closingStopsAWaitingWriterAtOnce() throws Exception {
    Confirmation confirmation = writer.expect();
    Thread closer = in50ms(writer::cancelWaits);
    long start = System.nanoTime();
    assertThat(confirmation.await(2, TimeUnit.SECONDS.toNanos(20))).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
    closer.join();
  }

  @Test
  void aLostSubscriptionEmptiesL1AtOnceOnlyWhenWritesWaitForConfirmations() {
    reader.onConnectionLost();
    assertThat(readerSide.calls).containsExactly("flush");
    assertThat(reader.suspect()).isTrue();

    Recorder plainSide = new Recorder();
    Coherence<String> plain = new Coherence<>("c", plainSide, CacheCodec.utf8(), 100, false);
    plain.onConnectionLost();
    assertThat(plainSide.calls).as("flushed when it resubscribes").isEmpty();
    assertThat(plain.suspect()).isTrue();
  }

  @Test
  void aConfirmationArrivingWhileTheWriterWaitsWakesIt() throws Exception {
    Confirmation confirmation = writer.expect();
    Thread late = in50ms(confirmation::echoed);
    long start = System.nanoTime();
    assertThat(confirmation.await(1, TimeUnit.SECONDS.toNanos(5))).isTrue();
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(4));
    late.join();
  }

  /** Starts a thread that runs {@code action} 50 ms from now, while the test thread waits. */
  private static Thread in50ms(Runnable action) {
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              action.run();
            });
    t.start();
    return t;
  }
}
