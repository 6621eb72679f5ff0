package io.netron.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netron.annotation.NetronService;
import io.netron.client.NetronPeers;
import io.netron.core.Netron;
import io.netron.core.ServiceDescriptor;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Exposes every {@code @NetronService} bean when the context starts (after the web server, so
 * that discovery sees its port) and connects to eager peers. On stop, before the web server
 * stops: refuses new requests, lets those in flight finish (up to
 * {@code netron.shutdown-timeout}), closes the connections peers opened with 1001 ("going
 * away") once their answers were sent, then unexposes the services. Started again after a stop
 * (as the Spring TestContext framework pauses the contexts it caches and resumes the one a test
 * class uses), it serves again.
 */
public class NetronLifecycle implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(NetronLifecycle.class);

	/** Starts after the web server and stops before its graceful shutdown. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/** How long closing a connection waits for the answers queued for it. */
	private static final Duration GO_AWAY_FLUSH_TIMEOUT = Duration.ofSeconds(2);

	private final Netron netron;

	private final ListableBeanFactory beanFactory;

	private final @Nullable NetronPeers peers;

	private final Duration shutdownTimeout;

	private final List<String> exposed = new ArrayList<>();

	private volatile boolean running;

	/**
	 * The life cycle of a node.
	 * @param netron the node
	 * @param beanFactory where the {@code @NetronService} beans are
	 * @param peers the configured peers, if any
	 * @param shutdownTimeout how long stopping waits for requests in flight
	 */
	public NetronLifecycle(Netron netron, ListableBeanFactory beanFactory, @Nullable NetronPeers peers,
			Duration shutdownTimeout) {
		this.netron = netron;
		this.beanFactory = beanFactory;
		this.peers = peers;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void start() {
		// started again after a stop (a paused test context resumed): serve again
		this.netron.resume();
		Map<String, Object> beans = this.beanFactory.getBeansWithAnnotation(NetronService.class);
		for (Map.Entry<String, Object> bean : beans.entrySet()) {
			Class<?> type = ClassUtils.getUserClass(bean.getValue());
			NetronService annotation = AnnotatedElementUtils.findMergedAnnotation(type, NetronService.class);
			if (annotation == null || !annotation.expose()) {
				continue;
			}
			String name = ServiceDescriptor.forClass(type).qualifiedName();
			this.netron.exposeService(bean.getValue());
			this.exposed.add(name);
			logger.info("Exposed Netron service {} (bean '{}')", name, bean.getKey());
		}
		this.netron.setAcceptingConnections(true);
		if (this.peers != null) {
			this.peers.connectEager(this.netron.options().connectTimeout());
		}
		this.running = true;
	}

	@Override
	public void stop(Runnable callback) {
		drainAndGoAway().whenComplete((ignored, failure) -> {
			try {
				unexposeAll();
			}
			finally {
				this.running = false;
				callback.run();
			}
		});
	}

	@Override
	public void stop() {
		drainAndGoAway().join();
		unexposeAll();
		this.running = false;
	}

	private java.util.concurrent.CompletableFuture<Void> drainAndGoAway() {
		return this.netron.drain(this.shutdownTimeout).thenCompose((drained) -> this.netron.goAway(GO_AWAY_FLUSH_TIMEOUT));
	}

	private void unexposeAll() {
		for (String name : this.exposed) {
			try {
				this.netron.unexposeService(name);
			}
			catch (RuntimeException ex) {
				logger.debug("Unexposing {} failed: {}", name, ex.toString());
			}
		}
		this.exposed.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
