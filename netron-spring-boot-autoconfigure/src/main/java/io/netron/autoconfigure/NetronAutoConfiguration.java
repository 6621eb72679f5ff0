package io.netron.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import io.micrometer.observation.ObservationRegistry;
import io.netron.client.NetronClientsRegistrar;
import io.netron.client.NetronHandshakeHeaders;
import io.netron.client.NetronPeers;
import io.netron.client.PeerSettings;
import io.netron.core.ConnectionLimits;
import io.netron.core.MemoryBudget;
import io.netron.core.Connector;
import io.netron.core.Netron;
import io.netron.core.NetronAuthenticator;
import io.netron.core.NetronContextBinder;
import io.netron.core.NetronExceptionTranslator;
import io.netron.core.NetronOptions;
import io.netron.core.PeerPolicy;
import io.netron.core.ProtocolGeneration;
import io.netron.observation.NetronClientObservationConvention;
import io.netron.observation.NetronServerObservationConvention;
import io.netron.observation.NetronStreamObservationConvention;
import io.netron.protocol.PacketCodec;
import io.netron.stream.StreamSettings;
import io.netron.transport.HttpConnector;
import io.netron.transport.JdkWebSocketConnector;
import io.netron.transport.NetronConnectionGuard;
import io.netron.transport.NetronHandshakeHandler;
import io.netron.transport.NetronHttpHandler;
import io.netron.transport.NetronHttpService;
import io.netron.transport.NetronReactiveHttpHandler;
import io.netron.transport.NetronReactiveEndpoint;
import io.netron.transport.NetronReactiveWebSocketHandler;
import io.netron.transport.NetronWebSocketHandler;
import io.netron.transport.ReactorNettyConnector;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Auto-configuration of a Netron node: the {@link Netron} bean, the exposure of
 * {@code @NetronService} beans with graceful shutdown, configured peers and
 * {@code @NetronClient} beans, and the WebSocket endpoint of servlet web applications.
 */
@AutoConfiguration
@EnableConfigurationProperties(NetronProperties.class)
@Import(NetronAutoConfiguredClientsRegistrar.class)
public final class NetronAutoConfiguration {

	NetronAutoConfiguration() {
	}

	/**
	 * How the node opens its connections: Reactor Netty's WebSocket client when it is on the class
	 * path, else the JDK's ({@code netron.client-transport} chooses), unless the application (or a
	 * test, with {@code @AutoConfigureNetronInProcess}) defines a {@link Connector} named
	 * {@code netronConnector}.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(name = "netronConnector")
	Connector netronConnector(NetronProperties properties) {
		return webSocketConnector(properties, null);
	}

	private static final boolean REACTOR_NETTY = org.springframework.util.ClassUtils
		.isPresent("reactor.netty.http.client.HttpClient", NetronAutoConfiguration.class.getClassLoader());

	/** A WebSocket connector of the configured client transport, trusting {@code ssl} when set. */
	static Connector webSocketConnector(NetronProperties properties, @Nullable SSLContext ssl) {
		int maxMessageSize = (int) Math.min(Integer.MAX_VALUE - 16, properties.getServer().getMaxMessageSize().toBytes());
		long sendBufferSize = properties.getServer().getSendBufferSize().toBytes();
		NetronProperties.ClientTransport transport = properties.getClientTransport();
		if (transport == NetronProperties.ClientTransport.REACTOR_NETTY && !REACTOR_NETTY) {
			throw new NetronConfigurationException(
					"netron.client-transport is reactor-netty, but Reactor Netty is not on the class path",
					"Add io.projectreactor.netty:reactor-netty-http (spring-boot-starter-webflux brings it), or set "
							+ "netron.client-transport to auto or jdk.");
		}
		if (transport == NetronProperties.ClientTransport.REACTOR_NETTY
				|| (transport == NetronProperties.ClientTransport.AUTO && REACTOR_NETTY)) {
			return new ReactorNettyConnector(maxMessageSize, sendBufferSize, ssl);
		}
		return new JdkWebSocketConnector(maxMessageSize, sendBufferSize, ssl);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Netron netron(NetronProperties properties, Connector netronConnector,
			ObjectProvider<NetronCustomizer> customizers, ObjectProvider<NetronContextBinder> contextBinders,
			ObjectProvider<NetronExceptionTranslator> exceptionTranslators,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<NetronServerObservationConvention> serverObservationConvention,
			ObjectProvider<NetronClientObservationConvention> clientObservationConvention,
			ObjectProvider<NetronStreamObservationConvention> streamObservationConvention,
			ObjectProvider<NetronAuthenticator> authenticator, ObjectProvider<NetronCodecCustomizer> codecCustomizers,
			Environment environment) {
		PacketCodec codec = PacketCodec
			.withMapper((mapper) -> codecCustomizers.orderedStream().forEach((customizer) -> customizer.customize(mapper)));
		// spring.threads.virtual.enabled on Java 21+: WORKER members run on virtual threads too
		Netron netron = new Netron(options(properties).withVirtualThreadWorkers(Threading.VIRTUAL.isActive(environment)),
				netronConnector, codec);
		observationRegistry.ifAvailable(netron::setObservationRegistry);
		netron.setServerObservationConvention(serverObservationConvention.getIfUnique());
		netron.setClientObservationConvention(clientObservationConvention.getIfUnique());
		netron.setStreamObservationConvention(streamObservationConvention.getIfUnique());
		netron.setAuthenticator(authenticator.getIfUnique());
		// peers connect once the @NetronService beans are exposed (NetronLifecycle.start)
		netron.setAcceptingConnections(false);
		contextBinders.orderedStream().forEach(netron::addContextBinder);
		exceptionTranslators.orderedStream().forEach(netron::addExceptionTranslator);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(netron));
		return netron;
	}

	static NetronOptions options(NetronProperties properties) {
		NetronProperties.Reconnect reconnect = properties.getReconnect();
		NetronProperties.Server server = properties.getServer();
		NetronProperties.RemoteExposure exposure = properties.getRemoteExposure();
		String id = properties.getId();
		try {
			return new NetronOptions((id != null && !id.isBlank()) ? id : UUID.randomUUID().toString(),
					properties.getRequestTimeout(), properties.getConnectTimeout(), properties.getTaskTimeout(),
					properties.getTaskOverwriteStrategy(), properties.isAllowServiceEvents(),
					properties.getErrors().isIncludeStackFrames(),
					(int) Math.min(Integer.MAX_VALUE - 16, properties.getServer().getMaxMessageSize().toBytes()),
					(int) Math.min(Integer.MAX_VALUE - 16, properties.getServer().getSendBufferSize().toBytes()),
					new NetronOptions.Reconnect(reconnect.isEnabled(), reconnect.getInitialDelay(), reconnect.getMaxDelay(),
							reconnect.getMaxAttempts()),
					new StreamSettings(properties.getStreamTimeout(), properties.getStreamMaxBufferedChunks(),
							StreamSettings.defaults().sendHighWater(), properties.getStreamMaxBufferedBytes().toBytes()),
					new ConnectionLimits(server.getMaxConnections(), server.getMaxConnectionsPerAddress(),
							server.getMaxRequestsInFlight(), server.getPingInterval(), server.getIdleTimeout(),
							(server.getMaxBufferedBytes() != null) ? server.getMaxBufferedBytes().toBytes()
									: MemoryBudget.defaultLimit()),
					new PeerPolicy(exposure.isEnabled(), Set.copyOf(exposure.getPrincipals()), exposure.getServices(),
							exposure.isShadowLocal(), properties.getSubscribableEvents(), exposure.getMaxServicesPerPeer(),
							(int) Math.min(Integer.MAX_VALUE, exposure.getMaxDefinitionSize().toBytes())),
					properties.isDirectCallbacks(), false);
		}
		catch (IllegalArgumentException ex) {
			throw new NetronConfigurationException("Invalid Netron configuration: " + ex.getMessage(),
					"Set netron.request-timeout, netron.connect-timeout, netron.task-timeout, netron.stream-timeout and "
							+ "netron.reconnect.* to positive durations, netron.reconnect.max-attempts to 0 or more, and "
							+ "netron.stream-max-buffered-chunks, netron.stream-max-buffered-bytes and the netron.server sizes to positive sizes, "
							+ "netron.server.max-connections and netron.server.max-requests-in-flight to positive numbers, and "
							+ "netron.server.idle-timeout longer than netron.server.ping-interval (or 0).");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	NetronPeers netronPeers(Netron netron, Connector netronConnector, NetronProperties properties,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<NetronHandshakeHeaders> handshakeHeaders) {
		List<PeerSettings> peers = new ArrayList<>();
		for (Map.Entry<String, NetronProperties.Peer> entry : properties.getPeers().entrySet()) {
			String name = entry.getKey();
			NetronProperties.Peer peer = entry.getValue();
			URI url = peer.getUrl();
			// a connector of the application's (or a test's in-process transport) may take other schemes
			boolean otherSchemes = !(netronConnector instanceof JdkWebSocketConnector
					|| netronConnector instanceof ReactorNettyConnector);
			if (url == null || url.getScheme() == null || url.getHost() == null
					|| (!otherSchemes && !List.of("ws", "wss", "http", "https").contains(url.getScheme()))) {
				throw new NetronConfigurationException(
						"Netron peer '" + name + "' has no valid URL (netron.peers." + name + ".url=" + url + ")",
						"Set netron.peers." + name + ".url to the peer's WebSocket endpoint, such as ws://host:8080/netron "
								+ "(or its HTTP transport, http://host:8080/netron, for calls only).");
			}
			boolean overHttp = url.getScheme().startsWith("http");
			Map<String, String> staticHeaders = Map.copyOf(peer.getHeaders());
			Supplier<Map<String, String>> headers = () -> {
				Map<String, String> all = new LinkedHashMap<>(staticHeaders);
				handshakeHeaders.orderedStream().forEach((provider) -> all.putAll(provider.headers(name)));
				return all;
			};
			peers.add(new PeerSettings(name, url,
					(peer.getRequestTimeout() != null) ? peer.getRequestTimeout() : properties.getRequestTimeout(),
					peer.isEager(), connector(name, peer, overHttp, properties, sslBundles), headers,
					overHttp ? ProtocolGeneration.TITAN : peer.getGeneration()));
		}
		return new NetronPeers(netron, peers);
	}

	/**
	 * The peer's connector: over HTTP an {@link HttpConnector}, over a WebSocket one trusting the
	 * peer's SSL bundle, or {@code null} for the node's connector; both trust the bundle if one is set.
	 */
	private static @Nullable Connector connector(String name, NetronProperties.Peer peer, boolean overHttp,
			NetronProperties properties, ObjectProvider<SslBundles> sslBundles) {
		SSLContext ssl = sslContext(name, peer, sslBundles);
		if (overHttp) {
			return new HttpConnector(ssl);
		}
		return (ssl != null) ? webSocketConnector(properties, ssl) : null;
	}

	private static @Nullable SSLContext sslContext(String name, NetronProperties.Peer peer,
			ObjectProvider<SslBundles> sslBundles) {
		String bundleName = peer.getSsl().getBundle();
		if (bundleName == null || bundleName.isBlank()) {
			return null;
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		SslBundle bundle;
		try {
			if (bundles == null) {
				throw new NoSuchSslBundleException(bundleName, "no SslBundles bean");
			}
			bundle = bundles.getBundle(bundleName);
		}
		catch (NoSuchSslBundleException ex) {
			throw new NetronConfigurationException("Netron peer '" + name + "' uses SSL bundle '" + bundleName
					+ "', which is not configured (" + ex.getMessage() + ")",
					"Configure spring.ssl.bundle.jks." + bundleName + " or spring.ssl.bundle.pem." + bundleName
							+ " with a trust store holding the peer's certificate, or fix netron.peers." + name
							+ ".ssl.bundle.");
		}
		return bundle.createSslContext();
	}

	@Bean
	@ConditionalOnMissingBean
	NetronLifecycle netronLifecycle(Netron netron, ListableBeanFactory beanFactory, NetronPeers netronPeers,
			NetronProperties properties) {
		return new NetronLifecycle(netron, beanFactory, netronPeers, properties.getShutdownTimeout());
	}

	/** Checks at startup that every {@code @NetronClient} can find its peer. */
	@Bean
	static SmartInitializingSingleton netronClientValidator(ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		return () -> {
			for (NetronClientsRegistrar.ClientDefinition client : NetronClientsRegistrar.clients(beanFactory)) {
				if (client.peer().isEmpty()) {
					if (!environment.getProperty("netron.discovery.enabled", Boolean.class, false)) {
						throw new NetronConfigurationException("@NetronClient " + client.type() + " (service '"
								+ client.service() + "') names no peer, and service discovery is not enabled",
								"Set peer = \"name\" on the @NetronClient and netron.peers.<name>.url, or enable "
										+ "discovery with netron.discovery.enabled=true.");
					}
				}
				else if (environment.getProperty("netron.peers." + client.peer() + ".url") == null) {
					throw new NetronConfigurationException("@NetronClient " + client.type() + " uses peer '"
							+ client.peer() + "', but netron.peers." + client.peer() + ".url is not set",
							"Set netron.peers." + client.peer() + ".url to the peer's endpoint, such as "
									+ "ws://host:8080/netron.");
				}
			}
		};
	}

	/**
	 * Spring Security: the handshake's {@code Authentication} on the threads that serve its
	 * requests, and refusals answered as {@code AccessDeniedError}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
	static final class NetronSecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NetronSecurityContextBinder netronSecurityContextBinder() {
			return new NetronSecurityContextBinder();
		}

		@Bean
		@ConditionalOnMissingBean
		NetronAccessDeniedTranslator netronAccessDeniedTranslator() {
			return new NetronAccessDeniedTranslator();
		}

		/** The authenticate task: passwords through the AuthenticationManager bean (or the reactive ones), JWTs through the JwtDecoder bean (or the ReactiveJwtDecoder). */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = { "org.springframework.security.oauth2.jwt.JwtDecoder",
				"org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider" })
		static final class WithJwt {

			@Bean
			@ConditionalOnMissingBean(NetronAuthenticator.class)
			NetronSecurityAuthenticator netronAuthenticator(ObjectProvider<AuthenticationManager> managers,
					ObjectProvider<ReactiveAuthenticationManager> reactiveManagers, ObjectProvider<JwtDecoder> decoders,
					ObjectProvider<ReactiveJwtDecoder> reactiveDecoders) {
				return new NetronSecurityAuthenticator(managers, reactiveManagers,
						new NetronJwtTokenAuthentication(decoders, reactiveDecoders));
			}

		}

		/** The authenticate task with passwords only. */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingClass("org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider")
		static final class WithoutJwt {

			@Bean
			@ConditionalOnMissingBean(NetronAuthenticator.class)
			NetronSecurityAuthenticator netronAuthenticator(ObjectProvider<AuthenticationManager> managers,
					ObjectProvider<ReactiveAuthenticationManager> reactiveManagers) {
				return new NetronSecurityAuthenticator(managers, reactiveManagers, null);
			}

		}

	}

	/**
	 * CORS of the HTTP transport from {@code netron.http.cors.*}; with no origin listed, one that
	 * allows none, so that a request a page of another origin sends is refused (403) rather than
	 * served unseen, while same-origin requests and those without an Origin (not browsers) pass.
	 */
	static CorsConfiguration corsConfiguration(NetronProperties.Cors properties) {
		CorsConfiguration configuration = new CorsConfiguration();
		if (properties.getAllowedOrigins().isEmpty()) {
			return configuration;
		}
		configuration.setAllowedOrigins(List.copyOf(properties.getAllowedOrigins()));
		configuration.setAllowedMethods(List.of("POST"));
		configuration.setAllowedHeaders(List.copyOf(properties.getAllowedHeaders()));
		configuration.setExposedHeaders(List.of("X-Request-Id"));
		configuration.setAllowCredentials(properties.isAllowCredentials());
		configuration.setMaxAge(properties.getMaxAge());
		return configuration;
	}

	/** The HTTP transport's service, its limits checked. */
	static NetronHttpService httpService(Netron netron, NetronProperties properties) {
		NetronProperties.Http http = properties.getHttp();
		if (http.getMaxBatchSize() <= 0 || http.getMaxBodySize().toBytes() <= 0 || http.getMaxRequestsInFlight() <= 0) {
			throw new NetronConfigurationException("Invalid netron.http limits: max-body-size "
					+ http.getMaxBodySize() + ", max-batch-size " + http.getMaxBatchSize() + ", max-requests-in-flight "
					+ http.getMaxRequestsInFlight(),
					"Set netron.http.max-body-size, netron.http.max-batch-size and netron.http.max-requests-in-flight to "
							+ "positive values.");
		}
		return new NetronHttpService(netron, (int) Math.min(Integer.MAX_VALUE - 16, http.getMaxBodySize().toBytes()),
				http.getMaxBatchSize(), http.getMaxRequestsInFlight());
	}

	/** The HTTP transport's operations under the endpoint's path. */
	static final List<String> HTTP_OPERATIONS = List.of("invoke", "invoke/**", "batch", "authenticate", "openapi.json");

	/** {@return the endpoint's path without a trailing slash, checked to be absolute} */
	static String basePath(NetronProperties properties) {
		String path = properties.getServer().getPath();
		if (!path.startsWith("/")) {
			throw new NetronConfigurationException("netron.server.path '" + path + "' does not start with '/'",
					"Set netron.server.path to an absolute path such as /netron.");
		}
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	/** The HTTP transport's service, which the endpoint of either stack serves. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication
	@ConditionalOnProperty(prefix = "netron.http", name = "enabled", matchIfMissing = true)
	static final class NetronHttpConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty(prefix = "netron.server", name = "enabled", matchIfMissing = true)
		NetronHttpService netronHttpService(Netron netron, NetronProperties properties) {
			return httpService(netron, properties);
		}

		/**
		 * The HTTP transport's operations in the application's springdoc-openapi document, whichever
		 * stack serves it (springdoc's WebMVC or WebFlux starter).
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
		@ConditionalOnProperty(prefix = "netron.server", name = "enabled", matchIfMissing = true)
		static final class NetronOpenApiConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "netronOpenApiCustomizer")
			NetronOpenApiCustomizer netronOpenApiCustomizer(Netron netron, NetronProperties properties) {
				return new NetronOpenApiCustomizer(netron, basePath(properties));
			}

		}

	}

	/** The endpoint, mapped ahead of the application's own handlers. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ WebSocketHandler.class, SimpleUrlHandlerMapping.class })
	@ConditionalOnProperty(prefix = "netron.server", name = "enabled", matchIfMissing = true)
	static final class NetronServerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NetronWebSocketHandler netronWebSocketHandler(Netron netron, NetronProperties properties) {
			return new NetronWebSocketHandler(netron, (int) properties.getServer().getSendTimeLimit().toMillis(),
					new NetronConnectionGuard(netron));
		}

		@Bean
		@ConditionalOnMissingBean(name = "netronWebSocketRequestHandler")
		WebSocketHttpRequestHandler netronWebSocketRequestHandler(NetronWebSocketHandler netronWebSocketHandler,
				NetronProperties properties) {
			WebSocketHttpRequestHandler handler = new WebSocketHttpRequestHandler(netronWebSocketHandler,
					new NetronHandshakeHandler(properties.getServer().isPerMessageDeflate()));
			// cross-site WebSocket hijacking: a browser page of another origin must not ride its visitor's
			// credentials into the node; peers that send no Origin (not browsers) are not affected
			handler.setHandshakeInterceptors(List.of(
					new NetronOriginCheck(properties.getServer().getAllowedOrigins(), netronWebSocketHandler.guard()),
					netronWebSocketHandler.guard()));
			return handler;
		}

		/** Logs upgrades that a filter (Spring Security's, for one) refused with 401 or 403. */
		@Bean
		@ConditionalOnMissingBean(name = "netronHandshakeRefusalFilter")
		FilterRegistrationBean<NetronHandshakeRefusalFilter> netronHandshakeRefusalFilter(
				NetronWebSocketHandler netronWebSocketHandler, NetronProperties properties) {
			FilterRegistrationBean<NetronHandshakeRefusalFilter> registration = new FilterRegistrationBean<>(
					new NetronHandshakeRefusalFilter(netronWebSocketHandler.guard()));
			registration.addUrlPatterns(properties.getServer().getPath());
			// ahead of Spring Security's filter chain (order -100), to see what it answered
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
			return registration;
		}

		/** The HTTP transport (Titan generation) on the servlet stack: POST {path}/invoke, /batch and /authenticate. */
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty(prefix = "netron.http", name = "enabled", matchIfMissing = true)
		NetronHttpHandler netronHttpHandler(NetronHttpService netronHttpService) {
			return new NetronHttpHandler(netronHttpService);
		}

		@Bean
		@ConditionalOnMissingBean(name = "netronHandlerMapping")
		SimpleUrlHandlerMapping netronHandlerMapping(WebSocketHttpRequestHandler netronWebSocketRequestHandler,
				ObjectProvider<NetronHttpHandler> netronHttpHandler, NetronProperties properties) {
			String base = basePath(properties);
			String path = properties.getServer().getPath();
			Map<String, Object> handlers = new LinkedHashMap<>();
			handlers.put(path, netronWebSocketRequestHandler);
			NetronHttpHandler http = netronHttpHandler.getIfAvailable();
			Map<String, CorsConfiguration> cors = new LinkedHashMap<>();
			if (http != null) {
				CorsConfiguration allowed = corsConfiguration(properties.getHttp().getCors());
				for (String operation : HTTP_OPERATIONS) {
					handlers.put(base + "/" + operation, http);
					cors.put(base + "/" + operation, allowed);
				}
			}
			SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(handlers);
			if (!cors.isEmpty()) {
				mapping.setCorsConfigurations(cors);
			}
			mapping.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
			return mapping;
		}

	}

	/**
	 * The endpoint of reactive web applications on Reactor Netty: the upgrade at
	 * {@code netron.server.path}, mapped ahead of the application's own handlers and behind its
	 * {@code SecurityWebFilterChain}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(name = { "org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService",
			"reactor.netty.http.server.HttpServer" })
	@ConditionalOnProperty(prefix = "netron.server", name = "enabled", matchIfMissing = true)
	static final class NetronReactiveServerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NetronReactiveWebSocketHandler netronReactiveWebSocketHandler(Netron netron) {
			return new NetronReactiveWebSocketHandler(netron, new NetronConnectionGuard(netron));
		}

		@Bean
		@ConditionalOnMissingBean
		NetronReactiveEndpoint netronReactiveEndpoint(NetronReactiveWebSocketHandler netronReactiveWebSocketHandler,
				NetronProperties properties) {
			return new NetronReactiveEndpoint(netronReactiveWebSocketHandler, properties.getServer().isPerMessageDeflate(),
					List.copyOf(properties.getServer().getAllowedOrigins()));
		}

		/** Logs upgrades that a filter (Spring Security's, for one) refused with 401 or 403. */
		@Bean
		@ConditionalOnMissingBean
		NetronReactiveHandshakeRefusalFilter netronReactiveHandshakeRefusalFilter(
				NetronReactiveWebSocketHandler netronReactiveWebSocketHandler, NetronProperties properties) {
			return new NetronReactiveHandshakeRefusalFilter(netronReactiveWebSocketHandler.guard(),
					properties.getServer().getPath());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty(prefix = "netron.http", name = "enabled", matchIfMissing = true)
		NetronReactiveHttpHandler netronReactiveHttpHandler(NetronHttpService netronHttpService,
				NetronProperties properties) {
			return new NetronReactiveHttpHandler(netronHttpService,
					corsConfiguration(properties.getHttp().getCors()));
		}

		/** The endpoint and the HTTP transport (which answers cross-origin requests itself). */
		@Bean
		@ConditionalOnMissingBean(name = "netronReactiveHandlerMapping")
		org.springframework.web.reactive.handler.SimpleUrlHandlerMapping netronReactiveHandlerMapping(
				NetronReactiveEndpoint netronReactiveEndpoint, ObjectProvider<NetronReactiveHttpHandler> netronReactiveHttpHandler,
				NetronProperties properties) {
			String base = basePath(properties);
			Map<String, Object> handlers = new LinkedHashMap<>();
			handlers.put(properties.getServer().getPath(), netronReactiveEndpoint);
			NetronReactiveHttpHandler http = netronReactiveHttpHandler.getIfAvailable();
			if (http != null) {
				for (String operation : HTTP_OPERATIONS) {
					handlers.put(base + "/" + operation, http);
				}
			}
			org.springframework.web.reactive.handler.SimpleUrlHandlerMapping mapping = new org.springframework.web.reactive.handler.SimpleUrlHandlerMapping(
					handlers);
			mapping.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
			return mapping;
		}

	}

}
