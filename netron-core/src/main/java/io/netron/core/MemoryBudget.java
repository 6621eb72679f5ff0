package io.netron.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The bytes the whole node may hold for what its peers send it ({@code netron.server.max-buffered-bytes}):
 * frames being assembled, requests decoded and waiting for their answer. Each connection draws from
 * it through its own {@link Account}, so that no number of connections can together run the heap
 * out while each stays within its own limits. When a draw would pass the budget, the heaviest
 * account is evicted (its connection closed with 1013, its bytes given back at once) if it holds
 * more than the draw; otherwise the draw is refused and the caller refuses what asked for it.
 */
public final class MemoryBudget {

	private final long limit;

	private final AtomicLong used = new AtomicLong();

	private final Set<Account> accounts = ConcurrentHashMap.newKeySet();

	/**
	 * A budget of {@code limit} bytes.
	 * @param limit the bytes the node may hold; {@link Long#MAX_VALUE} for no limit
	 */
	public MemoryBudget(long limit) {
		if (limit <= 0) {
			throw new IllegalArgumentException("The memory budget must be positive, but was " + limit);
		}
		this.limit = limit;
	}

	/** {@return the default budget: a quarter of the heap the JVM may grow to} */
	public static long defaultLimit() {
		return Runtime.getRuntime().maxMemory() / 4;
	}

	/** {@return the bytes the node may hold} */
	public long limit() {
		return this.limit;
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

	/** Reads again what waits to be sent on every account that tells it: send buffers drain unseen. */
	public void refresh() {
		for (Account account : this.accounts) {
			account.refreshOutbound();
		}
	}

	private @Nullable Account heaviest() {
		Account heaviest = null;
		for (Account account : this.accounts) {
			if (heaviest == null || account.held() > heaviest.held()) {
				heaviest = account;
			}
		}
		return heaviest;
	}

	/** What one connection holds of the node's budget. */
	public final class Account {

		private final String owner;

		private final Consumer<String> evict;

		/** Guarded by this account: what it holds, and whether it still draws. */
		private long held;

		/** Guarded by this account: the part of {@link #held} that waits to be sent to the peer. */
		private long outbound;

		private volatile @Nullable LongSupplier outboundSource;

		private boolean closed;

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
			return this.closed;
		}

		/** {@return the bytes the node has left in its budget now} */
		public long available() {
			return Math.max(0, MemoryBudget.this.limit - MemoryBudget.this.used.get());
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
					if (this.closed) {
						return false;
					}
					if (MemoryBudget.this.used.addAndGet(bytes) <= MemoryBudget.this.limit) {
						this.held += bytes;
						return true;
					}
					MemoryBudget.this.used.addAndGet(-bytes);
				}
				if (attempt == 0) {
					// send buffers may have drained since they were last read
					refresh();
					if (MemoryBudget.this.used.get() + bytes <= MemoryBudget.this.limit) {
						continue;
					}
				}
				Account heaviest = heaviest();
				if (heaviest == null || heaviest == this || heaviest.held() <= bytes) {
					return false;
				}
				heaviest.evict("node over its memory budget of " + MemoryBudget.this.limit
						+ " bytes (netron.server.max-buffered-bytes): this connection held the most, " + heaviest.held()
						+ " bytes");
			}
			return false;
		}

		/**
		 * Counts what waits to be sent to the peer now (a send buffer's size), as part of what the
		 * account holds. Past the budget, the heaviest account is evicted, this one included: a
		 * peer that does not read cannot make the node hold more than the budget.
		 * @param bytes the bytes waiting to be sent now
		 */
		public void outbound(long bytes) {
			long delta;
			long used;
			synchronized (this) {
				if (this.closed) {
					return;
				}
				delta = bytes - this.outbound;
				this.outbound = bytes;
				this.held += delta;
				// under the account's lock, as every change of what it holds: a close meanwhile gives back exactly that
				used = MemoryBudget.this.used.addAndGet(delta);
			}
			if (used > MemoryBudget.this.limit && delta > 0) {
				Account heaviest = heaviest();
				if (heaviest != null) {
					heaviest.evict("node over its memory budget of " + MemoryBudget.this.limit
							+ " bytes (netron.server.max-buffered-bytes) with what waits to be sent: this connection held the most, "
							+ heaviest.held() + " bytes");
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
			closeIfOpen();
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

		private void evict(String reason) {
			if (closeIfOpen()) {
				this.evict.accept(reason);
			}
		}

		@Override
		public String toString() {
			return "memory account of " + this.owner;
		}

	}

}
