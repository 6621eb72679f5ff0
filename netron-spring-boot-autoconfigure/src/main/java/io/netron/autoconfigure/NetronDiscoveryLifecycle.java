package io.netron.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netron.core.Netron;
import io.netron.discovery.DiscoveryEvent;
import io.netron.discovery.DiscoveryServiceRouter;
import io.netron.discovery.ServiceDiscovery;
import io.netron.discovery.ServiceInfo;
import io.netron.protocol.Definition;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * Registers the node once its services are exposed and its server listens (so the first
 * registration already lists the services and carries the real port), keeps the services list
 * current, re-publishes registry events as Spring application events, and deregisters first
 * when the application stops, before requests drain.
 */
public class NetronDiscoveryLifecycle implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(NetronDiscoveryLifecycle.class);

	/** After {@link NetronLifecycle} on start, before it on stop. */
	public static final int PHASE = NetronLifecycle.PHASE + 256;

	private final ServiceDiscovery discovery;

	private final DiscoveryServiceRouter router;

	private final Netron netron;

	private final ApplicationContext context;

	private final NetronProperties properties;

	private volatile boolean running;

	private Netron.@Nullable Subscription servicesSubscription;

	/**
	 * The discovery life cycle of a node.
	 * @param discovery the node's discovery
	 * @param router routes discovery-driven clients
	 * @param netron the node
	 * @param context where registry events are published
	 * @param properties the configuration
	 */
	public NetronDiscoveryLifecycle(ServiceDiscovery discovery, DiscoveryServiceRouter router, Netron netron,
			ApplicationContext context, NetronProperties properties) {
		this.discovery = discovery;
		this.router = router;
		this.netron = netron;
		this.context = context;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.discovery.addListener((event) -> {
			this.router.onEvent(event);
			this.context.publishEvent(event);
			this.netron.emit("discovery:event", toMap(event));
		});
		String address = address();
		if (address == null) {
			logger.info("Netron node {} reads the registry but does not register (no server address)", this.netron.id());
			this.discovery.follow();
		}
		else {
			this.discovery.updateAddress(address);
			this.discovery.updateServices(services());
			this.servicesSubscription = this.netron.onServicesChanged(() -> this.discovery.updateServices(services()));
			this.discovery.start();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		Netron.Subscription subscription = this.servicesSubscription;
		if (subscription != null) {
			subscription.close();
		}
		this.discovery.shutdown();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private List<ServiceInfo> services() {
		List<ServiceInfo> services = new ArrayList<>();
		for (Definition definition : this.netron.localPeer().services().values()) {
			services.add(new ServiceInfo(definition.meta().name(), definition.meta().version()));
		}
		return services;
	}

	/** The advertised address, else host:port of the running server, else none. */
	private @Nullable String address() {
		String advertised = this.properties.getDiscovery().getAdvertisedAddress();
		if (advertised != null && !advertised.isBlank()) {
			return advertised;
		}
		if (!(this.context instanceof WebServerApplicationContext web) || web.getWebServer() == null
				|| !this.properties.getServer().isEnabled()) {
			return null;
		}
		int port = web.getWebServer().getPort();
		if (port <= 0) {
			return null;
		}
		Environment environment = this.context.getEnvironment();
		String host = environment.getProperty("server.address");
		if (host == null || host.isBlank() || host.equals("0.0.0.0")) {
			try {
				host = InetAddress.getLocalHost().getHostAddress();
			}
			catch (UnknownHostException ex) {
				host = "127.0.0.1";
			}
		}
		return host + ":" + port;
	}

	private static Map<String, Object> toMap(DiscoveryEvent event) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("type", event.type().name());
		map.put("nodeId", event.nodeId());
		map.put("address", event.address());
		List<Map<String, Object>> services = new ArrayList<>();
		for (ServiceInfo service : event.services()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("name", service.name());
			entry.put("version", service.version());
			services.add(entry);
		}
		map.put("services", services);
		map.put("timestamp", event.timestamp());
		return map;
	}

}
