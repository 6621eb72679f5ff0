package io.netron.autoconfigure;

import java.util.Map;
import java.util.UUID;

import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.transport.JdkWebSocketConnector;
import io.netron.transport.NetronHandshakeHandler;
import io.netron.transport.NetronWebSocketHandler;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Auto-configuration of a Netron node: the {@link Netron} bean, the exposure of
 * {@code @NetronService} beans, and the WebSocket endpoint of servlet web applications.
 */
@AutoConfiguration
@EnableConfigurationProperties(NetronProperties.class)
public final class NetronAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	JdkWebSocketConnector netronConnector(NetronProperties properties) {
		return new JdkWebSocketConnector((int) properties.getServer().getMaxMessageSize().toBytes(),
				properties.getServer().getSendBufferSize().toBytes());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Netron netron(NetronProperties properties, JdkWebSocketConnector connector,
			ObjectProvider<NetronCustomizer> customizers) {
		Netron netron = new Netron(options(properties), connector);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(netron));
		return netron;
	}

	static NetronOptions options(NetronProperties properties) {
		NetronProperties.Reconnect reconnect = properties.getReconnect();
		String id = properties.getId();
		return new NetronOptions((id != null && !id.isBlank()) ? id : UUID.randomUUID().toString(),
				properties.getRequestTimeout(), properties.getConnectTimeout(), properties.getTaskTimeout(),
				properties.getTaskOverwriteStrategy(), properties.isAllowServiceEvents(),
				properties.getErrors().isIncludeStackFrames(), (int) properties.getServer().getMaxMessageSize().toBytes(),
				(int) properties.getServer().getSendBufferSize().toBytes(),
				new NetronOptions.Reconnect(reconnect.isEnabled(), reconnect.getInitialDelay(), reconnect.getMaxDelay(),
						reconnect.getMaxAttempts()));
	}

	@Bean
	@ConditionalOnMissingBean
	NetronServiceExporter netronServiceExporter(Netron netron, ListableBeanFactory beanFactory) {
		return new NetronServiceExporter(netron, beanFactory);
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
			return new NetronWebSocketHandler(netron, (int) properties.getServer().getSendTimeLimit().toMillis());
		}

		@Bean
		@ConditionalOnMissingBean(name = "netronWebSocketRequestHandler")
		WebSocketHttpRequestHandler netronWebSocketRequestHandler(NetronWebSocketHandler handler,
				NetronProperties properties) {
			return new WebSocketHttpRequestHandler(handler,
					new NetronHandshakeHandler(properties.getServer().isPerMessageDeflate()));
		}

		@Bean
		@ConditionalOnMissingBean(name = "netronHandlerMapping")
		SimpleUrlHandlerMapping netronHandlerMapping(WebSocketHttpRequestHandler netronWebSocketRequestHandler,
				NetronProperties properties) {
			SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(
					Map.of(properties.getServer().getPath(), netronWebSocketRequestHandler));
			mapping.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
			return mapping;
		}

	}

}
