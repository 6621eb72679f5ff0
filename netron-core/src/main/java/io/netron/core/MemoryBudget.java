package io.netron.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes the whole node may hold for what its peers send it ({@code netron.server.max-buffered-bytes}):
 * frames being assembled, requests decoded and waiting for their answer. Each connection draws from
 * it through its own {@link Account}, so that no number of connections can together run the heap
 * out while each stays within its own limits. When a draw would pass the budget, the heaviest
 * account is evicted (its connection closed with 1013; what it holds is counted until the
 * connection has closed, for until then it is in use) if it holds more than the draw; otherwise
 * the draw is refused and the caller refuses what asked for it.
 */
public final class MemoryBudget {

	private static final Logger logger = LoggerFactory.getLogger(MemoryBudget.class);

	/**
	 * How long an account may stay open after its connection was seen closed, or after it was
	 * evicted: the transport tells the engine of a close within this (a close frame is given its
	 * send time limit), so an account still open past it was missed and is given back by
	 * {@link #refresh()}.
	 */
	static final Duration CLOSE_GRACE = Duration.ofSeconds(15);

	private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

	/** Releases retired accounts whose holder was not collected in time (one daemon thread for all nodes). */
	private static final java.util.concurrent.ScheduledExecutorService RELEASES = java.util.concurrent.Executors
		.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "netron-memory-release");
			thread.setDaemon(true);
			return thread;
		});

	private final long limit;

	private final AtomicLong used = new AtomicLong();

	private final Set<Account> accounts = ConcurrentHashMap.newKeySet();

	/**
	 * A budget of {@code limit} bytes.
	 * @param limit the bytes the node may hold; {@link Long#MAX_VALUE} for no limit
	 */
	public MemoryBudget(long limit) {
		this(limit, CLOSE_GRACE);
	}

	/**
	 * A budget of {@code limit} bytes whose accounts are given back {@code closeGrace} after their
	 * connection was seen closed, if the transport has not closed them by then.
	 */
	MemoryBudget(long limit, Duration closeGrace) {
		if (limit <= 0) {
			throw new IllegalArgumentException("The memory budget must be positive, but was " + limit);
		}
		this.limit = limit;
		this.closeGraceNanos = closeGrace.toNanos();
	}

	private final long closeGraceNanos;

	/**
	 * {@return the default budget: an eighth of the heap the JVM may grow to} What is counted is
	 * the bytes of frames, strings and buffers; the heap they take can be twice that (G1 gives an
	 * array of half a region or more whole regions of its own, and a region is 1 MB below a 2 GB
	 * heap), besides copies made on the way and everything else the application holds.
	 */
	public static long defaultLimit() {
		return Runtime.getRuntime().maxMemory() / 8;
	}

	/** {@return the bytes the node may hold} */
	public long limit() {
		return this.limit;
	}

	/** Draws of at most this many bytes may use the headroom above the limit. */
	static final long SMALL_DRAW = 64 * 1024;

	/**
	 * The limit a draw of {@code bytes} is held to: a small one (a handshake, a lookup, an ordinary
	 * call) may go a sixteenth above it, so that the node keeps answering them while the connections
	 * evicted to make room are being closed (their memory is counted until they are).
	 */
	private long limit(long bytes) {
		return (bytes <= SMALL_DRAW) ? this.limit + this.limit / 16 : this.limit;
	}

	/** {@return the bytes held now, by all accounts} */
	public long used() {
		return this.used.get();
	}

	/** {@return the accounts open now} */
	public int accounts() {
		return this.accounts.size();
	}

	/**
	 * Opens an account for one connection.
	 * @param owner who draws from it, for messages (a peer's description)
	 * @param evict called once when the account is evicted to make room, with the reason; it must
	 * close the connection (its bytes are already given back)
	 * @return the account; {@link Account#close() close} it with its connection
	 */
	public Account open(String owner, Consumer<String> evict) {
		Account account = new Account(owner, evict);
		this.accounts.add(account);
		return account;
	}

	/**
	 * What the heaviest accounts hold now, heaviest first: where an operator looks when the budget
	 * is full (the {@code netron} actuator endpoint lists them).
	 * @param most how many to list at most
	 * @return the holdings
	 */
	public java.util.List<Holding> heaviest(int most) {
		return this.accounts.stream()
			.map(Account::holding)
			.filter((holding) -> holding.bytes() > 0)
			.sorted(java.util.Comparator.comparingLong(Holding::bytes).reversed())
			.limit(most)
			.toList();
	}

	/**
	 * What one connection holds of the budget.
	 * @param owner the connection's peer
	 * @param bytes the bytes it holds, what waits to be sent to it included
	 * @param outbound the part of them waiting to be sent
	 * @param state {@code open}, {@code evicted} (closing to make room) or {@code retired} (closed,
	 * its send buffer not yet collected)
	 */
	public record Holding(String owner, long bytes, long outbound, String state) {
	}

	/**
	 * Reads again what waits to be sent on every account that tells it (send buffers drain unseen),
	 * and gives back what an account holds once its connection has been closed, or the account
	 * evicted, for longer than a close takes without the account being closed with it: nothing a
	 * connection took may outlive it, whatever its transport failed to report. The node calls it
	 * twice a second.
	 */
	public void refresh() {
		long now = System.nanoTime();
		for (Account account : this.accounts) {
			account.refreshOutbound();
			account.checkConnection(now);
		}
	}

	private @Nullable Account heaviest() {
		Account heaviest = null;
		for (Account account : this.accounts) {
			if (account.isClosed()) {
				// evicted already: its memory goes when its connection has closed
				continue;
			}
			if (heaviest == null || account.held() > heaviest.held()) {
				heaviest = account;
			}
		}
		return heaviest;
	}

	/** What one connection holds of the node's budget. */
	public final class Account {

		private final String owner;

		/** What closes the connection; let go once retired, so that nothing here keeps the holder reachable. */
		private volatile Consumer<String> evict;

		/** Guarded by this account: what it holds, and whether it still draws. */
		private long held;

		/** Guarded by this account: the part of {@link #held} that waits to be sent to the peer. */
		private long outbound;

		private volatile @Nullable LongSupplier outboundSource;

		/** Whether the account's connection is open, when it tells. */
		private volatile java.util.function.@Nullable BooleanSupplier connectionOpen;

		/** Guarded by this account: when its connection was first seen closed, 0 while it is open. */
		private long closedSince;

		/** Guarded by this account: when it was evicted. */
		private long evictedAt;

		private boolean closed;

		/** Guarded by this account: evicted to make room; draws nothing more, holds what it held until closed. */
		private boolean evicted;

		/** Guarded by this account: closed, its memory counted until its holder is collected (see retireWith). */
		private boolean retired;

		Account(String owner, Consumer<String> evict) {
			this.owner = owner;
			this.evict = evict;
		}

		/** {@return the bytes this account holds} */
		public synchronized long held() {
			return this.held;
		}

		/** {@return whether the account was closed or evicted: it draws nothing any more} */
		public synchronized boolean isClosed() {
			return this.closed || this.evicted || this.retired;
		}

		/**
		 * {@return the most bytes one draw could take now} What is left below the limit, or, when
		 * that is less, what a small draw may still take of the headroom above it: a frame let into
		 * the headroom decodes within it too.
		 */
		public long available() {
			long used = MemoryBudget.this.used.get();
			long belowLimit = MemoryBudget.this.limit - used;
			long ofHeadroom = Math.min(SMALL_DRAW, limit(SMALL_DRAW) - used);
			return Math.max(0, Math.max(belowLimit, ofHeadroom));
		}

		/**
		 * Draws bytes from the node's budget. Past it, the heaviest account is evicted to make room
		 * when it holds more than {@code bytes} and is not this one; otherwise the draw is refused.
		 * @param bytes the bytes to hold
		 * @return whether they were drawn; {@code false} when the budget has no room (or this
		 * account was evicted or closed)
		 */
		public boolean take(long bytes) {
			for (int attempt = 0; attempt < 2; attempt++) {
				synchronized (this) {
					if (this.closed || this.evicted || this.retired) {
						return false;
					}
					if (MemoryBudget.this.used.addAndGet(bytes) <= MemoryBudget.this.limit(bytes)) {
						this.held += bytes;
						return true;
					}
					MemoryBudget.this.used.addAndGet(-bytes);
				}
				if (attempt == 0) {
					// send buffers may have drained since they were last read
					refresh();
					if (MemoryBudget.this.used.get() + bytes <= limit(bytes)) {
						continue;
					}
				}
				Account heaviest = heaviest();
				if (heaviest == null || heaviest == this || heaviest.held() <= bytes) {
					return false;
				}
				heaviest.evictToMakeRoom("");
			}
			return false;
		}

		/**
		 * Counts what waits to be sent to the peer now (a send buffer's size), as part of what the
		 * account holds. Past the budget (for a growth of at most {@value #SMALL_DRAW} bytes, past
		 * its headroom), the heaviest account is evicted, this one included: a peer that does not
		 * read cannot make the node hold more than the budget.
		 * @param bytes the bytes waiting to be sent now
		 */
		public void outbound(long bytes) {
			long delta;
			long used;
			synchronized (this) {
				if (this.closed || this.retired) {
					return;
				}
				delta = bytes - this.outbound;
				this.outbound = bytes;
				this.held += delta;
				// under the account's lock, as every change of what it holds: a close meanwhile gives back exactly that
				used = MemoryBudget.this.used.addAndGet(delta);
			}
			// a small answer may use the headroom, as the small request it answers did
			if (delta > 0 && used > limit(delta)) {
				Account heaviest = heaviest();
				if (heaviest != null) {
					heaviest.evictToMakeRoom(" with what waits to be sent");
				}
			}
		}

		/**
		 * Where {@link #refresh()} reads what waits to be sent to the peer (a send buffer drains
		 * without telling).
		 * @param source the bytes waiting now
		 */
		public void outboundSource(LongSupplier source) {
			this.outboundSource = source;
		}

		/**
		 * Where {@link #refresh()} reads whether the account's connection is still open: an account
		 * whose connection has been closed for longer than a close takes is given back, logged as
		 * a close the transport did not report.
		 * @param open whether the connection is open now
		 */
		public void connectionOpen(java.util.function.BooleanSupplier open) {
			this.connectionOpen = open;
		}

		private void checkConnection(long now) {
			java.util.function.BooleanSupplier open = this.connectionOpen;
			boolean isOpen = open == null || open.getAsBoolean();
			long held;
			String why;
			synchronized (this) {
				if (this.closed || this.retired) {
					return;
				}
				long grace = MemoryBudget.this.closeGraceNanos;
				if (this.evicted && now - this.evictedAt >= grace) {
					why = "it was evicted and its connection has not closed since";
				}
				else if (isOpen) {
					this.closedSince = 0;
					return;
				}
				else if (this.closedSince == 0) {
					this.closedSince = now;
					return;
				}
				else if (now - this.closedSince >= grace) {
					why = "its connection closed without the node being told";
				}
				else {
					return;
				}
				held = this.held;
			}
			if (closeIfOpen()) {
				logger.warn("Gave back the {} bytes held by the {}: {}", held, this, why);
			}
		}

		private void refreshOutbound() {
			LongSupplier source = this.outboundSource;
			if (source != null) {
				outbound(source.getAsLong());
			}
		}

		/**
		 * Gives back bytes drawn with {@link #take(long)}; nothing once the account was evicted or
		 * closed, which gave back everything.
		 * @param bytes the bytes
		 */
		public synchronized void give(long bytes) {
			if (!this.closed) {
				long given = Math.min(bytes, this.held - this.outbound);
				this.held -= given;
				MemoryBudget.this.used.addAndGet(-given);
			}
		}

		/** Gives back everything this account holds and stops it drawing; its connection is gone. */
		public void close() {
			synchronized (this) {
				if (this.retired) {
					// what it holds goes when the holder does (see retireWith)
					return;
				}
			}
			closeIfOpen();
		}

		/**
		 * The connection closed, but what it queued for the peer lives on in {@code holder} (a send
		 * buffer a blocked write still holds, for one): the account draws nothing more and keeps what
		 * it holds counted until the holder is unreachable, or {@code longest} has passed.
		 * {@link #close()} no longer gives anything back.
		 * @param holder the object whose collection frees the memory
		 * @param longest how long to count it at most
		 */
		public void retireWith(Object holder, Duration longest) {
			synchronized (this) {
				if (this.closed || this.retired) {
					return;
				}
				this.retired = true;
				// the release below must not reach the holder, or it is never collected
				this.outboundSource = null;
				this.connectionOpen = null;
				this.evict = (reason) -> {
				};
			}
			java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
			Runnable release = () -> {
				if (released.compareAndSet(false, true)) {
					closeIfOpen();
				}
			};
			CLEANER.register(holder, release);
			RELEASES.schedule(release, longest.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
		}

		private boolean closeIfOpen() {
			synchronized (this) {
				if (this.closed) {
					return false;
				}
				this.closed = true;
				MemoryBudget.this.used.addAndGet(-this.held);
				this.held = 0;
			}
			MemoryBudget.this.accounts.remove(this);
			return true;
		}

		/** Evicts the account, the heaviest, saying why: the budget passed ({@code when} says how). */
		private void evictToMakeRoom(String when) {
			evict("node over its memory budget of " + MemoryBudget.this.limit + " bytes (netron.server.max-buffered-bytes)"
					+ when + ": this connection held the most, " + held() + " bytes");
		}

		/**
		 * Evicts the account to make room: it draws nothing more, and what it holds stays counted
		 * until its connection is closed ({@link #close()}), for until then that memory is still in
		 * use (a send buffer, requests being served); the callback closes the connection.
		 */
		private void evict(String reason) {
			synchronized (this) {
				if (this.closed || this.evicted) {
					return;
				}
				this.evicted = true;
				this.evictedAt = System.nanoTime();
			}
			this.evict.accept(reason);
		}

		synchronized Holding holding() {
			String state = this.retired ? "retired" : this.evicted ? "evicted" : this.closed ? "closed" : "open";
			return new Holding(this.owner, this.held, this.outbound, state);
		}

		@Override
		public String toString() {
			return "memory account of " + this.owner;
		}

	}

}
