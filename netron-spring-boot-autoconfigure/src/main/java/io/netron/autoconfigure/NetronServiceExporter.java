package io.netron.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netron.annotation.NetronService;
import io.netron.core.Netron;
import io.netron.core.ServiceDescriptor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Exposes every {@code @NetronService} bean when the context starts and unexposes them when it
 * stops, before the web server stops accepting connections.
 */
public class NetronServiceExporter implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(NetronServiceExporter.class);

	/** Starts after the web server (so discovery sees its port) and stops before it. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private final Netron netron;

	private final ListableBeanFactory beanFactory;

	private final List<String> exposed = new ArrayList<>();

	private volatile boolean running;

	public NetronServiceExporter(Netron netron, ListableBeanFactory beanFactory) {
		this.netron = netron;
		this.beanFactory = beanFactory;
	}

	@Override
	public void start() {
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
		this.running = true;
	}

	@Override
	public void stop() {
		for (String name : this.exposed) {
			try {
				this.netron.unexposeService(name);
			}
			catch (RuntimeException ex) {
				logger.debug("Unexposing {} failed: {}", name, ex.toString());
			}
		}
		this.exposed.clear();
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

}
