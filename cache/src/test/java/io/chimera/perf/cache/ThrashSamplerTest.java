package io.chimera.perf.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrashSamplerTest {

  @Test
  void aMissOnAKeyEvictedMomentsAgoSeesHowManyEvictionsAgoItLeft() {
    ThrashSampler sampler = new ThrashSampler();
    sampler.evicted("a".hashCode());
    sampler.evicted("b".hashCode());
    sampler.evicted("c".hashCode());
    assertThat(sampler.distance("a".hashCode())).isEqualTo(2);
    assertThat(sampler.distance("c".hashCode())).isZero();
    assertThat(sampler.distance("never evicted".hashCode())).isEqualTo(-1);
  }

  @Test
  void oneEvictionExplainsOneMissOnly() {
    ThrashSampler sampler = new ThrashSampler();
    sampler.evicted("a".hashCode());
    assertThat(sampler.distance("a".hashCode())).isZero();
    // the key came back and left again by expiry or invalidation: not thrash
    assertThat(sampler.distance("a".hashCode())).isEqualTo(-1);
    sampler.evicted("a".hashCode());
    assertThat(sampler.distance("a".hashCode())).isZero();
  }

  @Test
  void anEvictionLongerAgoThanTheSampleHoldsIsNotThrash() {
    ThrashSampler sampler = new ThrashSampler();
    sampler.evicted("a".hashCode());
    for (int i = 0; i < ThrashSampler.CAPACITY; i++) {
      sampler.evicted(Integer.MIN_VALUE + 2 * i + 1); // other hashes, mostly other slots
    }
    assertThat(sampler.distance("a".hashCode())).isEqualTo(-1);
  }
}
