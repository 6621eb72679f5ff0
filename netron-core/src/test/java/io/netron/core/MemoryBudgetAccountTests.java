package io.netron.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the memory budget's accounts give back without their transport's help: the connection
 * tests exercise the budget over real connections; these pin the rule that nothing a connection
 * took may outlive it when the transport never reports its close.
 */
class MemoryBudgetAccountTests {

	@Test
	void anAccountWhoseConnectionClosedUnreportedIsGivenBackAfterTheGrace() {
		MemoryBudget budget = new MemoryBudget(1 << 20, Duration.ZERO);
		AtomicBoolean open = new AtomicBoolean(true);
		MemoryBudget.Account account = budget.open("peer lost", (reason) -> {
		});
		account.connectionOpen(open::get);
		assertThat(account.take(1000)).isTrue();
		budget.refresh();
		assertThat(budget.used()).as("an open connection keeps what it holds").isEqualTo(1000);
		open.set(false);
		budget.refresh();
		assertThat(budget.heaviest(5)).singleElement().satisfies((holding) -> {
			assertThat(holding.owner()).isEqualTo("peer lost");
			assertThat(holding.bytes()).isEqualTo(1000);
			assertThat(holding.state()).isEqualTo("open");
		});
		budget.refresh();
		assertThat(budget.used()).isZero();
		assertThat(budget.accounts()).isZero();
		assertThat(account.isClosed()).isTrue();
		assertThat(account.take(1)).as("a given-back account draws nothing more").isFalse();
	}

	@Test
	void aConnectionSeenClosedOnlyBrieflyKeepsItsAccount() {
		MemoryBudget budget = new MemoryBudget(1 << 20, Duration.ofHours(1));
		AtomicBoolean open = new AtomicBoolean(false);
		MemoryBudget.Account account = budget.open("peer closing", (reason) -> {
		});
		account.connectionOpen(open::get);
		assertThat(account.take(500)).isTrue();
		budget.refresh();
		budget.refresh();
		assertThat(budget.used()).as("within the grace a close is still the transport's to report").isEqualTo(500);
		account.close();
		assertThat(budget.used()).isZero();
	}

	@Test
	void anEvictedAccountWhoseConnectionNeverClosesIsGivenBackAfterTheGrace() {
		MemoryBudget budget = new MemoryBudget(1000, Duration.ZERO);
		java.util.List<String> evicted = new java.util.concurrent.CopyOnWriteArrayList<>();
		MemoryBudget.Account heavy = budget.open("heavy", evicted::add);
		MemoryBudget.Account light = budget.open("light", (reason) -> {
		});
		heavy.connectionOpen(() -> true);
		assertThat(heavy.take(900)).isTrue();
		// past the budget: the heaviest is evicted to make room, its bytes counted until it closes
		assertThat(light.take(200)).isFalse();
		assertThat(evicted).singleElement().asString().contains("this connection held the most, 900 bytes");
		assertThat(budget.heaviest(1)).singleElement().satisfies((holding) -> assertThat(holding.state()).isEqualTo("evicted"));
		// its connection never closes: the account goes anyway, and the room with it
		budget.refresh();
		assertThat(budget.used()).isZero();
		assertThat(light.take(200)).isTrue();
	}

	@Test
	void aRetiredAccountIsLeftToItsHolder() {
		MemoryBudget budget = new MemoryBudget(1 << 20, Duration.ZERO);
		MemoryBudget.Account account = budget.open("peer retired", (reason) -> {
		});
		account.connectionOpen(() -> false);
		assertThat(account.take(700)).isTrue();
		Object holder = new Object();
		account.retireWith(holder, Duration.ofHours(1));
		budget.refresh();
		budget.refresh();
		assertThat(budget.heaviest(5)).singleElement().satisfies((holding) -> assertThat(holding.state()).isEqualTo("retired"));
		assertThat(budget.used()).isEqualTo(700);
		assertThat(holder).isNotNull();
	}

}
