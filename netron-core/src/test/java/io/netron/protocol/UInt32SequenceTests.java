package io.netron.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UInt32SequenceTests {

	@Test
	void startsAtOne() {
		UInt32Sequence sequence = new UInt32Sequence();
		assertThat(sequence.next()).isEqualTo(1);
		assertThat(sequence.next()).isEqualTo(2);
	}

	@Test
	void wrapsFromUint32MaxToOneNeverYieldingZero() {
		UInt32Sequence sequence = new UInt32Sequence(0xFFFF_FFFEL);
		assertThat(sequence.next()).isEqualTo(4294967295L);
		assertThat(sequence.next()).isEqualTo(1);
		assertThat(sequence.next()).isEqualTo(2);
	}

	@Test
	void crossesSignedIntBoundaryAsUnsigned() {
		UInt32Sequence sequence = new UInt32Sequence(Integer.MAX_VALUE);
		assertThat(sequence.next()).isEqualTo(2147483648L);
	}

	@Test
	void rejectsStartOutsideUint32() {
		assertThatIllegalArgumentException().isThrownBy(() -> new UInt32Sequence(0x1_0000_0000L));
		assertThatIllegalArgumentException().isThrownBy(() -> new UInt32Sequence(-1));
	}

	@Test
	void concurrentCallersNeverShareAnIdEvenAcrossTheWrap() throws InterruptedException {
		UInt32Sequence sequence = new UInt32Sequence(0xFFFF_FFFFL - 20_000);
		Set<Long> seen = ConcurrentHashMap.newKeySet();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				for (int i = 0; i < 10_000; i++) {
					assertThat(seen.add(sequence.next())).isTrue();
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(seen).hasSize(40_000).doesNotContain(0L).contains(4294967295L, 1L, 19_999L)
			.allMatch((id) -> id >= 1 && id <= 4294967295L);
	}

}
